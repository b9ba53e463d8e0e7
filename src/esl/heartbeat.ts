/**
 * FreeSWITCH sends HEARTBEAT every 20 s (fact 20) to a subscriber, so a live link is never silent
 * for long. A half-open TCP connection (switch rebooted, NAT entry gone) gives no error at all:
 * only silence tells. The watchdog re-arms lazily — bytes just record a time; the one timer
 * re-checks when it fires — so a busy link costs no timer churn.
 */
import type { Clock, Instant, TimerHandle } from '../shared/index.ts'

export class HeartbeatWatchdog {
  readonly #clock: Clock
  readonly #timeoutMs: number
  readonly #onSilent: (silentMs: number) => void
  #lastBytes: Instant = 0
  #timer: TimerHandle | undefined

  constructor(clock: Clock, timeoutMs: number, onSilent: (silentMs: number) => void) {
    this.#clock = clock
    this.#timeoutMs = timeoutMs
    this.#onSilent = onSilent
  }

  start(): void {
    this.stop()
    this.#lastBytes = this.#clock.now()
    this.#arm(this.#timeoutMs)
  }

  /** Any bytes count as life, not only HEARTBEAT events. */
  bytes(): void {
    this.#lastBytes = this.#clock.now()
  }

  stop(): void {
    this.#timer?.cancel()
    this.#timer = undefined
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimer(ms, () => {
      const silent = this.#clock.now() - this.#lastBytes
      if (silent >= this.#timeoutMs) {
        this.#timer = undefined
        this.#onSilent(silent)
      } else {
        this.#arm(this.#timeoutMs - silent)
      }
    })
  }
}

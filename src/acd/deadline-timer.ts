/**
 * The ACD's one timer (ARCHITECTURE principle 2: deadlines are data): AcdService arms it at the
 * state's earliest deadline after every decision, and it feeds a `tick` when that time comes.
 */
import type { Clock, Instant, TimerHandle } from '../shared/index.ts'

export class DeadlineTimer {
  readonly #clock: Clock
  readonly #tick: () => void
  #timer: TimerHandle | undefined
  #armedAt: Instant | undefined
  #lastTick: Instant | undefined

  constructor(clock: Clock, tick: () => void) {
    this.#clock = clock
    this.#tick = tick
  }

  /** Armed at `at` (none: disarmed); a tick that leaves a deadline in the past is a core bug. */
  arm(at: Instant | undefined): void {
    if (at === this.#armedAt) return
    this.#timer?.cancel()
    this.#timer = undefined
    this.#armedAt = at
    if (at === undefined) return
    const now = this.#clock.now()
    // A tick at this very instant left the deadline due: never spin, look again in a second.
    const delay = at <= now && this.#lastTick === now ? 1000 : Math.max(0, at - now)
    this.#timer = this.#clock.setTimer(delay, () => {
      this.#timer = undefined
      this.#armedAt = undefined
      this.#lastTick = this.#clock.now()
      this.#tick()
    })
  }

  stop(): void {
    this.#timer?.cancel()
    this.#timer = this.#armedAt = undefined
  }
}

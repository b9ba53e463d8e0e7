/**
 * Counters a dashboard and `hotline doctor` show about the switch link. Time comes from the
 * injected clock so the rate window is testable.
 */
import type { Clock, Instant } from '../shared/index.ts'
import type { EslEvent } from './message.ts'

export interface EslCounters {
  /** Events received and delivered or consumed (HEARTBEAT, jobs, executes included). */
  readonly eventsReceived: number
  /** Events over the last `windowMs`, per second. */
  readonly eventsPerSecond: number
  /** Events that arrived but nobody asked for: counted and dropped at the edge. */
  readonly eventsDropped: number
  /** now − Event-Date-Timestamp of the latest event, ms; undefined before the first event. */
  readonly lagMs: number | undefined
  readonly reconnects: number
  readonly decodeErrors: number
  /** Handlers that threw or rejected. */
  readonly handlerErrors: number
  readonly commandsInFlight: number
}

const BUCKET_MS = 1000

/** Events per second over a sliding window of one-second buckets. */
export class EventRate {
  readonly #clock: Clock
  readonly #buckets: number[]
  #head = 0
  #headStart: Instant

  constructor(clock: Clock, readonly windowMs = 10_000) {
    this.#clock = clock
    this.#buckets = new Array<number>(Math.max(1, Math.round(windowMs / BUCKET_MS))).fill(0)
    this.#headStart = Math.floor(clock.now() / BUCKET_MS) * BUCKET_MS
  }

  add(n = 1): void {
    this.#roll()
    this.#buckets[this.#head] = (this.#buckets[this.#head] ?? 0) + n
  }

  perSecond(): number {
    this.#roll()
    let sum = 0
    for (const b of this.#buckets) sum += b
    return sum / (this.#buckets.length * BUCKET_MS / 1000)
  }

  #roll(): void {
    const steps = Math.floor((this.#clock.now() - this.#headStart) / BUCKET_MS)
    if (steps <= 0) return
    for (let i = 0; i < Math.min(steps, this.#buckets.length); i++) {
      this.#head = (this.#head + 1) % this.#buckets.length
      this.#buckets[this.#head] = 0
    }
    this.#headStart += steps * BUCKET_MS
  }
}

/** Logs at most once per interval, with how many were suppressed, so a garbage stream cannot flood the log. */
export class RateLimitedLog {
  #last: Instant | undefined
  #suppressed = 0

  constructor(private readonly clock: Clock, private readonly intervalMs: number, private readonly write: (suppressed: number) => void) {}

  hit(): void {
    const now = this.clock.now()
    if (this.#last !== undefined && now - this.#last < this.intervalMs) {
      this.#suppressed++
      return
    }
    this.#last = now
    const s = this.#suppressed
    this.#suppressed = 0
    this.write(s)
  }
}

/** Event-Date-Timestamp is microseconds since the epoch. */
export function eventLagMs(ev: Pick<EslEvent, 'header'>, now: Instant): number | undefined {
  const us = Number(ev.header('Event-Date-Timestamp'))
  return Number.isFinite(us) && us > 0 ? now - us / 1000 : undefined
}

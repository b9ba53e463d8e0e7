/**
 * Slows password guessing without locking anyone out: after a few free failures on a key, each
 * further failure doubles the wait before the next attempt, up to a cap. A hard lock after N
 * failures lets anyone who knows a username (the admin's) keep its owner out from anywhere; a
 * capped delay only makes guessing slow. Pure structure: time from an injected Clock.
 */
import type { Clock, Instant } from '../../shared/index.ts'

export interface DelayPolicy {
  /** Failures with no wait after them (typos). */
  readonly freeFailures: number
  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  readonly firstDelayMs: number
  readonly maxDelayMs: number
  /** A key's failures are forgotten after this long without a new one. */
  readonly forgetAfterMs: number
}

export type Admission = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number }

/** Keys kept before the limiter sweeps out the forgotten ones. */
const SWEEP_AT = 10_000

export function delayAfter(failures: number, p: DelayPolicy): number {
  if (failures <= p.freeFailures) return 0
  return Math.min(p.maxDelayMs, p.firstDelayMs * 2 ** Math.min(30, failures - p.freeFailures - 1))
}

export class ProgressiveDelay {
  readonly #failures = new Map<string, { count: number; last: Instant }>()

  constructor(private readonly clock: Clock, readonly policy: DelayPolicy) {}

  /** Whether an attempt for key may be tried now, and if not, in how long. */
  admit(key: string): Admission {
    const f = this.#live(key)
    if (!f) return { allowed: true }
    const until = f.last + delayAfter(f.count, this.policy)
    const now = this.clock.now()
    return now >= until ? { allowed: true } : { allowed: false, retryAfterMs: until - now }
  }

  recordFailure(key: string): void {
    if (this.#failures.size >= SWEEP_AT) this.#sweep()
    const f = this.#live(key)
    this.#failures.set(key, { count: (f?.count ?? 0) + 1, last: this.clock.now() })
  }

  forget(key: string): void {
    this.#failures.delete(key)
  }

  /** Keys that currently hold failures (for tests and metrics). */
  get size(): number {
    return this.#failures.size
  }

  #live(key: string): { count: number; last: Instant } | undefined {
    const f = this.#failures.get(key)
    if (f && this.clock.now() - f.last >= this.policy.forgetAfterMs) {
      this.#failures.delete(key)
      return undefined
    }
    return f
  }

  #sweep(): void {
    for (const key of [...this.#failures.keys()]) this.#live(key)
  }
}

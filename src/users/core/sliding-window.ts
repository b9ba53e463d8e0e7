/**
 * Counts failures per key over a sliding window, to slow down password guessing. Pure
 * structure: time comes from an injected Clock, so tests move it with a FakeClock.
 */
import type { Clock, Instant } from '../../shared/index.ts'

export interface WindowPolicy {
  /** Failures allowed inside the window; the next attempt is refused. */
  readonly maxFailures: number
  readonly windowMs: number
}

export type Admission = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number }

/** Keys kept before the limiter sweeps out those with no recent failure. */
const SWEEP_AT = 10_000

export class SlidingWindow {
  readonly #failures = new Map<string, Instant[]>()
  readonly #clock: Clock
  readonly #policy: WindowPolicy

  constructor(clock: Clock, policy: WindowPolicy) {
    this.#clock = clock
    this.#policy = policy
  }

  /** Whether one more attempt for key is allowed now, and if not, when it will be. */
  admit(key: string): Admission {
    const recent = this.#recent(key)
    const oldest = recent[0]
    if (recent.length < this.#policy.maxFailures || oldest === undefined) return { allowed: true }
    // The window slides: the attempt is allowed again once enough old failures fall out of it.
    const freeing = recent[recent.length - this.#policy.maxFailures] ?? oldest
    return { allowed: false, retryAfterMs: freeing + this.#policy.windowMs - this.#clock.now() }
  }

  recordFailure(key: string): void {
    if (this.#failures.size >= SWEEP_AT) this.#sweep()
    const recent = this.#recent(key)
    recent.push(this.#clock.now())
    // Only the last maxFailures matter to admit(); older ones are dropped to bound memory.
    this.#failures.set(key, recent.slice(-this.#policy.maxFailures))
  }

  forget(key: string): void {
    this.#failures.delete(key)
  }

  /** Keys that currently hold failures (for tests and metrics). */
  get size(): number {
    return this.#failures.size
  }

  #recent(key: string): Instant[] {
    const since = this.#clock.now() - this.#policy.windowMs
    return (this.#failures.get(key) ?? []).filter((at) => at > since)
  }

  #sweep(): void {
    for (const key of [...this.#failures.keys()]) if (this.#recent(key).length === 0) this.#failures.delete(key)
  }
}

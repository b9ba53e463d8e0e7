import type { Clock } from '../../shared/index.ts'
import { SlidingWindow, type Admission, type WindowPolicy } from './sliding-window.ts'

export interface ThrottlePolicy {
  /** Guesses against one account, from anywhere. */
  readonly perUsername: WindowPolicy
  /**
   * Guesses from one client address, across accounts. Looser than per username: a whole
   * contact-centre floor often leaves through one NAT address, and one agent's typos must not
   * lock out the other forty.
   */
  readonly perClient: WindowPolicy
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  perUsername: { maxFailures: 5, windowMs: 15 * 60_000 },
  perClient: { maxFailures: 50, windowMs: 15 * 60_000 },
}

/** Login rate limiting: refuses an attempt while either its username or its client is over the limit. */
export class LoginThrottle {
  readonly #byUsername: SlidingWindow
  readonly #byClient: SlidingWindow

  constructor(clock: Clock, policy: ThrottlePolicy = defaultThrottlePolicy) {
    this.#byUsername = new SlidingWindow(clock, policy.perUsername)
    this.#byClient = new SlidingWindow(clock, policy.perClient)
  }

  admit(username: string, client: string): Admission {
    const a = this.#byUsername.admit(username)
    const b = this.#byClient.admit(client)
    if (a.allowed && b.allowed) return { allowed: true }
    return { allowed: false, retryAfterMs: Math.max(a.allowed ? 0 : a.retryAfterMs, b.allowed ? 0 : b.retryAfterMs) }
  }

  failed(username: string, client: string): void {
    this.#byUsername.recordFailure(username)
    this.#byClient.recordFailure(client)
  }

  /**
   * A successful login clears its username's failures, not its client's: otherwise one valid
   * account would let an attacker reset the per-client counter between guesses.
   */
  succeeded(username: string): void {
    this.#byUsername.forget(username)
  }
}

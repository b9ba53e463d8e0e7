import type { Clock } from '../../shared/index.ts'
import { ProgressiveDelay, type Admission, type DelayPolicy } from './progressive-delay.ts'

export interface ThrottlePolicy {
  /**
   * Guesses at one account from one address: the attacker's own line, slowed hardest. The
   * account's owner at another address is not held by it.
   */
  readonly perPair: DelayPolicy
  /**
   * Guesses at one account from anywhere (a guesser spread over many addresses). Capped low: this
   * wait also falls on the owner, who must get in within seconds, never be locked out.
   */
  readonly perUsername: DelayPolicy
  /**
   * Guesses from one address across accounts. Many free failures: a whole contact-centre floor
   * often leaves through one NAT address, and one agent's typos must not slow the other forty.
   */
  readonly perClient: DelayPolicy
}

const MINUTE = 60_000
export const defaultThrottlePolicy: ThrottlePolicy = {
  perPair: { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 5 * MINUTE, forgetAfterMs: 15 * MINUTE },
  perUsername: { freeFailures: 5, firstDelayMs: 1000, maxDelayMs: 15_000, forgetAfterMs: 15 * MINUTE },
  perClient: { freeFailures: 50, firstDelayMs: 1000, maxDelayMs: 5 * MINUTE, forgetAfterMs: 15 * MINUTE },
}

/** Login throttling: an attempt waits while its pair, its username or its client is inside a delay. */
export class LoginThrottle {
  readonly #byPair: ProgressiveDelay
  readonly #byUsername: ProgressiveDelay
  readonly #byClient: ProgressiveDelay

  constructor(clock: Clock, policy: ThrottlePolicy = defaultThrottlePolicy) {
    this.#byPair = new ProgressiveDelay(clock, policy.perPair)
    this.#byUsername = new ProgressiveDelay(clock, policy.perUsername)
    this.#byClient = new ProgressiveDelay(clock, policy.perClient)
  }

  admit(username: string, client: string): Admission {
    const waits = [this.#byPair.admit(pair(username, client)), this.#byUsername.admit(username), this.#byClient.admit(client)]
    const retryAfterMs = Math.max(0, ...waits.map((a) => (a.allowed ? 0 : a.retryAfterMs)))
    return retryAfterMs === 0 ? { allowed: true } : { allowed: false, retryAfterMs }
  }

  failed(username: string, client: string): void {
    this.#byPair.recordFailure(pair(username, client))
    this.#byUsername.recordFailure(username)
    this.#byClient.recordFailure(client)
  }

  /**
   * A successful login clears its username's failures, not its client's: otherwise one valid
   * account would let an attacker reset the per-client counter between guesses.
   */
  succeeded(username: string, client: string): void {
    this.#byUsername.forget(username)
    this.#byPair.forget(pair(username, client))
  }
}

const pair = (username: string, client: string): string => `${username}\u0000${client}`

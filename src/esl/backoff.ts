/**
 * Capped exponential backoff with jitter. Pure: the attempt number and a random source are inputs,
 * so a test can pin the delays. "Equal jitter": half the window is fixed, half is random, so a
 * fleet of Hotlines restarted together does not reconnect in lockstep, yet none retries at once.
 */
export interface BackoffPolicy {
  /** Delay window for the first retry. */
  readonly initialMs: number
  /** The window never grows past this. */
  readonly maxMs: number
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000 }

/** attempt 0 is the first retry after a drop. random() returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const window = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30))
  return Math.round(window / 2 + random() * (window / 2))
}

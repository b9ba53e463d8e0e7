/** When a failed CRM webhook delivery is tried again (pure: attempt number in, delay out). */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly firstDelayMs: number
  readonly maxDelayMs: number
  /** Each attempt is bounded (ARCHITECTURE principle 7). */
  readonly timeoutMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, firstDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 5000 }

/** Delay before attempt `n + 1` after attempt `n` failed (1-based), or undefined: give up. */
export function retryDelay(attempt: number, p: RetryPolicy): number | undefined {
  if (attempt >= p.maxAttempts) return undefined
  return Math.min(p.maxDelayMs, p.firstDelayMs * 2 ** (attempt - 1))
}

/** A 4xx other than 408/429 is the receiver refusing this body: sending it again will not help. */
export function isRetryable(outcome: { readonly status?: number }): boolean {
  const s = outcome.status
  if (s === undefined) return true
  return s >= 500 || s === 408 || s === 429
}

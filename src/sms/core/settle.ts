/**
 * What happens to a message after one send attempt: sent, back in the queue after a delay, or
 * failed for good. A gateway that refused the message (a bad number, a banned word) is not
 * asked again; one that was down or slow is, with growing delays, until the attempts run out.
 */
import { minutes, type Instant } from '../../shared/index.ts'

export type SendOutcome =
  | { readonly kind: 'sent' }
  /** The gateway refused this message (HTTP 4xx): sending it again would fail the same way. */
  | { readonly kind: 'rejected'; readonly reason: string }
  /** The gateway was down, slow or unreachable (5xx, timeout, connection refused): try later. */
  | { readonly kind: 'unavailable'; readonly reason: string }

export interface SmsRetryPolicy {
  /** Wait before attempt 2, 3, …; the last delay repeats if maxAttempts is larger. */
  readonly delaysMs: readonly number[]
  /** Attempts in all, the first included. */
  readonly maxAttempts: number
}

export const DEFAULT_SMS_RETRY: SmsRetryPolicy = { delaysMs: [minutes(1), minutes(5), minutes(15)], maxAttempts: 4 }

export type Settlement =
  | { readonly status: 'sent'; readonly at: Instant }
  | { readonly status: 'queued'; readonly nextAttemptAt: Instant; readonly lastError: string }
  | { readonly status: 'failed'; readonly lastError: string }

/** `attempt` is the number of the attempt that just ended (1 for the first). */
export function settle(attempt: number, outcome: SendOutcome, now: Instant, policy: SmsRetryPolicy): Settlement {
  switch (outcome.kind) {
    case 'sent': return { status: 'sent', at: now }
    case 'rejected': return { status: 'failed', lastError: outcome.reason }
    case 'unavailable': {
      if (attempt >= policy.maxAttempts) return { status: 'failed', lastError: `gave up after ${attempt} attempts: ${outcome.reason}` }
      return { status: 'queued', nextAttemptAt: now + retryDelay(attempt, policy), lastError: outcome.reason }
    }
  }
}

export function retryDelay(attempt: number, policy: SmsRetryPolicy): number {
  const i = Math.min(attempt - 1, policy.delaysMs.length - 1)
  return policy.delaysMs[Math.max(0, i)] ?? minutes(1)
}

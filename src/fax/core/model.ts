/**
 * The fax channel scheduler's vocabulary. A "fax channel" is one fax in progress, inbound
 * (rxfax) or outbound (txfax); the site buys a number of them (1 at first, growing to 2).
 */
import type { Instant } from '../../shared/index.ts'

export interface FaxPolicy {
  /** Faxes in progress at once, inbound and outbound together. */
  readonly channels: number
  /** Attempts per outbound job, the first included. */
  readonly maxAttempts: number
  /** Wait before attempt n+1 is `backoffMs[n-1]` (the last value repeats). */
  readonly backoffMs: readonly number[]
  /** How long the outbound queue waits when every trunk is full before trying again. */
  readonly trunkHoldMs: number
}

/** How one outbound attempt ended. */
export type AttemptOutcome =
  | { readonly kind: 'sent'; readonly pages: number }
  | { readonly kind: 'busy'; readonly cause: string }
  | { readonly kind: 'no-answer'; readonly cause: string }
  /** The far end answered but the fax did not go through (spandsp result code ≠ 0, or no result). */
  | { readonly kind: 'fax-failed'; readonly code: number | undefined; readonly text: string; readonly pages: number }
  /** The call failed for a reason that may pass (congestion, temporary failure). */
  | { readonly kind: 'dial-failed'; readonly cause: string }
  /** The number does not exist: retrying cannot help. */
  | { readonly kind: 'number-rejected'; readonly cause: string }

export interface WaitingJob {
  readonly job: string
  /** Attempts already made. */
  readonly attempts: number
  /** Not dialled before this instant (backoff after a failed attempt). */
  readonly notBefore: Instant
}

export interface SendingJob {
  readonly job: string
  readonly attempt: number
  readonly since: Instant
}

export interface FaxSchedule {
  readonly policy: FaxPolicy
  /** Outbound jobs in submission order (FIFO); a job in backoff lets later ones pass. */
  readonly waiting: readonly WaitingJob[]
  readonly sending: readonly SendingJob[]
  /** Inbound faxes in progress, by leg. */
  readonly receiving: readonly string[]
  /** Every trunk was full: no outbound dial before this instant. */
  readonly trunksHeldUntil: Instant | undefined
}

export type FaxInput =
  /** `attemptsMade`/`notBefore` resume a job after a restart (its earlier attempts count). */
  | { readonly kind: 'job-submitted'; readonly job: string; readonly attemptsMade?: number; readonly notBefore?: Instant }
  | { readonly kind: 'attempt-finished'; readonly job: string; readonly outcome: AttemptOutcome }
  /** The dial effect found every trunk full; the attempt did not happen. */
  | { readonly kind: 'dial-held'; readonly job: string }
  | { readonly kind: 'inbound-started'; readonly leg: string }
  | { readonly kind: 'inbound-finished'; readonly leg: string }
  | { readonly kind: 'tick' }

export type FaxEffect =
  | { readonly kind: 'dial'; readonly job: string; readonly attempt: number }
  /** Call `decide(…, tick)` at this instant (the shell keeps one timer: the latest wake-at wins). */
  | { readonly kind: 'wake-at'; readonly at: Instant }

export type FaxEvent =
  | { readonly kind: 'job-queued'; readonly job: string; readonly position: number }
  | { readonly kind: 'attempt-started'; readonly job: string; readonly attempt: number }
  | { readonly kind: 'job-held'; readonly job: string; readonly until: Instant }
  | { readonly kind: 'retry-scheduled'; readonly job: string; readonly attempt: number; readonly at: Instant }
  | { readonly kind: 'job-sent'; readonly job: string; readonly attempts: number; readonly pages: number }
  | { readonly kind: 'job-failed'; readonly job: string; readonly attempts: number; readonly last: AttemptOutcome }
  | { readonly kind: 'inbound-took-channel'; readonly leg: string; readonly overCap: boolean }

export interface FaxDecision {
  readonly state: FaxSchedule
  readonly effects: readonly FaxEffect[]
  readonly events: readonly FaxEvent[]
}

export const DEFAULT_FAX_POLICY: FaxPolicy = {
  channels: 1,
  maxAttempts: 4,
  backoffMs: [60_000, 300_000, 900_000],
  trunkHoldMs: 30_000,
}

export const faxSchedule = (policy: FaxPolicy = DEFAULT_FAX_POLICY): FaxSchedule => ({
  policy, waiting: [], sending: [], receiving: [], trunksHeldUntil: undefined,
})

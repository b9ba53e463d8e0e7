/**
 * The fax channel scheduler: who gets the next free fax channel, when a failed job is tried
 * again, and when to wake up. Pure: time comes in as `now`.
 *
 * Inbound has priority by construction: an inbound fax never waits. It takes a channel the
 * moment it arrives, even when outbound faxes already fill every channel (the sending machine
 * would otherwise hang up and the fax would be lost; FreeSWITCH can carry one more call). The
 * cap counts it, so no outbound job starts until the channels in use drop below the cap again.
 */
import { assertNever, type Instant } from '../../shared/index.ts'
import type { AttemptOutcome, FaxDecision, FaxEffect, FaxEvent, FaxInput, FaxSchedule, WaitingJob } from './model.ts'

export function decide(state: FaxSchedule, input: FaxInput, now: Instant): FaxDecision {
  const events: FaxEvent[] = []
  const next = apply(state, input, now, events)
  const pumped = pump(next, now, events)
  return { state: pumped.state, effects: pumped.effects, events }
}

function apply(s: FaxSchedule, input: FaxInput, now: Instant, events: FaxEvent[]): FaxSchedule {
  switch (input.kind) {
    case 'job-submitted': {
      if (isKnown(s, input.job)) return s // a repeated submission is stale
      const waiting = [...s.waiting, { job: input.job, attempts: input.attemptsMade ?? 0, notBefore: input.notBefore ?? now }]
      events.push({ kind: 'job-queued', job: input.job, position: waiting.length })
      return { ...s, waiting }
    }
    case 'attempt-finished': return attemptFinished(s, input.job, input.outcome, now, events)
    case 'dial-held': {
      const sending = s.sending.find((x) => x.job === input.job)
      if (!sending) return s
      const until = now + s.policy.trunkHoldMs
      events.push({ kind: 'job-held', job: input.job, until })
      // Back to the head of the line: trunks being full is nobody's turn, so order is kept.
      const back: WaitingJob = { job: input.job, attempts: sending.attempt - 1, notBefore: now }
      return { ...s, sending: s.sending.filter((x) => x !== sending), waiting: [back, ...s.waiting], trunksHeldUntil: until }
    }
    case 'inbound-started': {
      if (s.receiving.includes(input.leg)) return s
      const overCap = inUse(s) >= s.policy.channels
      events.push({ kind: 'inbound-took-channel', leg: input.leg, overCap })
      return { ...s, receiving: [...s.receiving, input.leg] }
    }
    case 'inbound-finished': return { ...s, receiving: s.receiving.filter((l) => l !== input.leg) }
    case 'tick': return s
    default: return assertNever(input)
  }
}

function attemptFinished(s: FaxSchedule, job: string, outcome: AttemptOutcome, now: Instant, events: FaxEvent[]): FaxSchedule {
  const sending = s.sending.find((x) => x.job === job)
  if (!sending) return s // a result for an attempt we no longer track (duplicate event)
  const rest = { ...s, sending: s.sending.filter((x) => x !== sending) }
  if (outcome.kind === 'sent') {
    events.push({ kind: 'job-sent', job, attempts: sending.attempt, pages: outcome.pages })
    return rest
  }
  if (!isRetryable(outcome) || sending.attempt >= s.policy.maxAttempts) {
    events.push({ kind: 'job-failed', job, attempts: sending.attempt, last: outcome })
    return rest
  }
  const at = now + backoffAfter(s.policy.backoffMs, sending.attempt)
  events.push({ kind: 'retry-scheduled', job, attempt: sending.attempt + 1, at })
  // At the head: it was submitted before everything still waiting. While it backs off, later
  // jobs whose time has come go first (pump takes the first *due* job).
  return { ...rest, waiting: [{ job, attempts: sending.attempt, notBefore: at }, ...rest.waiting] }
}

export function isRetryable(o: AttemptOutcome): boolean {
  switch (o.kind) {
    case 'busy': case 'no-answer': case 'fax-failed': case 'dial-failed': return true
    case 'sent': case 'number-rejected': return false
    default: return assertNever(o)
  }
}

/** Backoff after attempt n (1-based): the policy's n-th value, the last one repeating. */
export function backoffAfter(backoffMs: readonly number[], attempt: number): number {
  return backoffMs[Math.min(attempt, backoffMs.length) - 1] ?? 0
}

const inUse = (s: FaxSchedule): number => s.sending.length + s.receiving.length

const isKnown = (s: FaxSchedule, job: string): boolean =>
  s.waiting.some((w) => w.job === job) || s.sending.some((x) => x.job === job)

/** Starts as many due jobs as there are free channels, in FIFO order; then says when to wake. */
function pump(s: FaxSchedule, now: Instant, events: FaxEvent[]): { state: FaxSchedule; effects: FaxEffect[] } {
  const effects: FaxEffect[] = []
  let state = s.trunksHeldUntil !== undefined && s.trunksHeldUntil <= now ? { ...s, trunksHeldUntil: undefined } : s
  while (inUse(state) < state.policy.channels && state.trunksHeldUntil === undefined) {
    const due = state.waiting.find((w) => w.notBefore <= now)
    if (!due) break
    const attempt = due.attempts + 1
    state = { ...state, waiting: state.waiting.filter((w) => w !== due), sending: [...state.sending, { job: due.job, attempt, since: now }] }
    effects.push({ kind: 'dial', job: due.job, attempt })
    events.push({ kind: 'attempt-started', job: due.job, attempt })
  }
  const wake = nextWake(state, now)
  if (wake !== undefined) effects.push({ kind: 'wake-at', at: wake })
  return { state, effects }
}

function nextWake(s: FaxSchedule, now: Instant): Instant | undefined {
  if (s.waiting.length === 0) return undefined
  if (s.trunksHeldUntil !== undefined) return s.trunksHeldUntil
  const future = s.waiting.map((w) => w.notBefore).filter((t) => t > now)
  return future.length ? Math.min(...future) : undefined
}

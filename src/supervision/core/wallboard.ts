/**
 * The wallboard's day tallies per queue (pure): answered, abandoned, answered within the service
 * level threshold. Live figures (waiting, longest wait, agents) come from the ACD's snapshot;
 * these counts come from its events, and start again at local midnight.
 */
import type { Instant } from '../../shared/index.ts'

export interface QueueDay {
  readonly answered: number
  readonly abandoned: number
  readonly answeredInTime: number
}

export interface Tallies {
  /** The local day (`YYYY-MM-DD`) the counts are for. */
  readonly day: string
  readonly queues: ReadonlyMap<string, QueueDay>
}

export interface TallyPolicy {
  /** Answered within this wait counts toward the service level (e.g. 20 s: "80/20"). */
  readonly thresholdMs: number
  /** Minutes east of UTC for the local day (Asia/Shanghai: 480). */
  readonly utcOffsetMinutes: number
}

export type TallyInput =
  | { readonly kind: 'answered'; readonly queue: string; readonly waited: number }
  | { readonly kind: 'abandoned'; readonly queue: string; readonly waited: number }

const ZERO: QueueDay = { answered: 0, abandoned: 0, answeredInTime: 0 }

export const localDay = (at: Instant, p: TallyPolicy): string => new Date(at + p.utcOffsetMinutes * 60_000).toISOString().slice(0, 10)

export const emptyTallies = (now: Instant, p: TallyPolicy): Tallies => ({ day: localDay(now, p), queues: new Map() })

/** Counts one event; a new local day starts from zero. */
export function tally(t: Tallies, input: TallyInput, now: Instant, p: TallyPolicy): Tallies {
  const current = rollOver(t, now, p)
  const q = current.queues.get(input.queue) ?? ZERO
  const next: QueueDay = input.kind === 'answered'
    ? { ...q, answered: q.answered + 1, answeredInTime: q.answeredInTime + (input.waited <= p.thresholdMs ? 1 : 0) }
    : { ...q, abandoned: q.abandoned + 1 }
  return { day: current.day, queues: new Map(current.queues).set(input.queue, next) }
}

export function rollOver(t: Tallies, now: Instant, p: TallyPolicy): Tallies {
  const day = localDay(now, p)
  return day === t.day ? t : { day, queues: new Map() }
}

/** Answered in time over all offered-and-finished calls, in percent; null before the first call. */
export function serviceLevel(q: QueueDay): number | null {
  const total = q.answered + q.abandoned
  return total === 0 ? null : Math.round((q.answeredInTime / total) * 1000) / 10
}

export const dayOf = (t: Tallies, queue: string): QueueDay => t.queues.get(queue) ?? ZERO

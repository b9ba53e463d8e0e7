/**
 * Per-queue indices kept sorted so that a decision looks at a handful of entries instead of
 * rescanning every agent and caller: callers in service order, available agents in the order of
 * the queue's strategy. Arrays are copied on write (a 1,000-entry copy is ~1 µs).
 */
import type { AgentId, CallId } from '../../shared/index.ts'

/** A caller's place: tier first, then the longest waiting, then arrival order. */
export interface Place {
  readonly call: CallId
  readonly rank: number
  readonly at: number
  readonly seq: number
}

/** An available agent under the queue strategy's key (smaller goes first). */
export interface Slot {
  readonly agent: AgentId
  readonly k1: number
  readonly k2: number
}

export interface QueueLine {
  readonly waiting: readonly Place[]
  readonly available: readonly Slot[]
  /** Agents of the queue who are ready and registered, whatever they are doing. */
  readonly staffed: number
  /** Most recent handle times (talk + wrap-up), newest last, for the estimated wait. */
  readonly recentHandle: readonly number[]
}

export const EMPTY_LINE: QueueLine = { waiting: [], available: [], staffed: 0, recentHandle: [] }

export const comparePlaces = (a: Place, b: Place): number =>
  a.rank - b.rank || a.at - b.at || a.seq - b.seq || (a.call < b.call ? -1 : a.call > b.call ? 1 : 0)

export const compareSlots = (a: Slot, b: Slot): number =>
  a.k1 - b.k1 || a.k2 - b.k2 || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0)

/** Index of the first element not less than x. */
function lowerBound<T>(xs: readonly T[], x: T, cmp: (a: T, b: T) => number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cmp(xs[mid] as T, x) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

export function insertSorted<T>(xs: readonly T[], x: T, cmp: (a: T, b: T) => number): readonly T[] {
  const i = lowerBound(xs, x, cmp)
  const out = xs.slice()
  out.splice(i, 0, x)
  return out
}

export function removeSorted<T>(xs: readonly T[], x: T, cmp: (a: T, b: T) => number): readonly T[] {
  const i = lowerBound(xs, x, cmp)
  const found = xs[i]
  if (found === undefined || cmp(found, x) !== 0) return xs
  const out = xs.slice()
  out.splice(i, 1)
  return out
}

/** 1-based position of x in xs, or undefined if absent. */
export function positionIn<T>(xs: readonly T[], x: T, cmp: (a: T, b: T) => number): number | undefined {
  const i = lowerBound(xs, x, cmp)
  const found = xs[i]
  return found !== undefined && cmp(found, x) === 0 ? i + 1 : undefined
}

const RECENT = 20

export function withHandleTime(line: QueueLine, ms: number): QueueLine {
  const recent = line.recentHandle.length >= RECENT ? line.recentHandle.slice(1) : line.recentHandle.slice()
  recent.push(ms)
  return { ...line, recentHandle: recent }
}

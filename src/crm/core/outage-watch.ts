/**
 * Outage awareness: when fault reports cluster in one area, the center should know before the
 * complaints pile up. Pure: the shell feeds each repair work order's area and time.
 *
 * A suspicion is raised once when the count in the sliding window reaches the threshold, and
 * re-armed only after the area has been quiet for a whole window, so a storm is one event, not N.
 */
import type { Instant } from '../../shared/index.ts'

export interface OutageWatchPolicy {
  /** Fault reports from one area … */
  readonly threshold: number
  /** … within this many milliseconds raise a suspicion. */
  readonly windowMs: number
}

export interface OutageWatchState {
  readonly reports: ReadonlyMap<string, readonly Instant[]>
  readonly raised: ReadonlySet<string>
}

export interface OutageSuspected {
  readonly type: 'outage-suspected'
  readonly area: string
  readonly reports: number
  readonly since: Instant
  readonly at: Instant
}

export const emptyOutageWatch: OutageWatchState = { reports: new Map(), raised: new Set() }

export function faultReported(state: OutageWatchState, area: string, at: Instant, p: OutageWatchPolicy): { state: OutageWatchState; events: OutageSuspected[] } {
  const before = (state.reports.get(area) ?? []).filter((t) => t > at - p.windowMs)
  const recent = [...before, at]
  const reports = new Map(state.reports).set(area, recent)
  const raised = new Set(state.raised)
  if (before.length === 0) raised.delete(area)
  const events: OutageSuspected[] = []
  if (recent.length >= p.threshold && !raised.has(area)) {
    raised.add(area)
    events.push({ type: 'outage-suspected', area, reports: recent.length, since: recent[0] ?? at, at })
  }
  return { state: { reports, raised }, events }
}

/** Forgets reports older than the window (memory stays bounded); a quiet area re-arms. */
export function outageWatchTick(state: OutageWatchState, now: Instant, p: OutageWatchPolicy): OutageWatchState {
  const reports = new Map<string, readonly Instant[]>()
  const raised = new Set<string>()
  for (const [area, times] of state.reports) {
    const kept = times.filter((t) => t > now - p.windowMs)
    if (kept.length) reports.set(area, kept)
    if (state.raised.has(area) && kept.length > 0) raised.add(area)
  }
  return { reports, raised }
}

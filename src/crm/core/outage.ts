import type { Instant } from '../../shared/index.ts'

/** A known outage in an area; the IVR plays `promptId` to callers from that area while it lasts. */
export interface Outage {
  readonly id: number
  readonly area: string
  readonly startedAt: Instant
  readonly endedAt?: Instant
  readonly promptId: string
  readonly note: string
}

/** Active at `now`: started, and not yet ended. Of several, the latest started wins (newest prompt). */
export function activeAt(outages: readonly Outage[], area: string, now: Instant): Outage | undefined {
  let best: Outage | undefined
  for (const o of outages) {
    if (o.area !== area || o.startedAt > now || (o.endedAt !== undefined && o.endedAt <= now)) continue
    if (!best || o.startedAt > best.startedAt) best = o
  }
  return best
}

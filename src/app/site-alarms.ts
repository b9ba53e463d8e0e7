/**
 * What the wallboard's alarm strip says about the site itself (not the queues): the switch link
 * down, the store refusing writes (a full disk), the database's or the recordings' disk nearly
 * full. A supervisor is the one who sees the wallboard all day and can call the engineer; the log
 * line alone reaches nobody at 3 a.m. Pure: the center reads the statuses, this words them.
 */
import type { StoreStatus, SwitchStatus } from '../api/index.ts'

export interface SiteAlarm {
  readonly code: 'switch-down' | 'store-refusing-writes' | 'database-disk-low' | 'recordings-disk-low'
  readonly severity: 'critical' | 'warning'
  readonly message: string
  /** When it began, where known. */
  readonly since?: number
}

export interface SiteFacts {
  readonly switch: SwitchStatus
  readonly store: StoreStatus
  readonly recordingsDisk?: { readonly alarm: boolean; readonly freeBytes: number } | undefined
}

const mib = (bytes: number): string => `${Math.max(0, Math.floor(bytes / 1048576))} MiB`

/** A link down for less than this is a reconnect in progress, not an alarm. */
export const SWITCH_GRACE_MS = 10_000

export function siteAlarms(f: SiteFacts, now: number): SiteAlarm[] {
  const alarms: SiteAlarm[] = []
  if (f.switch.state !== 'connected' && f.switch.state !== 'stopped' && now - f.switch.since >= SWITCH_GRACE_MS) {
    alarms.push({ code: 'switch-down', severity: 'critical', message: `No link to FreeSWITCH (${f.switch.state}): calls are not routed to agents`, since: f.switch.since })
  }
  if (f.store.heldWrites > 0 || (f.store.state === 'degraded' && f.store.reason)) {
    alarms.push({
      code: 'store-refusing-writes', severity: 'critical',
      message: `The database refuses writes${f.store.reason ? ` (${f.store.reason})` : ''}: ${f.store.heldWrites} call records held in memory until it takes them`,
      ...(f.store.since === undefined ? {} : { since: f.store.since }),
    })
  }
  if (f.store.disk?.low) alarms.push({ code: 'database-disk-low', severity: 'warning', message: `The database's disk is nearly full (${mib(f.store.disk.freeBytes)} free)` })
  if (f.recordingsDisk?.alarm) alarms.push({ code: 'recordings-disk-low', severity: 'warning', message: `The recordings' disk is nearly full (${mib(f.recordingsDisk.freeBytes)} free)` })
  return alarms
}

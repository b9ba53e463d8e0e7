/**
 * The periodic audit: between reconnects, events can still go missing (a lossy link, a stalled
 * socket). Every few seconds one cheap `show channels as json` is compared with what Hotline
 * tracks. A leg Hotline tracks that the switch no longer lists is a ghost; a caller the switch
 * holds for Hotline (presence_data carries hotline_entry, set by the kit's gate) that Hotline does
 * not track is a stray. Either must be seen at two audits in a row before anything is done: the
 * channel list is written by the switch's core database thread and may lag an event by a moment.
 * Pure: the shell lists, decides with this, and acts.
 */
import type { ChannelRow } from './reconcile.ts'

export interface AuditMemory {
  /** Tracked legs the last audit did not find. */
  readonly missing: ReadonlySet<string>
  /** Untracked Hotline callers the last audit found. */
  readonly strays: ReadonlySet<string>
}

export const freshAudit: AuditMemory = { missing: new Set(), strays: new Set() }

export interface AuditVerdict {
  readonly memory: AuditMemory
  /** Tracked legs gone at two audits in a row: end them. */
  readonly ghosts: readonly string[]
  /** Hotline callers untracked at two audits in a row: reconcile to adopt them. */
  readonly strays: readonly string[]
}

export function audit(memory: AuditMemory, tracked: ReadonlySet<string>, listed: readonly ChannelRow[]): AuditVerdict {
  const live = new Set(listed.map((r) => String(r.uuid)))
  const missingNow = [...tracked].filter((u) => !live.has(u))
  const straysNow = listed.filter((r) => !tracked.has(String(r.uuid)) && /(^|;)hotline_entry=/.test(r.presenceData ?? '')).map((r) => String(r.uuid))
  const ghosts = missingNow.filter((u) => memory.missing.has(u))
  const strays = straysNow.filter((u) => memory.strays.has(u))
  return {
    memory: { missing: new Set(missingNow.filter((u) => !ghosts.includes(u))), strays: new Set(straysNow.filter((u) => !strays.includes(u))) },
    ghosts,
    strays,
  }
}

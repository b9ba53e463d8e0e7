/** Commands from outside (the IVR's enqueue, presence changes), parsed before they reach the core. */
import type { ChannelUuid, QueueId } from '../shared/index.ts'
import type { SkillNeed, Tier } from './core/index.ts'

export interface EnqueueRequest {
  readonly queue: QueueId
  /** skill → minimum level, as the IVR flow states it, or the core's list. */
  readonly skills?: Readonly<Record<string, number>> | ReadonlyMap<string, number> | readonly SkillNeed[]
  readonly tier?: Tier
  readonly callerNumber?: string
  /** The customer leg, when the call tracker does not know the call (tests, a transfer in). */
  readonly leg?: ChannelUuid
  /** Call the caller back instead of a wait on hold (the IVR's callback node); a withheld number waits. */
  readonly callback?: boolean
}

export type PresenceState = 'ready' | 'not-ready' | 'logged-out'

export interface PresenceCommand {
  readonly state: PresenceState
  readonly reason?: string
}

export function skillNeeds(s: EnqueueRequest['skills']): SkillNeed[] {
  if (s === undefined) return []
  if (Array.isArray(s)) return [...(s as readonly SkillNeed[])]
  const entries = s instanceof Map ? [...(s as ReadonlyMap<string, number>).entries()] : Object.entries(s as Readonly<Record<string, number>>)
  return entries.map(([skill, min]) => ({ skill, min }))
}

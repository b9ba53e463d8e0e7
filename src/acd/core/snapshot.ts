/** The live picture of one queue for the REST API and the wallboard. */
import type { AgentId, CallId, Instant, QueueId } from '../../shared/index.ts'
import type { Activity, Presence, Tier } from './model.ts'
import type { AcdState } from './state.ts'
import { estimatedWaitSeconds } from './estimate.ts'

export interface QueueSnapshot {
  readonly queue: QueueId
  /** In service order. */
  readonly waiting: readonly {
    readonly call: CallId
    readonly tier: Tier
    readonly waited: number
    readonly phase: 'waiting' | 'offered' | 'connecting'
    readonly callback: boolean
  }[]
  readonly agents: readonly { readonly agent: AgentId; readonly presence: Presence; readonly activity: Activity; readonly registered: boolean }[]
  readonly staffed: number
  /** For a caller joining now. */
  readonly estimatedWaitSeconds: number | undefined
}

export function queueSnapshot(state: AcdState, queue: QueueId, now: Instant): QueueSnapshot | undefined {
  const q = state.queues.get(queue)
  if (!q) return undefined
  const line = state.lines.get(queue)
  const waiting = []
  for (const place of line?.waiting ?? []) {
    const c = state.calls.get(place.call)
    if (c) waiting.push({ call: c.id, tier: c.tier, waited: now - c.enqueuedAt, phase: c.phase.kind, callback: c.callback !== undefined })
  }
  const agents = []
  for (const a of state.agents.values()) {
    if (a.queues.includes(queue)) agents.push({ agent: a.id, presence: a.presence, activity: a.activity, registered: a.registered })
  }
  const est = line ? estimatedWaitSeconds(line, q, waiting.length + 1) : undefined
  return { queue, waiting, agents, staffed: line?.staffed ?? 0, estimatedWaitSeconds: est }
}

/**
 * Changing the ACD's configuration while it runs (REST CRUD): pure functions from state to state.
 * Queues are not inputs of `decide` because nothing happens to callers or agents when one is
 * added; the line's agent index is rebuilt so a changed strategy orders agents its own way.
 */
import type { AgentId, QueueId } from '../../shared/index.ts'
import type { QueueConfig } from './model.ts'
import { compareSlots, EMPTY_LINE, insertSorted, type Slot } from './queue-line.ts'
import { isAvailable, isStaffed, slotOf } from './rank.ts'
import { Draft, type AcdState } from './state.ts'

/** Adds or replaces a queue; its available agents are re-sorted under the (new) strategy. */
export function configureQueue(state: AcdState, q: QueueConfig): AcdState {
  const queues = new Map(state.queues).set(q.id, q)
  let available: readonly Slot[] = []
  let staffed = 0
  for (const a of state.agents.values()) {
    if (!a.queues.includes(q.id)) continue
    if (isAvailable(a)) available = insertSorted(available, slotOf(a, q.strategy), compareSlots)
    if (isStaffed(a)) staffed++
  }
  const line = state.lines.get(q.id) ?? EMPTY_LINE
  return { ...state, queues, lines: state.lines.set(q.id, { ...line, available, staffed }) }
}

/** Removes a queue nobody waits in; `undefined` when callers are still in its line. */
export function removeQueue(state: AcdState, id: QueueId): AcdState | undefined {
  const line = state.lines.get(id)
  if (line && line.waiting.length > 0) return undefined
  const queues = new Map(state.queues)
  queues.delete(id)
  return { ...state, queues, lines: state.lines.delete(id) }
}

/** Removes an agent the system is not using; `undefined` while it rings or talks. */
export function removeAgent(state: AcdState, id: AgentId): AcdState | undefined {
  const a = state.agents.get(id)
  if (!a) return state
  if (a.activity.kind === 'ringing' || a.activity.kind === 'on-call') return undefined
  const d = new Draft(state, 0)
  d.forgetAgent(a)
  return d.finish()
}

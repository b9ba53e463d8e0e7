/**
 * The ACD state and the draft a decision works on. The state is immutable at the API boundary:
 * its maps are persistent (structural sharing) and its per-queue indices are copied on write, so
 * the state handed to `decide` is never changed and can be kept, compared or replayed.
 */
import type { AgentId, CallId, Instant, OfferId, QueueId } from '../../shared/index.ts'
import type { AcdEffect, AcdEvent } from './messages.ts'
import type { Agent, Offer, QueueConfig, QueuedCall } from './model.ts'
import { PersistentMap } from './persistent-map.ts'
import { EMPTY_LINE, compareSlots, comparePlaces, insertSorted, removeSorted, type QueueLine } from './queue-line.ts'
import { isAvailable, isStaffed, placeOf, slotOf } from './rank.ts'

export interface AcdState {
  readonly queues: ReadonlyMap<QueueId, QueueConfig>
  readonly agents: PersistentMap<AgentId, Agent>
  readonly calls: PersistentMap<CallId, QueuedCall>
  readonly offers: PersistentMap<OfferId, Offer>
  readonly lines: PersistentMap<QueueId, QueueLine>
  /** Source of offer ids and caller tie-breaks: decisions stay deterministic. */
  readonly seq: number
}

/** The working copy of one decision; it only ever replaces the persistent maps it was given. */
export class Draft {
  agents: PersistentMap<AgentId, Agent>
  calls: PersistentMap<CallId, QueuedCall>
  offers: PersistentMap<OfferId, Offer>
  lines: PersistentMap<QueueId, QueueLine>
  seq: number
  readonly effects: AcdEffect[] = []
  readonly events: AcdEvent[] = []
  /** Agents who became available and callers who became dispatchable: `settle` matches them. */
  readonly freshAgents = new Set<AgentId>()
  readonly freshCalls = new Set<CallId>()

  constructor(
    readonly base: AcdState,
    readonly now: Instant,
  ) {
    this.agents = base.agents
    this.calls = base.calls
    this.offers = base.offers
    this.lines = base.lines
    this.seq = base.seq
  }

  get queues(): ReadonlyMap<QueueId, QueueConfig> {
    return this.base.queues
  }

  queue(id: QueueId): QueueConfig {
    const q = this.base.queues.get(id)
    if (!q) throw new Error(`queue ${id} is not configured`) // callers check first: a bug if reached
    return q
  }

  line(id: QueueId): QueueLine {
    return this.lines.get(id) ?? EMPTY_LINE
  }

  setLine(id: QueueId, line: QueueLine): void {
    this.lines = this.lines.set(id, line)
  }

  finish(): AcdState {
    return { queues: this.base.queues, agents: this.agents, calls: this.calls, offers: this.offers, lines: this.lines, seq: this.seq }
  }

  /** Store an agent, keep every index of its queues in step, tell the wallboard if it changed. */
  putAgent(next: Agent): void {
    const prev = this.agents.get(next.id)
    this.agents = this.agents.set(next.id, next)
    for (const qid of next.queues) {
      const q = this.base.queues.get(qid)
      if (q) this.#reindex(qid, q, prev, next)
    }
    if (isAvailable(next) && (!prev || !isAvailable(prev))) this.freshAgents.add(next.id)
    if (!prev || prev.presence !== next.presence || prev.activity !== next.activity || prev.registered !== next.registered) {
      this.events.push({ kind: 'agent-state-changed', agent: next.id, presence: next.presence, activity: next.activity, registered: next.registered })
    }
  }

  #reindex(qid: QueueId, q: QueueConfig, prev: Agent | undefined, next: Agent): void {
    const line = this.line(qid)
    const before = prev !== undefined && isAvailable(prev) ? slotOf(prev, q.strategy) : undefined
    const after = isAvailable(next) ? slotOf(next, q.strategy) : undefined
    let available = line.available
    if (!(before && after && compareSlots(before, after) === 0)) {
      if (before) available = removeSorted(available, before, compareSlots)
      if (after) available = insertSorted(available, after, compareSlots)
    }
    const staffed = line.staffed + (isStaffed(next) ? 1 : 0) - (prev && isStaffed(prev) ? 1 : 0)
    if (available !== line.available || staffed !== line.staffed) this.setLine(qid, { ...line, available, staffed })
  }

  /** Take an agent out of every index (before its queues change). */
  forgetAgent(prev: Agent): void {
    for (const qid of prev.queues) {
      const q = this.base.queues.get(qid)
      if (!q) continue
      const line = this.line(qid)
      const available = isAvailable(prev) ? removeSorted(line.available, slotOf(prev, q.strategy), compareSlots) : line.available
      this.setLine(qid, { ...line, available, staffed: line.staffed - (isStaffed(prev) ? 1 : 0) })
    }
    this.agents = this.agents.delete(prev.id)
  }

  /** Store a caller; `fresh` asks `settle` to look for an agent for it. */
  putCall(next: QueuedCall, fresh: boolean): void {
    const prev = this.calls.get(next.id)
    this.calls = this.calls.set(next.id, next)
    if (!prev || prev.queue !== next.queue) {
      if (prev) this.#unplace(prev)
      const line = this.line(next.queue)
      this.setLine(next.queue, { ...line, waiting: insertSorted(line.waiting, placeOf(next), comparePlaces) })
    }
    if (fresh) this.freshCalls.add(next.id)
  }

  dropCall(id: CallId): void {
    const prev = this.calls.get(id)
    if (!prev) return
    this.calls = this.calls.delete(id)
    this.#unplace(prev)
    this.freshCalls.delete(id)
  }

  #unplace(c: QueuedCall): void {
    const line = this.line(c.queue)
    this.setLine(c.queue, { ...line, waiting: removeSorted(line.waiting, placeOf(c), comparePlaces) })
  }

  nextSeq(): number {
    this.seq += 1
    return this.seq
  }
}

export function emptyState(queues: Iterable<QueueConfig>): AcdState {
  const qs = new Map<QueueId, QueueConfig>()
  for (const q of queues) qs.set(q.id, q)
  return {
    queues: qs,
    agents: PersistentMap.empty(),
    calls: PersistentMap.empty(),
    offers: PersistentMap.empty(),
    lines: PersistentMap.empty(),
    seq: 0,
  }
}

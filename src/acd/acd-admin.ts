/**
 * Configuration (agents and queues CRUD) and the read model (agent views, live queue snapshots).
 * Writes go to the store first, then into the running ACD, so a restart sees what the API said.
 */
import { err, failure, ok, type AgentId, type Clock, type Failure, type QueueId, type Result } from '../shared/index.ts'
import {
  configureQueue, queueSnapshot, removeAgent, removeQueue, type AcdEvent, type AcdInput, type AcdState, type Activity, type Agent,
  type Contact, type Presence, type QueueConfig, type QueueSnapshot,
} from './core/index.ts'
import type { AgentRecord, AgentRepository, QueueRepository } from './ports.ts'

export interface AdminHost {
  state(): AcdState
  replace(s: AcdState): void
  feed(i: AcdInput): readonly AcdEvent[]
  readonly agents: AgentRepository
  readonly queues: QueueRepository
  readonly clock: Clock
  /** Asks the switch who is registered now (an agent made while its phone is already registered). */
  readonly refreshRegistrations?: () => Promise<void>
}

export interface AgentView {
  readonly id: AgentId
  readonly name: string
  readonly contact: Contact
  readonly skills: Readonly<Record<string, number>>
  readonly queues: readonly QueueId[]
  readonly presence: Presence
  readonly activity: Activity
  readonly registered: boolean
  /** How long the agent has been in the current presence / activity (ms; activity only when it has a start). */
  readonly presenceForMs: number
  readonly activityForMs: number | undefined
}

export interface LiveQueue extends Omit<QueueSnapshot, 'agents'> {
  readonly agents: readonly AgentView[]
  /** How many of the queue's agents are in each state: presence, or activity when ready. */
  readonly byState: Readonly<Record<string, number>>
}

export class AcdAdmin {
  readonly #h: AdminHost
  readonly #records = new Map<AgentId, AgentRecord>()

  constructor(h: AdminHost) {
    this.#h = h
  }

  remember(records: readonly AgentRecord[]): void {
    for (const r of records) this.#records.set(r.id, r)
  }

  agents(): AgentView[] {
    return [...this.#h.state().agents.values()].map((a) => this.#view(a)).sort((x, y) => (x.id < y.id ? -1 : 1))
  }

  agent(id: AgentId): AgentView | undefined {
    const a = this.#h.state().agents.get(id)
    return a && this.#view(a)
  }

  async saveAgent(r: AgentRecord): Promise<Result<AgentView, Failure>> {
    const unknown = r.queues.find((q) => !this.#h.state().queues.has(q))
    if (unknown) return err(failure('queue-unknown', `no queue ${unknown}`))
    const clash = [...this.#records.values()].find((o) => o.id !== r.id && sameContact(o.contact, r.contact))
    if (clash) return err(failure('agent-contact-taken', `agent ${clash.id} already has this contact`))
    await this.#h.agents.save(r)
    this.#records.set(r.id, r)
    this.#h.feed({ kind: 'agent-configured', profile: { id: r.id, contact: r.contact, skills: r.skills, queues: r.queues } })
    // A phone registers once an hour or so: without asking, an agent added while their phone is
    // already up would be unreachable until its next REGISTER.
    if (r.contact.kind === 'sip') await this.#h.refreshRegistrations?.()
    return ok(this.agent(r.id)!)
  }

  async removeAgent(id: AgentId): Promise<Result<void, Failure>> {
    if (!this.#h.state().agents.has(id)) return err(failure('agent-unknown', `no agent ${id}`))
    const next = removeAgent(this.#h.state(), id)
    if (!next) return err(failure('agent-busy', `agent ${id} is ringing or on a call`))
    await this.#h.agents.remove(id)
    this.#records.delete(id)
    this.#h.replace(next)
    return ok(undefined)
  }

  queues(): QueueConfig[] {
    return [...this.#h.state().queues.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  async saveQueue(q: QueueConfig): Promise<Result<QueueConfig, Failure>> {
    const targets = [...q.escalation.flatMap((s) => (s.action.kind === 'overflow' ? [s.action.to] : [])), ...(q.maxWait?.exit.kind === 'queue' ? [q.maxWait.exit.to] : [])]
    const unknown = targets.find((t) => t !== q.id && !this.#h.state().queues.has(t))
    if (unknown) return err(failure('queue-unknown', `overflow to unknown queue ${unknown}`))
    await this.#h.queues.save(q)
    this.#h.replace(configureQueue(this.#h.state(), q))
    return ok(q)
  }

  async removeQueue(id: QueueId): Promise<Result<void, Failure>> {
    if (!this.#h.state().queues.has(id)) return err(failure('queue-unknown', `no queue ${id}`))
    const next = removeQueue(this.#h.state(), id)
    if (!next) return err(failure('queue-busy', `callers are waiting in ${id}`))
    await this.#h.queues.remove(id)
    this.#h.replace(next)
    return ok(undefined)
  }

  live(id: QueueId): LiveQueue | undefined {
    const s = this.#h.state()
    const snap = queueSnapshot(s, id, this.#h.clock.now())
    if (!snap) return undefined
    const agents = snap.agents.flatMap((a) => {
      const agent = s.agents.get(a.agent)
      return agent ? [this.#view(agent)] : []
    }).sort((x, y) => (x.id < y.id ? -1 : 1))
    const byState: Record<string, number> = {}
    for (const a of agents) {
      const key = a.presence.kind === 'ready' ? (a.registered ? a.activity.kind : 'unreachable') : a.presence.kind
      byState[key] = (byState[key] ?? 0) + 1
    }
    return { ...snap, agents, byState }
  }

  #view(a: Agent): AgentView {
    const now = this.#h.clock.now()
    const since = a.activity.since
    return {
      id: a.id, name: this.#records.get(a.id)?.name ?? a.id, contact: a.contact, skills: Object.fromEntries(a.skills), queues: a.queues,
      presence: a.presence, activity: a.activity, registered: a.registered,
      presenceForMs: now - a.presence.since, activityForMs: since === undefined ? undefined : now - since,
    }
  }
}

const sameContact = (a: Contact, b: Contact): boolean =>
  a.kind === 'sip' ? b.kind === 'sip' && a.user === b.user : b.kind === 'pstn' && a.number === b.number

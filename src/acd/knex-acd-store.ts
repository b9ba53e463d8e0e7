/** The ACD's repositories on the store (knex: SQLite or PostgreSQL). */
import type { Knex } from 'knex'
import { agentId, callId, queueId, type AgentId, type CallId, type Instant, type QueueId } from '../shared/index.ts'
import { queueConfig, type Contact, type Presence, type QueueConfig, type Tier } from './core/index.ts'
import type { AgentRecord, AgentRepository, CallbackStore, PresenceEntry, PresenceLog, QueueRepository, SavedCallback } from './ports.ts'
import { decodeSkills, encodeSkills } from './recovery.ts'

// PostgreSQL returns bigint as a string; SQLite as a number.
const num = (v: number | string): number => Number(v)

interface QueueRow { id: string; config: string; updated_at: number | string }

export class KnexQueueRepository implements QueueRepository {
  constructor(readonly db: Knex, readonly now: () => Instant = Date.now) {}

  async list(): Promise<QueueConfig[]> {
    const rows = await this.db<QueueRow>('acd_queues').orderBy('id')
    return rows.map(fromQueueRow)
  }

  async get(id: QueueId): Promise<QueueConfig | undefined> {
    const row = await this.db<QueueRow>('acd_queues').where({ id }).first()
    return row ? fromQueueRow(row) : undefined
  }

  async save(q: QueueConfig): Promise<void> {
    const { id, ...rest } = q
    const row = { id, config: JSON.stringify(rest), updated_at: this.now() }
    await this.db('acd_queues').insert(row).onConflict('id').merge()
  }

  async remove(id: QueueId): Promise<boolean> {
    return (await this.db('acd_queues').where({ id }).delete()) > 0
  }
}

/** Defaults fill what an older row lacks, so a new QueueConfig field needs no data migration. */
function fromQueueRow(r: QueueRow): QueueConfig {
  const stored = JSON.parse(r.config) as Partial<Omit<QueueConfig, 'id'>>
  return queueConfig(queueId(r.id), stored)
}

interface AgentRow { id: string; name: string; contact_kind: string; contact: string; skills: string; queues: string; updated_at: number | string }

export class KnexAgentRepository implements AgentRepository {
  constructor(readonly db: Knex, readonly now: () => Instant = Date.now) {}

  async list(): Promise<AgentRecord[]> {
    const rows = await this.db<AgentRow>('acd_agents').orderBy('id')
    return rows.map(fromAgentRow)
  }

  async get(id: AgentId): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('acd_agents').where({ id }).first()
    return row ? fromAgentRow(row) : undefined
  }

  async save(a: AgentRecord): Promise<void> {
    const contact = a.contact.kind === 'sip' ? a.contact.user : a.contact.number
    const row: AgentRow = {
      id: a.id, name: a.name, contact_kind: a.contact.kind, contact, skills: JSON.stringify(Object.fromEntries(a.skills)),
      queues: JSON.stringify(a.queues), updated_at: this.now(),
    }
    await this.db('acd_agents').insert(row).onConflict('id').merge()
  }

  async remove(id: AgentId): Promise<boolean> {
    return (await this.db('acd_agents').where({ id }).delete()) > 0
  }
}

function fromAgentRow(r: AgentRow): AgentRecord {
  const contact: Contact = r.contact_kind === 'pstn' ? { kind: 'pstn', number: r.contact } : { kind: 'sip', user: r.contact }
  const skills = JSON.parse(r.skills) as Record<string, number>
  const queues = JSON.parse(r.queues) as string[]
  return { id: agentId(r.id), name: r.name, contact, skills: new Map(Object.entries(skills)), queues: queues.map(queueId) }
}

interface PresenceRow { id?: number; agent_id: string; presence: string; reason: string | null; activity: string; at: number | string }

export class KnexPresenceLog implements PresenceLog {
  constructor(readonly db: Knex) {}

  async append(e: PresenceEntry): Promise<void> {
    const row: PresenceRow = { agent_id: e.agent, presence: e.presence, reason: e.reason ?? null, activity: e.activity, at: e.at }
    await this.db('acd_presence_log').insert(row)
  }

  async latest(): Promise<Map<AgentId, PresenceEntry>> {
    const last = this.db('acd_presence_log').max('id').groupBy('agent_id')
    const rows = await this.db<PresenceRow>('acd_presence_log').whereIn('id', last)
    return new Map(rows.map((r) => [agentId(r.agent_id), fromPresenceRow(r)]))
  }

  async history(agent: AgentId, from: Instant, to: Instant): Promise<PresenceEntry[]> {
    const rows = await this.db<PresenceRow>('acd_presence_log').where({ agent_id: agent }).andWhere('at', '>=', from).andWhere('at', '<', to).orderBy('id')
    return rows.map(fromPresenceRow)
  }
}

function fromPresenceRow(r: PresenceRow): PresenceEntry {
  return {
    agent: agentId(r.agent_id), presence: r.presence as Presence['kind'], reason: r.reason ?? undefined,
    activity: r.activity as PresenceEntry['activity'], at: num(r.at),
  }
}

interface CallbackRow {
  call_id: string
  queue: string
  skills: string
  tier: string
  enqueued_at: number | string
  number: string
  requested_at: number | string
  finished_at?: number | string | null
  outcome?: string | null
  attempts?: number | null
}

/** Callbacks waiting to be made (acd_callbacks): what a restart must not lose. */
export class KnexCallbackStore implements CallbackStore {
  constructor(readonly db: Knex) {}

  async save(c: SavedCallback): Promise<void> {
    const row: CallbackRow = { call_id: c.call, queue: c.queue, skills: encodeSkills(c.skills), tier: c.tier, enqueued_at: c.enqueuedAt, number: c.number, requested_at: c.requestedAt }
    await this.db('acd_callbacks').insert(row).onConflict('call_id').ignore()
  }

  async finish(call: CallId, outcome: string, attempts: number, at: Instant): Promise<void> {
    await this.db('acd_callbacks').where({ call_id: call }).whereNull('finished_at').update({ finished_at: at, outcome, attempts })
  }

  async waiting(): Promise<SavedCallback[]> {
    const rows = await this.db<CallbackRow>('acd_callbacks').whereNull('finished_at').orderBy('enqueued_at')
    return rows.map((r) => ({
      call: callId(r.call_id), queue: queueId(r.queue), skills: decodeSkills(r.skills), tier: r.tier as Tier,
      enqueuedAt: num(r.enqueued_at), number: r.number, requestedAt: num(r.requested_at),
    }))
  }
}

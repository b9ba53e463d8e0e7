import type { Knex } from 'knex'
import { outcomeOf, type Cdr, type CdrClosing, type CdrOpening, type CdrPatch, type CdrQuery, type CdrStore } from './cdr.ts'

/** One page or one export at most: a day of a 30-agent center is a few thousand calls. */
export const MAX_ROWS = 20_000

interface Row {
  call_id: string
  entry: string
  did: string
  region: string | null
  caller_number: string
  caller_name: string | null
  arrived_at: number | string
  ivr_ended_at: number | string | null
  ivr_path: string | null
  facts: string | null
  queue: string | null
  tier: string | null
  queued_at: number | string | null
  answered_at: number | string | null
  agent_id: string | null
  ended_at: number | string | null
  hangup_cause: string | null
  outcome: string | null
  disposition: string | null
  transferred_to: string | null
}

// PostgreSQL returns bigint as a string; SQLite as a number.
const num = (v: number | string | null): number | undefined => (v === null ? undefined : Number(v))
const opt = (v: string | null): string | undefined => v ?? undefined

function toRow(p: CdrPatch): Partial<Row> {
  const r: Partial<Row> = {}
  if (p.ivrEndedAt !== undefined) r.ivr_ended_at = p.ivrEndedAt
  if (p.ivrPath !== undefined) r.ivr_path = JSON.stringify(p.ivrPath)
  if (p.facts !== undefined) r.facts = JSON.stringify(p.facts)
  if (p.queue !== undefined) r.queue = p.queue
  if (p.tier !== undefined) r.tier = p.tier
  if (p.queuedAt !== undefined) r.queued_at = p.queuedAt
  if (p.answeredAt !== undefined) r.answered_at = p.answeredAt
  if (p.agentId !== undefined) r.agent_id = p.agentId
  if (p.disposition !== undefined) r.disposition = p.disposition
  if (p.outcome !== undefined) r.outcome = p.outcome
  if (p.transferredTo !== undefined) r.transferred_to = p.transferredTo
  return r
}

function fromRow(r: Row): Cdr {
  const c: Record<string, unknown> = {
    callId: r.call_id, entry: r.entry, did: r.did, region: opt(r.region), callerNumber: r.caller_number, callerName: r.caller_name ?? '',
    arrivedAt: Number(r.arrived_at), endedAt: num(r.ended_at), hangupCause: opt(r.hangup_cause), outcome: opt(r.outcome),
    ivrEndedAt: num(r.ivr_ended_at), ivrPath: r.ivr_path ? (JSON.parse(r.ivr_path) as string[]) : undefined,
    facts: r.facts ? (JSON.parse(r.facts) as Record<string, unknown>) : undefined, queue: opt(r.queue), tier: opt(r.tier),
    queuedAt: num(r.queued_at), answeredAt: num(r.answered_at), agentId: opt(r.agent_id), disposition: opt(r.disposition), transferredTo: opt(r.transferred_to),
  }
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k]
  return c as unknown as Cdr
}

export class KnexCdrStore implements CdrStore {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  async open(o: CdrOpening): Promise<void> {
    await this.#db<Row>('cdr')
      .insert({ call_id: o.callId, entry: o.entry, did: o.did, region: o.region ?? null, caller_number: o.callerNumber, caller_name: o.callerName, arrived_at: o.arrivedAt })
      .onConflict('call_id')
      .ignore()
  }

  async patch(callId: string, p: CdrPatch): Promise<void> {
    const row = toRow(p)
    if (Object.keys(row).length) await this.#db<Row>('cdr').where({ call_id: callId }).update(row)
  }

  async close(callId: string, c: CdrClosing): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const row: Row | undefined = await tx<Row>('cdr').where({ call_id: callId }).whereNull('ended_at').first()
      if (!row) return false
      const outcome = outcomeOf(fromRow(row))
      const n = await tx<Row>('cdr').where({ call_id: callId }).whereNull('ended_at').update({ ended_at: c.endedAt, hangup_cause: c.hangupCause, outcome })
      return n > 0
    })
  }

  async get(callId: string): Promise<Cdr | undefined> {
    const r = await this.#db<Row>('cdr').where({ call_id: callId }).first()
    return r ? fromRow(r) : undefined
  }

  async list(o: CdrQuery): Promise<Cdr[]> {
    let q = this.#db<Row>('cdr').orderBy('arrived_at', 'desc').orderBy('call_id', 'desc').limit(Math.min(o.limit ?? 100, MAX_ROWS))
    if (o.from !== undefined) q = q.where('arrived_at', '>=', o.from)
    if (o.to !== undefined) q = q.where('arrived_at', '<', o.to)
    if (o.before !== undefined) q = q.where('arrived_at', '<', o.before)
    if (o.queue !== undefined) q = q.where('queue', o.queue)
    if (o.agent !== undefined) q = q.where('agent_id', o.agent)
    if (o.outcome !== undefined) q = q.where('outcome', o.outcome)
    if (o.caller !== undefined) q = q.where('caller_number', o.caller)
    return ((await q)).map(fromRow)
  }

  async unclosed(): Promise<Cdr[]> {
    return (await this.#db<Row>('cdr').whereNull('ended_at').orderBy('arrived_at')).map(fromRow)
  }
}

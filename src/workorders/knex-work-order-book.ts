/** Work orders, reference counters and follow-ups in the store. */
import type { Knex } from 'knex'
import type { Instant } from '../shared/index.ts'
import { formatReference, type WorkOrder, type WorkOrderStatus, type WorkOrderType } from './core/index.ts'

interface Row {
  id: number; reference: string; type: string; status: string; account: string | null; caller: string | null; area: string
  summary: string; details: string; created_by: string; created_at: number | string; due_at: number | string
  slot_day: string | null; slot_name: string | null; assignee: string | null; updated_at: number | string
  done_at: number | string | null; closed_at: number | string | null
}

interface FollowUpRow { id: number; work_order_id: number; due_at: number | string; outcome: string | null; note: string | null; agent: string | null; recorded_at: number | string | null }

export type NewWorkOrder = Omit<WorkOrder, 'id' | 'reference' | 'updatedAt'>

export interface WorkOrderFilter {
  readonly status?: WorkOrderStatus | undefined
  readonly type?: WorkOrderType | undefined
  readonly area?: string | undefined
  readonly account?: string | undefined
  /** Only open orders already past due at this instant. */
  readonly overdueAt?: Instant | undefined
  readonly openOnly?: boolean | undefined
  readonly limit?: number | undefined
}

export interface FollowUp {
  readonly id: number
  readonly workOrderId: number
  readonly dueAt: Instant
  readonly outcome?: string
  readonly note?: string
  readonly agent?: string
  readonly recordedAt?: Instant
}

/** A numeric column of the first row of an INSERT … RETURNING (pg may answer a string). */
export function firstColumn(rows: unknown, column: string): number {
  const row: unknown = Array.isArray(rows) ? rows[0] : undefined
  const v: unknown = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[column] : undefined
  if (typeof v !== 'number' && typeof v !== 'string') throw new Error(`INSERT … RETURNING ${column} returned no row`)
  return Number(v)
}

const optNum = (v: number | string | null): number | undefined => (v === null ? undefined : Number(v))

function toOrder(r: Row): WorkOrder {
  const o: Record<string, unknown> = {
    id: r.id, reference: r.reference, type: r.type, status: r.status, account: r.account ?? undefined, caller: r.caller ?? undefined, area: r.area,
    summary: r.summary, details: JSON.parse(r.details) as unknown, createdBy: r.created_by, createdAt: Number(r.created_at), dueAt: Number(r.due_at),
    slot: r.slot_day !== null && r.slot_name !== null ? { day: r.slot_day, slot: r.slot_name } : undefined,
    assignee: r.assignee ?? undefined, updatedAt: Number(r.updated_at), doneAt: optNum(r.done_at), closedAt: optNum(r.closed_at),
  }
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o as unknown as WorkOrder
}

function toFollowUp(r: FollowUpRow): FollowUp {
  const f: Record<string, unknown> = {
    id: r.id, workOrderId: r.work_order_id, dueAt: Number(r.due_at), outcome: r.outcome ?? undefined, note: r.note ?? undefined,
    agent: r.agent ?? undefined, recordedAt: optNum(r.recorded_at),
  }
  for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k]
  return f as unknown as FollowUp
}

export class KnexWorkOrderBook {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.#db.transaction(fn)
  }

  /**
   * The next number for a reference prefix, in one upsert statement so that two IVR calls filing
   * a repair in the same second never get the same reference (SQLite ≥ 3.35 and PostgreSQL).
   */
  async nextSequence(prefix: string, db: Knex = this.#db): Promise<number> {
    const rows: unknown = await db('work_order_counters')
      .insert({ prefix, last: 1 })
      .onConflict('prefix')
      .merge({ last: db.raw('?? + 1', ['work_order_counters.last']) })
      .returning('last')
    return firstColumn(rows, 'last')
  }

  async insert(o: NewWorkOrder, prefix: string, db: Knex = this.#db): Promise<WorkOrder> {
    const reference = formatReference(prefix, await this.nextSequence(prefix, db))
    const rows: unknown = await db('work_orders').insert({
      reference, type: o.type, status: o.status, account: o.account ?? null, caller: o.caller ?? null, area: o.area, summary: o.summary,
      details: JSON.stringify(o.details), created_by: o.createdBy, created_at: o.createdAt, due_at: o.dueAt,
      slot_day: o.slot?.day ?? null, slot_name: o.slot?.slot ?? null, assignee: o.assignee ?? null, updated_at: o.createdAt,
      done_at: null, closed_at: null,
    }).returning('id')
    return { ...o, id: firstColumn(rows, 'id'), reference, updatedAt: o.createdAt }
  }

  async get(id: number, db: Knex = this.#db): Promise<WorkOrder | undefined> {
    const r = (await db('work_orders').where({ id }).first()) as Row | undefined
    return r && toOrder(r)
  }

  async getByReference(reference: string): Promise<WorkOrder | undefined> {
    const r = (await this.#db('work_orders').where({ reference }).first()) as Row | undefined
    return r && toOrder(r)
  }

  /** Newest first. */
  async list(f: WorkOrderFilter): Promise<WorkOrder[]> {
    const q = this.#db<Row>('work_orders').orderBy('id', 'desc').limit(f.limit ?? 100)
    if (f.status !== undefined) void q.where({ status: f.status })
    if (f.type !== undefined) void q.where({ type: f.type })
    if (f.area !== undefined) void q.where({ area: f.area })
    if (f.account !== undefined) void q.where({ account: f.account })
    if (f.openOnly === true || f.overdueAt !== undefined) void q.whereNotIn('status', ['done', 'closed'])
    if (f.overdueAt !== undefined) void q.where('due_at', '<', f.overdueAt)
    return ((await q)).map(toOrder)
  }

  /**
   * Saves a transition, guarded on the status it was read in: if another request moved the order
   * meanwhile, nothing is written and the caller reports a conflict instead of a lost update.
   */
  async saveMove(o: WorkOrder, fromStatus: WorkOrderStatus, db: Knex = this.#db): Promise<boolean> {
    const n = await db('work_orders').where({ id: o.id, status: fromStatus }).update({
      status: o.status, assignee: o.assignee ?? null, updated_at: o.updatedAt, done_at: o.doneAt ?? null, closed_at: o.closedAt ?? null,
    })
    return n === 1
  }

  async addFollowUp(workOrderId: number, dueAt: Instant, db: Knex = this.#db): Promise<FollowUp> {
    const rows: unknown = await db('follow_ups').insert({ work_order_id: workOrderId, due_at: dueAt }).returning('id')
    return { id: firstColumn(rows, 'id'), workOrderId, dueAt }
  }

  async followUps(f: { readonly workOrderId?: number; readonly dueBefore?: Instant; readonly pendingOnly?: boolean }): Promise<FollowUp[]> {
    const q = this.#db<FollowUpRow>('follow_ups').orderBy('due_at')
    if (f.workOrderId !== undefined) void q.where({ work_order_id: f.workOrderId })
    if (f.dueBefore !== undefined) void q.where('due_at', '<=', f.dueBefore)
    if (f.pendingOnly === true) void q.whereNull('recorded_at')
    return ((await q)).map(toFollowUp)
  }

  /** Records the outcome of a pending follow-up; false when it is unknown or already recorded. */
  async recordFollowUp(id: number, r: { outcome: string; note: string; agent: string; at: Instant }): Promise<boolean> {
    return (await this.#db('follow_ups').where({ id }).whereNull('recorded_at').update({ outcome: r.outcome, note: r.note, agent: r.agent, recorded_at: r.at })) === 1
  }
}


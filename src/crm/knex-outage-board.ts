/** Area outages in the store. */
import type { Knex } from 'knex'
import type { Instant } from '../shared/index.ts'
import type { Outage } from './core/index.ts'

interface OutageRow { id: number; area: string; started_at: number | string; ended_at: number | string | null; prompt_id: string; note: string }

const toOutage = (r: OutageRow): Outage => ({
  id: r.id, area: r.area, startedAt: Number(r.started_at), promptId: r.prompt_id, note: r.note,
  ...(r.ended_at === null ? {} : { endedAt: Number(r.ended_at) }),
})

/** The id of the first row of an INSERT … RETURNING id. */
export function insertedId(rows: unknown): number {
  const row: unknown = Array.isArray(rows) ? rows[0] : undefined
  const id: unknown = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined
  if (typeof id !== 'number' && typeof id !== 'string') throw new Error('INSERT … RETURNING id returned no row')
  return Number(id)
}

export type OutageDraft = Omit<Outage, 'id' | 'endedAt'>

export class KnexOutageBoard {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  async create(o: OutageDraft): Promise<Outage> {
    const rows: unknown = await this.#db('outages').insert({ area: o.area, started_at: o.startedAt, ended_at: null, prompt_id: o.promptId, note: o.note }).returning('id')
    return { ...o, id: insertedId(rows) }
  }

  async get(id: number): Promise<Outage | undefined> {
    const row = (await this.#db('outages').where({ id }).first()) as OutageRow | undefined
    return row && toOutage(row)
  }

  /** Ends an open outage; false when it was already ended (or never existed). */
  async end(id: number, at: Instant): Promise<boolean> {
    return (await this.#db('outages').where({ id }).whereNull('ended_at').update({ ended_at: at })) === 1
  }

  /** Newest first; only those active at `activeAt` when given. */
  async list(f: { readonly activeAt?: Instant; readonly area?: string; readonly limit?: number }): Promise<Outage[]> {
    const q = this.#db<OutageRow>('outages').orderBy('started_at', 'desc').limit(f.limit ?? 100)
    if (f.area !== undefined) void q.where({ area: f.area })
    if (f.activeAt !== undefined) {
      const now = f.activeAt
      void q.where('started_at', '<=', now).andWhere((w) => { void w.whereNull('ended_at').orWhere('ended_at', '>', now) })
    }
    return ((await q)).map(toOutage)
  }
}

/** FaxStore over knex (SQLite or PostgreSQL); tables from store/migrations/0040_fax.ts. */
import type { Knex } from 'knex'
import type { AttemptEnding, FaxAttempt, FaxJob, FaxListQuery, FaxStore, JobPatch, ReceivedEnding, ReceivedFax } from './fax-store.ts'

type Row = Record<string, unknown>

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** Columns whose values need converting back: PostgreSQL returns bigint as a string, SQLite booleans as 0/1. */
const NUMERIC = new Set(['started_at', 'ended_at', 'created_at', 'updated_at', 'next_attempt_at', 'finished_at'])
const BOOLEAN = new Set(['ecm'])

function toRow(o: object): Row {
  const r: Row = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined) r[snake(k)] = v
  return r
}

function fromRow<T>(r: Row): T {
  const o: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(r)) {
    if (v === null || v === undefined) continue
    o[camel(k)] = NUMERIC.has(k) ? Number(v) : BOOLEAN.has(k) ? Boolean(v) : v
  }
  return o as T
}

const limitOf = (q: FaxListQuery): number => Math.min(Math.max(q.limit ?? 100, 1), 1000)

export class KnexFaxStore implements FaxStore {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  async insertReceived(f: ReceivedFax): Promise<void> {
    await this.#db('fax_received').insert(toRow(f)).onConflict('id').ignore()
  }

  async finishReceived(id: string, e: ReceivedEnding): Promise<void> {
    await this.#db('fax_received').where({ id }).update(toRow(e))
  }

  async failUnfinishedReceived(at: number, text: string): Promise<number> {
    return this.#db('fax_received').where({ status: 'receiving' }).update({ status: 'failed', ended_at: at, result_text: text })
  }

  async getReceived(id: string): Promise<ReceivedFax | undefined> {
    const r = (await this.#db('fax_received').where({ id }).first()) as Row | undefined
    return r ? fromRow<ReceivedFax>(r) : undefined
  }

  async listReceived(q: FaxListQuery): Promise<ReceivedFax[]> {
    let query = this.#db('fax_received').orderBy('started_at', 'desc').limit(limitOf(q))
    if (q.from !== undefined) query = query.where('started_at', '>=', q.from)
    if (q.to !== undefined) query = query.where('started_at', '<', q.to)
    return ((await query) as Row[]).map((r) => fromRow<ReceivedFax>(r))
  }

  async insertJob(j: FaxJob): Promise<void> {
    await this.#db('fax_jobs').insert(toRow(j))
  }

  async updateJob(id: string, p: JobPatch): Promise<void> {
    const row = toRow(p)
    // nextAttemptAt: undefined in a patch means "no retry pending": clear it when the status moves on.
    if (p.status !== undefined && p.nextAttemptAt === undefined) row['next_attempt_at'] = null
    await this.#db('fax_jobs').where({ id }).update(row)
  }

  async getJob(id: string): Promise<FaxJob | undefined> {
    const r = (await this.#db('fax_jobs').where({ id }).first()) as Row | undefined
    return r ? fromRow<FaxJob>(r) : undefined
  }

  async listJobs(q: FaxListQuery): Promise<FaxJob[]> {
    let query = this.#db('fax_jobs').orderBy('created_at', 'desc').limit(limitOf(q))
    if (q.from !== undefined) query = query.where('created_at', '>=', q.from)
    if (q.to !== undefined) query = query.where('created_at', '<', q.to)
    return ((await query) as Row[]).map((r) => fromRow<FaxJob>(r))
  }

  async openJobs(): Promise<FaxJob[]> {
    const rows = (await this.#db('fax_jobs').whereNotIn('status', ['sent', 'failed']).orderBy('created_at', 'asc')) as Row[]
    return rows.map((r) => fromRow<FaxJob>(r))
  }

  async startAttempt(a: FaxAttempt): Promise<void> {
    await this.#db('fax_attempts').insert(toRow(a)).onConflict(['job_id', 'attempt']).ignore()
  }

  async finishAttempt(jobId: string, attempt: number, e: AttemptEnding): Promise<void> {
    await this.#db('fax_attempts').where({ job_id: jobId, attempt }).whereNull('ended_at').update(toRow(e))
  }

  async attempts(jobId: string): Promise<FaxAttempt[]> {
    const rows = (await this.#db('fax_attempts').where({ job_id: jobId }).orderBy('attempt', 'asc')) as Row[]
    return rows.map((r) => fromRow<FaxAttempt>(r))
  }
}

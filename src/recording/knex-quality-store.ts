/** Score sheets and evaluations of recordings, with agent and queue averages. */
import type { Knex } from 'knex'
import type { Criterion, ScoreSheet } from './core/index.ts'

export interface Evaluation {
  readonly id: string
  readonly recordingId: string
  readonly sheetId: string
  readonly agentId: string | undefined
  readonly queue: string | undefined
  readonly evaluator: string
  readonly scores: Readonly<Record<string, number>>
  readonly comment: string | undefined
  readonly total: number
  readonly createdAt: number
}

export interface Average {
  readonly key: string
  readonly evaluations: number
  readonly average: number
}

export interface QualityStore {
  createSheet(s: ScoreSheet, by: string, at: number): Promise<boolean>
  getSheet(id: string): Promise<ScoreSheet | undefined>
  listSheets(): Promise<ScoreSheet[]>
  addEvaluation(e: Evaluation): Promise<void>
  evaluationsOf(recordingId: string): Promise<Evaluation[]>
  averages(by: 'agent' | 'queue', from: number | undefined, to: number | undefined): Promise<Average[]>
}

type Cell = string | number | null

export class KnexQualityStore implements QualityStore {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  async createSheet(s: ScoreSheet, by: string, at: number): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      if (await tx('score_sheets').where({ name: s.name }).orWhere({ id: s.id }).first()) return false
      await tx('score_sheets').insert({ id: s.id, name: s.name, criteria: JSON.stringify(s.criteria), created_by: by, created_at: at })
      return true
    })
  }

  async getSheet(id: string): Promise<ScoreSheet | undefined> {
    const r = (await this.#db('score_sheets').where({ id }).first()) as Record<string, Cell> | undefined
    return r ? { id: String(r['id']), name: String(r['name']), criteria: JSON.parse(String(r['criteria'])) as Criterion[] } : undefined
  }

  async listSheets(): Promise<ScoreSheet[]> {
    const rows = (await this.#db('score_sheets').orderBy('name')) as Array<Record<string, Cell>>
    return rows.map((r) => ({ id: String(r['id']), name: String(r['name']), criteria: JSON.parse(String(r['criteria'])) as Criterion[] }))
  }

  async addEvaluation(e: Evaluation): Promise<void> {
    await this.#db('recording_evaluations').insert({
      id: e.id, recording_id: e.recordingId, sheet_id: e.sheetId, agent_id: e.agentId ?? null, queue: e.queue ?? null, evaluator: e.evaluator,
      scores: JSON.stringify(e.scores), comment: e.comment ?? null, total: e.total, created_at: e.createdAt,
    })
  }

  async evaluationsOf(recordingId: string): Promise<Evaluation[]> {
    const rows = (await this.#db('recording_evaluations').where({ recording_id: recordingId }).orderBy('created_at')) as Array<Record<string, Cell>>
    return rows.map((r) => ({
      id: String(r['id']), recordingId: String(r['recording_id']), sheetId: String(r['sheet_id']),
      agentId: r['agent_id'] === null ? undefined : String(r['agent_id']), queue: r['queue'] === null ? undefined : String(r['queue']),
      evaluator: String(r['evaluator']), scores: JSON.parse(String(r['scores'])) as Record<string, number>,
      comment: r['comment'] === null ? undefined : String(r['comment']), total: Number(r['total']), createdAt: Number(r['created_at']),
    }))
  }

  async averages(by: 'agent' | 'queue', from: number | undefined, to: number | undefined): Promise<Average[]> {
    const col = by === 'agent' ? 'agent_id' : 'queue'
    let q = this.#db('recording_evaluations').select({ key: col }).count({ n: '*' }).avg({ a: 'total' }).whereNotNull(col).groupBy(col).orderBy(col)
    if (from !== undefined) q = q.where('created_at', '>=', from)
    if (to !== undefined) q = q.where('created_at', '<', to)
    const rows = (await q) as Array<{ key: string; n: number | string; a: number | string }>
    return rows.map((r) => ({ key: r.key, evaluations: Number(r.n), average: Math.round(Number(r.a) * 100) / 100 }))
  }
}

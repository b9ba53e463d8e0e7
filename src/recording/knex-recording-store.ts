import type { Knex } from 'knex'
import type { NewRecording, PauseSpan, RecordingFormat, RecordingKind } from './core/index.ts'
import type { AccessEntry, Deletion, Recording, RecordingEnding, RecordingFilter, RecordingStatus, RecordingStore } from './recording.ts'

interface Row {
  id: string
  call_id: string
  segment: number
  kind: string
  leg: string
  agent_id: string | null
  queue: string | null
  customer: string | null
  caller_number: string | null
  started_at: number | string
  ended_at: number | string | null
  duration_ms: number | string | null
  file_path: string
  size_bytes: number | string | null
  sha256: string | null
  format: string
  channels: number
  retention_class: string
  keep_until: number | string
  legal_hold: boolean | number
  hold_reason: string | null
  status: string
  pauses: string
  problem: string | null
  claimed_by: string | null
  claimed_at: number | string | null
}

// PostgreSQL returns bigint as a string; SQLite as a number.
const num = (v: number | string | null): number | undefined => (v === null ? undefined : Number(v))
const opt = (v: string | null): string | undefined => v ?? undefined

function fromRow(r: Row): Recording {
  return {
    id: r.id, callId: r.call_id, segment: Number(r.segment), kind: r.kind as RecordingKind, leg: r.leg,
    agentId: opt(r.agent_id), queue: opt(r.queue), customer: opt(r.customer), callerNumber: opt(r.caller_number),
    startedAt: Number(r.started_at), endedAt: num(r.ended_at), durationMs: num(r.duration_ms), file: r.file_path,
    sizeBytes: num(r.size_bytes), sha256: opt(r.sha256), format: r.format as RecordingFormat, channels: Number(r.channels),
    retentionClass: r.retention_class, keepUntil: Number(r.keep_until), legalHold: Boolean(r.legal_hold),
    holdReason: opt(r.hold_reason), status: r.status as RecordingStatus, pauses: JSON.parse(r.pauses) as PauseSpan[],
    problem: opt(r.problem),
  }
}

const LIVE: readonly RecordingStatus[] = ['recording', 'complete', 'missing-file', 'failed']

export class KnexRecordingStore implements RecordingStore {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  #t(): Knex.QueryBuilder<Row, Row[]> {
    return this.#db<Row, Row[]>('recordings')
  }

  async insert(r: NewRecording): Promise<void> {
    await this.#t().insert({
      id: r.id, call_id: r.callId, segment: r.segment, kind: r.kind, leg: r.leg, agent_id: r.agentId ?? null, queue: r.queue ?? null,
      customer: r.customer ?? null, caller_number: r.callerNumber ?? null, started_at: r.startedAt, file_path: r.file, format: r.format,
      channels: r.channels, retention_class: r.retentionClass, keep_until: r.keepUntil, legal_hold: false, status: 'recording', pauses: '[]',
    })
  }

  async get(id: string): Promise<Recording | undefined> {
    const r = await this.#t().where({ id }).first()
    return r ? fromRow(r) : undefined
  }

  async lastSegment(callId: string): Promise<number> {
    const r = (await this.#t().where({ call_id: callId }).max({ m: 'segment' }).first()) as { m: number | null } | undefined
    return Number(r?.m ?? 0)
  }

  async listByCall(callId: string): Promise<Recording[]> {
    return (await this.#t().where({ call_id: callId }).orderBy('segment')).map(fromRow)
  }

  async activeByFile(file: string): Promise<Recording | undefined> {
    const r = await this.#t().where({ file_path: file, status: 'recording' }).first()
    return r ? fromRow(r) : undefined
  }

  async finish(id: string, e: RecordingEnding): Promise<boolean> {
    const n = await this.#t().where({ id, status: 'recording' }).update({
      status: e.status, ended_at: e.endedAt, duration_ms: e.durationMs ?? null, size_bytes: e.sizeBytes ?? null,
      sha256: e.sha256 ?? null, pauses: JSON.stringify(e.pauses), problem: e.problem ?? null,
    })
    return n > 0
  }

  async fail(id: string, problem: string, at: number): Promise<boolean> {
    return (await this.#t().where({ id, status: 'recording' }).update({ status: 'failed', problem, ended_at: at })) > 0
  }

  async setPauses(id: string, pauses: readonly PauseSpan[]): Promise<boolean> {
    return (await this.#t().where({ id, status: 'recording' }).update({ pauses: JSON.stringify(pauses) })) > 0
  }

  async setRetention(id: string, retentionClass: string, keepUntil: number): Promise<void> {
    await this.#t().where({ id }).update({ retention_class: retentionClass, keep_until: keepUntil })
  }

  async setLegalHold(id: string, hold: boolean, reason: string | undefined): Promise<boolean> {
    return (await this.#t().where({ id }).whereIn('status', LIVE).update({ legal_hold: hold, hold_reason: hold ? (reason ?? null) : null })) > 0
  }

  async search(f: RecordingFilter): Promise<Recording[]> {
    let q = this.#db<Row, Row[]>('recordings as r').select('r.*').orderBy('r.started_at', 'desc').limit(Math.min(f.limit ?? 100, 1000)).offset(f.offset ?? 0)
    if (f.from !== undefined) q = q.where('r.started_at', '>=', f.from)
    if (f.to !== undefined) q = q.where('r.started_at', '<', f.to)
    if (f.agentId !== undefined) q = q.where('r.agent_id', f.agentId)
    if (f.queue !== undefined) q = q.where('r.queue', f.queue)
    if (f.caller !== undefined) q = q.where('r.caller_number', f.caller)
    if (f.customer !== undefined) q = q.where('r.customer', f.customer)
    if (f.status !== undefined) q = q.where('r.status', f.status)
    // The disposition is the agent's wrap-up code, kept once, in the CDR of the call.
    if (f.disposition !== undefined) q = q.whereIn('r.call_id', this.#db('cdr').select('call_id').where({ disposition: f.disposition }))
    return (await q).map(fromRow)
  }

  async logAccess(a: AccessEntry): Promise<void> {
    await this.#db('recording_access').insert({ recording_id: a.recordingId, user_id: a.userId, username: a.username, role: a.role, action: a.action, range: a.range ?? null, at: a.at })
  }

  async listAccess(recordingId: string): Promise<AccessEntry[]> {
    const rows = (await this.#db('recording_access').where({ recording_id: recordingId }).orderBy('id')) as Array<Record<string, string | number | null>>
    return rows.map((r) => ({
      recordingId: String(r['recording_id']), userId: String(r['user_id']), username: String(r['username']), role: String(r['role']),
      action: r['action'] === 'download' ? 'download' : 'play', range: r['range'] === null ? undefined : String(r['range']), at: Number(r['at']),
    }))
  }

  async claimDue(now: number, sweep: string, limit: number): Promise<Recording[]> {
    const due = (b: Knex.QueryBuilder) => b.where({ status: 'complete', legal_hold: false }).where('keep_until', '<=', now)
    // One conditional UPDATE: of two sweeps racing for a row, only one changes it.
    await due(this.#t().whereIn('id', due(this.#db('recordings').select('id')).orderBy('keep_until').limit(limit)))
      .update({ status: 'deleting', claimed_by: sweep, claimed_at: now })
    return (await this.#t().where({ status: 'deleting', claimed_by: sweep })).map(fromRow)
  }

  async claimStuck(staleBefore: number, now: number, sweep: string, limit: number): Promise<Recording[]> {
    const stuck = (b: Knex.QueryBuilder) => b.where({ status: 'deleting' }).where('claimed_at', '<', staleBefore)
    await stuck(this.#t().whereIn('id', stuck(this.#db('recordings').select('id')).limit(limit))).update({ claimed_by: sweep, claimed_at: now })
    return (await this.#t().where({ status: 'deleting', claimed_by: sweep })).map(fromRow)
  }

  async finishDeletions(ds: readonly Deletion[]): Promise<void> {
    if (!ds.length) return
    await this.#db.transaction(async (tx) => {
      for (let i = 0; i < ds.length; i += 200) {
        const chunk = ds.slice(i, i + 200)
        await tx('recording_deletions')
          .insert(chunk.map(({ recording: r, ...d }) => ({ recording_id: r.id, call_id: r.callId, file_path: r.file, size_bytes: r.sizeBytes ?? null, retention_class: r.retentionClass, keep_until: r.keepUntil, deleted_at: d.deletedAt, sweep: d.sweep, file_was_present: d.fileWasPresent })))
          .onConflict('recording_id').ignore()
        await tx<Row>('recordings').whereIn('id', chunk.map((d) => d.recording.id)).where({ status: 'deleting' }).update({ status: 'deleted', claimed_by: null, claimed_at: null })
      }
    })
  }

  async releaseClaim(id: string, sweep: string): Promise<void> {
    await this.#t().where({ id, status: 'deleting', claimed_by: sweep }).update({ status: 'complete', claimed_by: null, claimed_at: null })
  }

  async deletions(): Promise<Array<{ recordingId: string; filePath: string; deletedAt: number; sweep: string; fileWasPresent: boolean }>> {
    const rows = (await this.#db('recording_deletions').orderBy('id')) as Array<Record<string, string | number | boolean>>
    return rows.map((r) => ({ recordingId: String(r['recording_id']), filePath: String(r['file_path']), deletedAt: Number(r['deleted_at']), sweep: String(r['sweep']), fileWasPresent: Boolean(r['file_was_present']) }))
  }
}

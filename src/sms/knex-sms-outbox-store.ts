/** The SMS outbox in the shared store (migration 0070_sms). Times are epoch milliseconds. */
import type { Knex } from 'knex'
import type { Instant } from '../shared/index.ts'
import type { Settlement } from './core/index.ts'
import type { SmsMessage, SmsOutboxStore, SmsStatus } from './ports.ts'

const TABLE = 'sms_outbox'

interface Row {
  id: string
  to: string
  text: string
  status: string
  attempts: number
  next_attempt_at: number | string | null
  last_error: string | null
  created_at: number | string
  sent_at: number | string | null
  call_id: string | null
}

// PostgreSQL returns bigint as a string.
const time = (v: number | string | null): Instant | undefined => (v === null ? undefined : Number(v))

function fromRow(r: Row): SmsMessage {
  return {
    id: r.id, to: r.to, text: r.text, status: r.status as SmsStatus, attempts: r.attempts, nextAttemptAt: time(r.next_attempt_at),
    lastError: r.last_error ?? undefined, createdAt: Number(r.created_at), sentAt: time(r.sent_at), callId: r.call_id ?? undefined,
  }
}

export class KnexSmsOutboxStore implements SmsOutboxStore {
  readonly #db: Knex

  constructor(db: Knex) {
    this.#db = db
  }

  async insert(m: SmsMessage): Promise<void> {
    await this.#db<Row>(TABLE).insert({
      id: m.id, to: m.to, text: m.text, status: m.status, attempts: m.attempts, next_attempt_at: m.nextAttemptAt ?? null,
      last_error: m.lastError ?? null, created_at: m.createdAt, sent_at: m.sentAt ?? null, call_id: m.callId ?? null,
    })
  }

  async due(now: Instant, limit: number): Promise<SmsMessage[]> {
    const rows = await this.#db<Row>(TABLE).select('*').whereIn('status', ['queued', 'sending']).where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at').orderBy('created_at').limit(limit)
    return rows.map(fromRow)
  }

  async claim(m: SmsMessage, now: Instant, until: Instant): Promise<boolean> {
    // Compare-and-set on (status, attempts): a second claimer that read the same row finds
    // attempts already moved on and updates nothing. PostgreSQL re-checks the WHERE after
    // waiting for the first claimer's row lock, so this holds there too.
    const n = await this.#db<Row>(TABLE).where({ id: m.id, status: m.status, attempts: m.attempts }).where('next_attempt_at', '<=', now)
      .update({ status: 'sending', attempts: m.attempts + 1, next_attempt_at: until })
    return n === 1
  }

  async settle(id: string, attempt: number, s: Settlement): Promise<boolean> {
    const patch = s.status === 'sent' ? { status: s.status, sent_at: s.at, next_attempt_at: null }
      : s.status === 'queued' ? { status: s.status, next_attempt_at: s.nextAttemptAt, last_error: s.lastError.slice(0, 500) }
      : { status: s.status, next_attempt_at: null, last_error: s.lastError.slice(0, 500) }
    const n = await this.#db<Row>(TABLE).where({ id, status: 'sending', attempts: attempt }).update(patch)
    return n === 1
  }

  async list(q: { readonly status?: SmsStatus; readonly limit: number }): Promise<SmsMessage[]> {
    const query = this.#db<Row>(TABLE).select('*').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit)
    if (q.status !== undefined) void query.where({ status: q.status })
    return (await query).map(fromRow)
  }
}

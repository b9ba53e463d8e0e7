/** The CRM webhook's delivery log in the shared store (migration 0060_screenpop). */
import type { Knex } from 'knex'
import type { DeliveryAttempt, DeliveryLog, DeliveryStatus } from './ports.ts'

interface Row {
  delivery: string
  queue: string
  call_id: string
  offer_id: string
  url: string
  attempt: number
  status: string
  http_status: number | null
  error: string | null
  at: number | string
}

export class KnexDeliveryLog implements DeliveryLog {
  readonly #db: Knex

  constructor(db: Knex) {
    this.#db = db
  }

  async append(a: DeliveryAttempt): Promise<void> {
    await this.#db<Row>('screenpop_deliveries').insert({
      delivery: a.delivery, queue: a.queue, call_id: a.call, offer_id: a.offer, url: a.url, attempt: a.attempt, status: a.status,
      http_status: a.httpStatus ?? null, error: a.error === undefined ? null : a.error.slice(0, 500), at: a.at,
    })
  }

  async recent(limit: number): Promise<DeliveryAttempt[]> {
    const rows = await this.#db<Row>('screenpop_deliveries').select('*').orderBy('id', 'desc').limit(limit)
    return rows.map((r) => ({
      delivery: r.delivery, queue: r.queue, call: r.call_id, offer: r.offer_id, url: r.url, attempt: r.attempt, status: r.status as DeliveryStatus,
      httpStatus: r.http_status ?? undefined, error: r.error ?? undefined, at: Number(r.at),
    }))
  }
}

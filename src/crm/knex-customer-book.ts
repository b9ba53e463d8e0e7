/** Customers, their phones and their contact history in the store (SQLite or PostgreSQL). */
import type { Knex } from 'knex'
import type { Instant } from '../shared/index.ts'
import { insertedId } from './knex-outage-board.ts'
import type { ContactDraft, ContactEntry, Customer, CustomerDraft, CustomerStatus, Tier, ContactChannel, ContactDirection } from './core/index.ts'

interface CustomerRow {
  account: string; name: string; address: string; area: string; tier: string; services: string
  balance_fen: number | string; arrears_fen: number | string; status: string; updated_at: number | string
}
interface ContactRow {
  id: number; account: string; at: number | string; channel: string; direction: string; summary: string
  call_id: string | null; work_order_id: number | null; agent: string | null
}

export interface CustomerSearch {
  readonly phone?: string | undefined
  readonly account?: string | undefined
  /** Part of the name, address or account. */
  readonly q?: string | undefined
  readonly limit?: number | undefined
}

// PostgreSQL returns bigint as a string; SQLite as a number.
function toCustomer(r: CustomerRow, phones: readonly string[]): Customer {
  return {
    account: r.account, name: r.name, phones, address: r.address, area: r.area, tier: r.tier as Tier,
    services: JSON.parse(r.services) as string[], balanceFen: Number(r.balance_fen), arrearsFen: Number(r.arrears_fen),
    status: r.status as CustomerStatus, updatedAt: Number(r.updated_at),
  }
}

function toContact(r: ContactRow): ContactEntry {
  return {
    id: r.id, account: r.account, at: Number(r.at), channel: r.channel as ContactChannel, direction: r.direction as ContactDirection,
    summary: r.summary, ...(r.call_id === null ? {} : { callId: r.call_id }),
    ...(r.work_order_id === null ? {} : { workOrderId: r.work_order_id }), ...(r.agent === null ? {} : { agent: r.agent }),
  }
}

const customerRow = (d: CustomerDraft, now: Instant): CustomerRow => ({
  account: d.account, name: d.name, address: d.address, area: d.area, tier: d.tier, services: JSON.stringify(d.services),
  balance_fen: d.balanceFen, arrears_fen: d.arrearsFen, status: d.status, updated_at: now,
})

export class KnexCustomerBook {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  async get(account: string, db: Knex = this.#db): Promise<Customer | undefined> {
    const [c] = await this.#load(db('customers').where({ account }), db)
    return c
  }

  /** Matches on a canonical phone, an exact account, or a fragment of name/address/account. */
  async search(s: CustomerSearch): Promise<Customer[]> {
    const q = this.#db<CustomerRow>('customers').orderBy('account').limit(s.limit ?? 50)
    if (s.account !== undefined) void q.where({ account: s.account })
    if (s.phone !== undefined) void q.whereIn('account', this.#db('customer_phones').select('account').where({ phone: s.phone }))
    if (s.q !== undefined) {
      const like = `%${s.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
      void q.where((w) => {
        void w.whereRaw(`name like ? escape '\\'`, [like]).orWhereRaw(`address like ? escape '\\'`, [like]).orWhereRaw(`account like ? escape '\\'`, [like])
      })
    }
    return this.#load(q, this.#db)
  }

  async exists(account: string, db: Knex = this.#db): Promise<boolean> {
    return (await db('customers').where({ account }).first('account')) !== undefined
  }

  /** Inserts or replaces a (validated) customer and its phones; says which it did. */
  async put(d: CustomerDraft, now: Instant, db: Knex = this.#db): Promise<'created' | 'updated'> {
    const existed = await this.exists(d.account, db)
    const row = customerRow(d, now)
    if (existed) await db('customers').where({ account: d.account }).update(row)
    else await db('customers').insert(row)
    await db('customer_phones').where({ account: d.account }).delete()
    if (d.phones.length) await db('customer_phones').insert(d.phones.map((phone, position) => ({ phone, account: d.account, position })))
    return existed ? 'updated' : 'created'
  }

  /** Writes every row or none. */
  async putAll(drafts: readonly CustomerDraft[], now: Instant): Promise<{ imported: number; updated: number }> {
    return this.#db.transaction(async (tx) => {
      let imported = 0
      let updated = 0
      for (const d of drafts) if ((await this.put(d, now, tx)) === 'created') imported++; else updated++
      return { imported, updated }
    })
  }

  async transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.#db.transaction(fn)
  }

  async appendContact(c: ContactDraft): Promise<ContactEntry> {
    const rows: unknown = await this.#db('customer_contacts')
      .insert({ account: c.account, at: c.at, channel: c.channel, direction: c.direction, summary: c.summary,
        call_id: c.callId ?? null, work_order_id: c.workOrderId ?? null, agent: c.agent ?? null })
      .returning('id')
    return { ...c, id: insertedId(rows) }
  }

  /** Newest first. */
  async contacts(account: string, limit = 50): Promise<ContactEntry[]> {
    const rows: ContactRow[] = await this.#db<ContactRow>('customer_contacts').where({ account }).orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)
    return rows.map(toContact)
  }

  async #load(q: Knex.QueryBuilder, db: Knex): Promise<Customer[]> {
    const rows = (await q.select('*')) as CustomerRow[]
    if (!rows.length) return []
    const phones = (await db('customer_phones').whereIn('account', rows.map((r) => r.account)).orderBy(['account', 'position'])) as { account: string; phone: string }[]
    const by = new Map<string, string[]>()
    for (const p of phones) by.set(p.account, [...(by.get(p.account) ?? []), p.phone])
    return rows.map((r) => toCustomer(r, by.get(r.account) ?? []))
  }
}

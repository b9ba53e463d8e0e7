/**
 * The CRM shell: validates at the edge, writes through the repositories, and keeps the one piece
 * of in-memory state (the outage watch). Methods are arrow properties so they can be handed out
 * as ports (`findCustomer` to the IVR and the screen-pop, `activeOutage` to the IVR).
 */
import type { Knex } from 'knex'
import { err, failure, ok, type Clock, type Failure, type Instant, type Result } from '../shared/index.ts'
import {
  activeAt, emptyOutageWatch, faultReported, normalisePhone, outageWatchTick, planImport, validCustomer, ACCOUNT_PATTERN,
  type ContactDraft, type ContactEntry, type Customer, type CustomerDraft, type CustomerError, type ImportError, type Outage,
  type OutageSuspected, type OutageWatchPolicy, type Rejected,
} from './core/index.ts'
import { KnexCustomerBook, type CustomerSearch } from './knex-customer-book.ts'
import { KnexOutageBoard, type OutageDraft } from './knex-outage-board.ts'

export interface CrmDeps {
  readonly db: Knex
  readonly clock: Clock
  /** Defaults: 5 fault reports from one area within 30 minutes. */
  readonly outageWatch?: OutageWatchPolicy
  readonly onOutageSuspected?: (e: OutageSuspected) => void
}

export interface ImportReport {
  readonly imported: number
  readonly updated: number
  readonly rejected: readonly Rejected[]
  readonly ignoredColumns: readonly string[]
}

export type CustomerLookup = { readonly phone?: string | undefined; readonly account?: string | undefined }
export type CrmError = CustomerError | Failure<'customer-not-found' | 'customer-account-taken'>
export type OutageError = Failure<'outage-not-found' | 'outage-already-ended'>

export const DEFAULT_OUTAGE_WATCH: OutageWatchPolicy = { threshold: 5, windowMs: 30 * 60_000 }

const notFound = (account: string) => err(failure('customer-not-found', `no customer with account ${account}`))

export class Crm {
  readonly customers: KnexCustomerBook
  readonly outages: KnexOutageBoard
  readonly #clock: Clock
  readonly #policy: OutageWatchPolicy
  readonly #onSuspected: (e: OutageSuspected) => void
  #watch = emptyOutageWatch

  constructor(deps: CrmDeps) {
    this.customers = new KnexCustomerBook(deps.db)
    this.outages = new KnexOutageBoard(deps.db)
    this.#clock = deps.clock
    this.#policy = deps.outageWatch ?? DEFAULT_OUTAGE_WATCH
    this.#onSuspected = deps.onOutageSuspected ?? (() => undefined)
  }

  /** The IVR's and the screen-pop's lookup: by any phone (any spelling) or by account number. */
  findCustomer = async (by: CustomerLookup): Promise<Customer | null> => {
    if (by.account !== undefined) {
      if (!ACCOUNT_PATTERN.test(by.account)) return null
      return (await this.customers.get(by.account)) ?? null
    }
    if (by.phone === undefined) return null
    const phone = normalisePhone(by.phone)
    if (!phone.ok) return null
    const [first] = await this.customers.search({ phone: phone.value, limit: 1 })
    return first ?? null
  }

  search = async (s: CustomerSearch): Promise<Result<Customer[], CrmError>> => {
    if (s.phone === undefined) return ok(await this.customers.search(s))
    const phone = normalisePhone(s.phone)
    if (!phone.ok) return phone
    return ok(await this.customers.search({ ...s, phone: phone.value }))
  }

  get = async (account: string): Promise<Customer | undefined> => this.customers.get(account)

  create = async (d: CustomerDraft): Promise<Result<Customer, CrmError>> => {
    const valid = validCustomer(d)
    if (!valid.ok) return valid
    const now = this.#clock.now()
    return this.customers.transaction(async (tx) => {
      if (await this.customers.exists(d.account, tx)) return err(failure('customer-account-taken', `account ${d.account} already exists`))
      await this.customers.put(valid.value, now, tx)
      return ok({ ...valid.value, updatedAt: now })
    })
  }

  /** Changes some fields; the account number itself never changes (history hangs off it). */
  update = async (account: string, patch: Partial<Omit<CustomerDraft, 'account'>>): Promise<Result<Customer, CrmError>> => {
    const now = this.#clock.now()
    return this.customers.transaction(async (tx) => {
      const current = await this.customers.get(account, tx)
      if (!current) return notFound(account)
      const { updatedAt: _u, ...base } = current
      const valid = validCustomer({ ...base, ...patch, account })
      if (!valid.ok) return valid
      await this.customers.put(valid.value, now, tx)
      return ok({ ...valid.value, updatedAt: now })
    })
  }

  appendContact = async (c: Omit<ContactDraft, 'at'> & { readonly at?: Instant }): Promise<Result<ContactEntry, CrmError>> => {
    if (!(await this.customers.exists(c.account))) return notFound(c.account)
    return ok(await this.customers.appendContact({ ...c, at: c.at ?? this.#clock.now() }))
  }

  contacts = async (account: string, limit?: number): Promise<ContactEntry[]> => this.customers.contacts(account, limit)

  /** A BOSS export in, every good row written in one transaction, the bad rows reported. */
  importCustomers = async (csvText: string): Promise<Result<ImportReport, ImportError>> => {
    const plan = planImport(csvText)
    if (!plan.ok) return plan
    const written = await this.customers.putAll(plan.value.rows.map((r) => r.draft), this.#clock.now())
    return ok({ ...written, rejected: plan.value.rejected, ignoredColumns: plan.value.ignoredColumns })
  }

  /** The IVR's outage notice: the outage in this area at `now`, if any. */
  activeOutage = async (area: string, now: Instant = this.#clock.now()): Promise<Outage | null> =>
    activeAt(await this.outages.list({ area, activeAt: now, limit: 10 }), area, now) ?? null

  /** Newest first; `active` keeps those running now. */
  listOutages = async (f: { readonly active?: boolean; readonly area?: string | undefined }): Promise<Outage[]> =>
    this.outages.list({ ...(f.active === true ? { activeAt: this.#clock.now() } : {}), ...(f.area === undefined ? {} : { area: f.area }) })

  startOutage = async (o: Omit<OutageDraft, 'startedAt'> & { readonly startedAt?: Instant }): Promise<Outage> =>
    this.outages.create({ ...o, startedAt: o.startedAt ?? this.#clock.now() })

  endOutage = async (id: number): Promise<Result<Outage, OutageError>> => {
    const o = await this.outages.get(id)
    if (!o) return err(failure('outage-not-found', `no outage ${id}`))
    if (!(await this.outages.end(id, this.#clock.now()))) return err(failure('outage-already-ended', `outage ${id} has already ended`))
    return ok({ ...o, endedAt: this.#clock.now() })
  }

  /** Feed of repair work orders by area; raises (and returns) a suspected outage once per storm. */
  faultReported = (area: string, at: Instant = this.#clock.now()): OutageSuspected[] => {
    const r = faultReported(outageWatchTick(this.#watch, at, this.#policy), area, at, this.#policy)
    this.#watch = r.state
    for (const e of r.events) this.#onSuspected(e)
    return r.events
  }
}

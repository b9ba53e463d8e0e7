/**
 * The work-order shell: creates orders (from the IVR or an agent), books installation slots in
 * the same transaction, moves orders through the pure status flow and schedules the return
 * visit when one is done. Methods are arrow properties so they can be handed out as ports.
 */
import type { Knex } from 'knex'
import { err, failure, ok, type Clock, type Failure, type Instant, type Result } from '../shared/index.ts'
import type { Crm, Customer } from '../crm/index.ts'
import {
  capacityOf, dueAt, isOverdue, localDay, nextFree, referencePrefix, transition, DEFAULT_SLA, DEFAULT_SLOT_PLAN,
  type DueError, type FollowUpPolicy, type FreeSlot, type Move, type SlaPolicy, type SlotPlan, type SlotRef, type TransitionError,
  type WorkOrder, type WorkOrderType,
} from './core/index.ts'
import { KnexSlotBook } from './knex-slot-book.ts'
import { KnexWorkOrderBook, type FollowUp, type WorkOrderFilter } from './knex-work-order-book.ts'

export interface WorkOrderDeskDeps {
  readonly db: Knex
  readonly clock: Clock
  /** Customer lookups, the contact history and the outage watch. */
  readonly crm: Crm
  readonly sla?: SlaPolicy
  readonly slots?: SlotPlan
  /** Default: the return visit falls due one day after the order is done. */
  readonly followUp?: FollowUpPolicy
}

export interface WorkOrderRequest {
  readonly type: WorkOrderType
  readonly account?: string | undefined
  /** The caller's number, when the IVR or an agent files for an unidentified caller. */
  readonly caller?: string | undefined
  /** Needed only when neither account nor caller identifies a customer. */
  readonly area?: string | undefined
  readonly summary?: string | undefined
  readonly details?: Readonly<Record<string, string | number | boolean>> | undefined
  readonly slot?: SlotRef | undefined
  /** `ivr`, or the agent's username. */
  readonly createdBy: string
  readonly callId?: string | undefined
}

export type CreateError = DueError | Failure<'work-order-customer-unknown' | 'work-order-area-required' | 'slot-full' | 'slot-past'>
export type MoveError = TransitionError | Failure<'work-order-not-found' | 'work-order-changed'>

export const DEFAULT_FOLLOW_UP: FollowUpPolicy = { afterMs: 86_400_000 }

const notFound = (id: number) => err(failure('work-order-not-found', `no work order ${id}`))

export class WorkOrderDesk {
  readonly orders: KnexWorkOrderBook
  readonly slotBook: KnexSlotBook
  readonly #clock: Clock
  readonly #crm: Crm
  readonly #sla: SlaPolicy
  readonly #plan: SlotPlan
  readonly #followUp: FollowUpPolicy

  constructor(d: WorkOrderDeskDeps) {
    this.orders = new KnexWorkOrderBook(d.db)
    this.slotBook = new KnexSlotBook(d.db)
    this.#clock = d.clock
    this.#crm = d.crm
    this.#sla = d.sla ?? DEFAULT_SLA
    this.#plan = d.slots ?? DEFAULT_SLOT_PLAN
    this.#followUp = d.followUp ?? DEFAULT_FOLLOW_UP
  }

  get slotPlan(): SlotPlan {
    return this.#plan
  }

  /** The IVR's and the agent's way in. A repair also feeds the outage watch of its area. */
  createWorkOrder = async (r: WorkOrderRequest): Promise<Result<{ id: number; reference: string; order: WorkOrder }, CreateError>> => {
    const now = this.#clock.now()
    const who = await this.#identify(r)
    if (!who.ok) return who
    const { customer, area } = who.value
    const due = dueAt(r.type, now, r.slot, this.#sla, this.#plan)
    if (!due.ok) return due
    // Only an installation books its slot; other types ignore one sent along.
    const slot = r.type === 'installation' ? r.slot : undefined
    if (slot && due.value <= now) return err(failure('slot-past', `slot ${slot.slot} on ${slot.day} has already ended`))
    const created = await this.orders.transaction(async (tx) => {
      if (slot && !(await this.slotBook.book(area, slot, capacityOf(area, this.#plan), tx))) return undefined
      return this.orders.insert({
        type: r.type, status: 'new', area, summary: r.summary ?? '', details: r.details ?? {}, createdBy: r.createdBy, createdAt: now, dueAt: due.value,
        ...(customer ? { account: customer.account } : {}), ...(r.caller === undefined ? {} : { caller: r.caller }), ...(slot ? { slot } : {}),
      }, referencePrefix(r.type, now, this.#plan.utcOffsetMinutes), tx)
    })
    if (!created) return err(failure('slot-full', `slot ${slot?.slot ?? ''} on ${slot?.day ?? ''} in ${area} is fully booked`))
    if (customer) await this.#note(customer.account, created, r)
    if (r.type === 'repair') this.#crm.faultReported(area, now)
    return ok({ id: created.id, reference: created.reference, order: created })
  }

  async #identify(r: WorkOrderRequest): Promise<Result<{ customer: Customer | null; area: string }, CreateError>> {
    let customer: Customer | null = null
    if (r.account !== undefined) {
      customer = await this.#crm.findCustomer({ account: r.account })
      if (!customer) return err(failure('work-order-customer-unknown', `no customer with account ${r.account}`))
    } else if (r.caller !== undefined) customer = await this.#crm.findCustomer({ phone: r.caller })
    const area = customer?.area ?? r.area
    if (area === undefined) return err(failure('work-order-area-required', 'give an account, a known caller number or an area'))
    return ok({ customer, area })
  }

  async #note(account: string, o: WorkOrder, r: WorkOrderRequest): Promise<void> {
    await this.#crm.appendContact({
      account, at: o.createdAt, channel: 'call', direction: 'inbound', summary: `${o.type} work order ${o.reference} filed${o.summary ? `: ${o.summary}` : ''}`,
      workOrderId: o.id, ...(r.createdBy === 'ivr' ? {} : { agent: r.createdBy }), ...(r.callId === undefined ? {} : { callId: r.callId }),
    })
  }

  now = (): Instant => this.#clock.now()

  isOverdue = (wo: WorkOrder): boolean => isOverdue(wo, this.#clock.now())

  get = async (id: number): Promise<WorkOrder | undefined> => this.orders.get(id)

  list = async (f: Omit<WorkOrderFilter, 'overdueAt'> & { readonly overdue?: boolean | undefined }): Promise<WorkOrder[]> => {
    const { overdue, ...rest } = f
    return this.orders.list(overdue === true ? { ...rest, overdueAt: this.#clock.now() } : rest)
  }

  /** Open orders of a customer (the screen-pop and the customer page show them). */
  openFor = async (account: string): Promise<WorkOrder[]> => this.orders.list({ account, openOnly: true })

  move = async (id: number, m: Move): Promise<Result<WorkOrder, MoveError>> => {
    const now = this.#clock.now()
    return this.orders.transaction(async (tx) => {
      const wo = await this.orders.get(id, tx)
      if (!wo) return notFound(id)
      const r = transition(wo, m, now, this.#followUp)
      if (!r.ok) return r
      if (!(await this.orders.saveMove(r.value.order, wo.status, tx))) return err(failure('work-order-changed', `work order ${id} changed meanwhile; reload it`))
      for (const e of r.value.events) if (e.type === 'follow-up-scheduled') await this.orders.addFollowUp(e.workOrderId, e.dueAt, tx)
      return ok(r.value.order)
    })
  }

  followUps = async (f: { readonly workOrderId?: number; readonly due?: boolean }): Promise<FollowUp[]> =>
    this.orders.followUps({ ...(f.workOrderId === undefined ? {} : { workOrderId: f.workOrderId }), ...(f.due === true ? { dueBefore: this.#clock.now(), pendingOnly: true } : {}) })

  recordFollowUp = async (id: number, r: { outcome: string; note: string; agent: string }): Promise<Result<void, Failure<'follow-up-not-pending'>>> =>
    (await this.orders.recordFollowUp(id, { ...r, at: this.#clock.now() })) ? ok(undefined) : err(failure('follow-up-not-pending', `follow-up ${id} is unknown or already recorded`))

  /** The IVR's "from tomorrow morning, any slot you choose": the first `n` slots with room. */
  nextFreeSlots = async (area: string, from: Instant, n: number): Promise<FreeSlot[]> => {
    const off = this.#plan.utcOffsetMinutes
    const counts = await this.slotBook.counts(area, localDay(from, off), localDay(from + (this.#plan.horizonDays + 1) * 86_400_000, off))
    return nextFree(area, from, n, counts, this.#plan)
  }
}

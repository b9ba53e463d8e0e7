/**
 * The screen-pop: what an agent's console shows when a call is offered, before the phone rings.
 * Pure: built from what the call tracker and the IVR know at once, plus the CRM's answers when
 * they have arrived (`enrichment`); a later enrichment makes an updated pop, never a different one.
 */
import { offerId, type AgentId, type CallId, type Instant, type OfferId, type QueueId } from '../../shared/index.ts'

export type FactValue = string | number | boolean | null
export type PopTier = 'diamond' | 'gold' | 'silver' | 'standard'

/** What the call tracker and the IVR session know about a call (PopSources.call). */
export interface CallFacts {
  readonly caller: string
  readonly did: string
  readonly region: string | undefined
  readonly arrivedAt: Instant
  /** When the caller joined the queue, if known (else the wait counts from arrival). */
  readonly queuedAt?: Instant
  /** `flow/node` visited in the IVR, oldest first. */
  readonly ivrPath: readonly string[]
  /** Every fact the IVR collected: account, menu choices, a work order just created … */
  readonly facts: Readonly<Record<string, FactValue>>
}

/** The CRM's customer as the pop shows it (a structural subset of crm's Customer). */
export interface PopCustomer {
  readonly account: string
  readonly name: string
  readonly phones: readonly string[]
  readonly address: string
  readonly area: string
  readonly tier: PopTier
  readonly services: readonly string[]
  readonly balanceFen: number
  readonly arrearsFen: number
  readonly status: string
}

export interface PopContact {
  readonly at: Instant
  readonly channel: string
  readonly direction: string
  readonly summary: string
  readonly agent?: string
}

export interface PopWorkOrder {
  readonly id: number
  readonly reference: string
  readonly type: string
  readonly status: string
  readonly summary: string
  readonly dueAt: Instant
}

/** The CRM's part, which arrives after the offer when the lookups are slower than the ACD. */
export type Enrichment =
  | { readonly kind: 'pending' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'found'; readonly customer: PopCustomer; readonly recentContacts: readonly PopContact[]; readonly openWorkOrders: readonly PopWorkOrder[] }

/** offered → ringing → answered → ended (wrap-up); or cancelled at any point before answered. */
export type PopStatus = 'offered' | 'ringing' | 'answered' | 'ended' | 'cancelled'

export interface ScreenPop {
  readonly offer: OfferId
  readonly call: CallId
  readonly agent: AgentId
  readonly queue: QueueId
  readonly tier: PopTier
  readonly caller: string
  readonly did: string
  readonly region: string | undefined
  readonly arrivedAt: Instant
  readonly offeredAt: Instant
  /** From joining the queue (or arrival) to the offer. */
  readonly waitedMs: number
  /** The account the IVR collected, else the customer's. */
  readonly account: string | undefined
  readonly ivrPath: readonly string[]
  readonly facts: Readonly<Record<string, FactValue>>
  /** The IVR's work order reference, when it created one during this call. */
  readonly workOrderCreated: string | undefined
  readonly customer: Enrichment
  readonly status: PopStatus
  readonly statusAt: Instant
  readonly cancelReason?: string
  /** Present when the call came from another agent (a transfer), not from a queue offer. */
  readonly transferredFrom?: TransferredFrom
}

/** The agent who handed the call over, and their wrap-up of it once they write one. */
export interface TransferredFrom {
  readonly agent: AgentId
  readonly how: 'blind' | 'consulted'
  readonly at: Instant
  readonly wrapUp?: WrapUpNote
}

/** An agent's disposition and notes on a call, as the receiving agent's pop shows them. */
export interface WrapUpNote {
  readonly agent: AgentId
  readonly code: string
  readonly notes: string
}

/** What the ACD's `call-transferred` says, plus the tier the shell saw. */
export interface TransferFacts {
  readonly call: CallId
  readonly from: AgentId
  readonly to: AgentId
  readonly queue: QueueId
  readonly how: 'blind' | 'consulted'
  readonly tier: PopTier | undefined
}

export interface OfferFacts {
  readonly offer: OfferId
  readonly call: CallId
  readonly agent: AgentId
  readonly queue: QueueId
  /** The tier the ACD queued the call with, if the shell saw it. */
  readonly tier: PopTier | undefined
}

const TIERS: readonly PopTier[] = ['diamond', 'gold', 'silver', 'standard']
const isTier = (v: unknown): v is PopTier => typeof v === 'string' && (TIERS as readonly string[]).includes(v)
const text = (v: FactValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined)

/** IVR flows name the work order fact differently; these are the names the sample flows use. */
const WORK_ORDER_FACTS = ['work_order', 'workOrder', 'work_order_ref', 'workOrderRef']

export function buildPop(o: OfferFacts, call: CallFacts | undefined, customer: Enrichment, now: Instant): ScreenPop {
  const facts = call?.facts ?? {}
  const found = customer.kind === 'found' ? customer.customer : undefined
  const tier = o.tier ?? (isTier(facts['tier']) ? facts['tier'] : undefined) ?? found?.tier ?? 'standard'
  const since = call?.queuedAt ?? call?.arrivedAt ?? now
  return {
    offer: o.offer, call: o.call, agent: o.agent, queue: o.queue, tier,
    caller: call?.caller ?? '', did: call?.did ?? '', region: call?.region,
    arrivedAt: call?.arrivedAt ?? now, offeredAt: now, waitedMs: Math.max(0, now - since),
    account: text(facts['account']) ?? found?.account,
    ivrPath: call?.ivrPath ?? [], facts,
    workOrderCreated: WORK_ORDER_FACTS.map((k) => text(facts[k])).find((v) => v !== undefined),
    customer, status: 'offered', statusAt: now,
  }
}

/**
 * The receiving agent's pop: the same caller, IVR facts and customer as a queue offer's, built from
 * the first agent's pop when it is still on the board (its tier and queue wait carry over). No
 * offer was made, so the id names the hand-over. A consulted transfer's agent is already on the
 * line with the caller; a blind one's phone is ringing.
 */
export function buildTransferPop(x: TransferFacts, call: CallFacts | undefined, customer: Enrichment, first: ScreenPop | undefined, note: WrapUpNote | undefined, now: Instant): ScreenPop {
  const before = first?.call === x.call ? first : undefined
  const known = customer.kind === 'pending' && before ? before.customer : customer
  const base = buildPop({ offer: offerId(`${x.call}/transfer/${x.to}/${now}`), call: x.call, agent: x.to, queue: x.queue, tier: x.tier ?? before?.tier }, call, known, now)
  const wrapUp = note?.agent === x.from ? { wrapUp: note } : {}
  return {
    ...base, waitedMs: before?.waitedMs ?? base.waitedMs, account: base.account ?? before?.account,
    status: x.how === 'consulted' ? 'answered' : 'ringing', transferredFrom: { agent: x.from, how: x.how, at: now, ...wrapUp },
  }
}

/** The first agent's wrap-up reaches the pop of the agent they handed the call to. */
export function withWrapUp(p: ScreenPop, note: WrapUpNote): ScreenPop {
  if (!p.transferredFrom || p.transferredFrom.agent !== note.agent) return p
  return { ...p, transferredFrom: { ...p.transferredFrom, wrapUp: note } }
}

/** The same pop with the CRM's answer in; the account falls back to the customer's. */
export function withEnrichment(p: ScreenPop, customer: Enrichment): ScreenPop {
  const account = p.account ?? (customer.kind === 'found' ? customer.customer.account : undefined)
  const tier = p.tier === 'standard' && customer.kind === 'found' && p.facts['tier'] === undefined ? customer.customer.tier : p.tier
  return { ...p, customer, account, tier }
}

const ORDER: Readonly<Record<PopStatus, number>> = { offered: 0, ringing: 1, answered: 2, ended: 3, cancelled: 3 }

/** Moves a pop forward; a stale or backward move (ringing after answered) is a no-op. */
export function advancePop(p: ScreenPop, status: PopStatus, now: Instant, cancelReason?: string): ScreenPop {
  if (ORDER[status] <= ORDER[p.status]) return p
  if (status === 'cancelled' && p.status === 'answered') return p
  return { ...p, status, statusAt: now, ...(cancelReason === undefined ? {} : { cancelReason }) }
}

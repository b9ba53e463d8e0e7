/**
 * What the IVR asks of the rest of the system. The interpreter only emits `lookup` and
 * `create-work-order` effects; the shell (the ESL runner, or `ivr try`) answers them through these
 * ports and feeds the answer back as an input.
 */
import type { Failure, Result } from '../shared/index.ts'
import type { Customer, IvrEffect, IvrInput, LookupQuery, Outage, WorkOrderRequest } from './core/session.ts'

export interface CustomerDirectory {
  byCaller(caller: string): Promise<Customer | null>
  byAccount(account: string): Promise<Customer | null>
}

/** Known outages (the outage-awareness feature raises them when fault reports cluster in an area). */
export interface OutageBoard {
  activeFor(area: string): Promise<Outage | null>
}

export interface WorkOrderDesk {
  create(order: WorkOrderRequest): Promise<Result<{ readonly reference: string }, Failure>>
}

export interface IvrPorts {
  readonly customers: CustomerDirectory
  readonly outages: OutageBoard
  readonly workOrders: WorkOrderDesk
}

/** Answers a lookup effect through the ports. */
export async function answerLookup(query: LookupQuery, ports: IvrPorts): Promise<IvrInput> {
  switch (query.kind) {
    case 'customer-by-caller': return { kind: 'customer', customer: await ports.customers.byCaller(query.caller) }
    case 'customer-by-account': return { kind: 'customer', customer: await ports.customers.byAccount(query.account) }
    case 'outage': return { kind: 'outage', outage: await ports.outages.activeFor(query.area) }
  }
}

/** Answers a create-work-order effect through the desk. */
export async function answerWorkOrder(effect: Extract<IvrEffect, { kind: 'create-work-order' }>, ports: IvrPorts): Promise<IvrInput> {
  const r = await ports.workOrders.create(effect.order)
  return r.ok ? { kind: 'work-order-created', reference: r.value.reference } : { kind: 'work-order-failed', code: r.error.code }
}

/**
 * Work orders: repair dispatch, installations on an appointment slot, complaints and enquiries.
 * The status flow is one total function; a move the flow does not allow is a value
 * (`work-order-bad-transition`), never an exception, so the API can answer 409 with the reason.
 */
import { err, failure, ok, type Failure, type Instant, type Result } from '../../shared/index.ts'

export type WorkOrderType = 'repair' | 'installation' | 'complaint' | 'enquiry'
export const WORK_ORDER_TYPES: readonly WorkOrderType[] = ['repair', 'installation', 'complaint', 'enquiry']
export type WorkOrderStatus = 'new' | 'assigned' | 'in-progress' | 'done' | 'closed'
export const WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = ['new', 'assigned', 'in-progress', 'done', 'closed']

/** An appointment slot: a local day and a slot name from the slot plan (e.g. `09-12`). */
export interface SlotRef {
  readonly day: string
  readonly slot: string
}

export interface WorkOrder {
  readonly id: number
  readonly reference: string
  readonly type: WorkOrderType
  readonly status: WorkOrderStatus
  readonly account?: string
  readonly caller?: string
  readonly area: string
  readonly summary: string
  readonly details: Readonly<Record<string, string | number | boolean>>
  readonly createdBy: string
  readonly createdAt: Instant
  readonly dueAt: Instant
  readonly slot?: SlotRef
  readonly assignee?: string
  readonly updatedAt: Instant
  readonly doneAt?: Instant
  readonly closedAt?: Instant
}

export type Move =
  | { readonly to: 'assigned'; readonly assignee: string }
  | { readonly to: 'in-progress' | 'done' | 'closed' }

export type TransitionError = Failure<'work-order-bad-transition'>

/** Which statuses each status may move to. Re-assigning an assigned order is allowed. */
const NEXT: Readonly<Record<WorkOrderStatus, readonly WorkOrderStatus[]>> = {
  'new': ['assigned'],
  'assigned': ['assigned', 'in-progress'],
  'in-progress': ['done'],
  'done': ['closed'],
  'closed': [],
}

export const allowedMoves = (from: WorkOrderStatus): readonly WorkOrderStatus[] => NEXT[from]

export interface FollowUpPolicy {
  /** How long after `done` the return visit (follow-up call) falls due. */
  readonly afterMs: number
}

export type WorkOrderEvent =
  | { readonly type: 'work-order-moved'; readonly id: number; readonly from: WorkOrderStatus; readonly to: WorkOrderStatus; readonly at: Instant }
  | { readonly type: 'follow-up-scheduled'; readonly workOrderId: number; readonly dueAt: Instant }

export function transition(wo: WorkOrder, move: Move, now: Instant, p: FollowUpPolicy): Result<{ order: WorkOrder; events: WorkOrderEvent[] }, TransitionError> {
  if (!NEXT[wo.status].includes(move.to)) {
    const allowed = NEXT[wo.status]
    return err(failure('work-order-bad-transition', `a work order that is ${wo.status} cannot become ${move.to} (allowed: ${allowed.length ? allowed.join(', ') : 'none'})`))
  }
  const moved: WorkOrderEvent = { type: 'work-order-moved', id: wo.id, from: wo.status, to: move.to, at: now }
  const base = { ...wo, status: move.to, updatedAt: now }
  switch (move.to) {
    case 'assigned': return ok({ order: { ...base, assignee: move.assignee }, events: [moved] })
    case 'in-progress': return ok({ order: base, events: [moved] })
    case 'done': return ok({ order: { ...base, doneAt: now }, events: [moved, { type: 'follow-up-scheduled', workOrderId: wo.id, dueAt: now + p.afterMs }] })
    case 'closed': return ok({ order: { ...base, closedAt: now }, events: [moved] })
  }
}

/** Open means someone still owes the customer something. */
export const isOpen = (wo: Pick<WorkOrder, 'status'>): boolean => wo.status !== 'done' && wo.status !== 'closed'

/** Past due and still open. Finished orders are never overdue, however late they finished. */
export const isOverdue = (wo: Pick<WorkOrder, 'status' | 'dueAt'>, now: Instant): boolean => isOpen(wo) && now > wo.dueAt

/** Finished after its due time (for reports). */
export const finishedLate = (wo: Pick<WorkOrder, 'doneAt' | 'dueAt'>): boolean => wo.doneAt !== undefined && wo.doneAt > wo.dueAt

export {
  transition, isOpen, isOverdue, finishedLate, allowedMoves, WORK_ORDER_TYPES, WORK_ORDER_STATUSES,
  type WorkOrder, type WorkOrderType, type WorkOrderStatus, type WorkOrderEvent, type Move, type SlotRef, type TransitionError, type FollowUpPolicy,
} from './work-order.ts'
export { dueAt, DEFAULT_SLA, type SlaPolicy, type DueError } from './sla.ts'
export {
  slotWindow, slotsAfter, nextFree, capacityOf, localDay, slotKey, ivrSlotChoice, DEFAULT_SLOT_PLAN,
  type SlotPlan, type SlotDefinition, type SlotWindow, type FreeSlot, type SlotCount, type SlotError,
} from './slots.ts'
export { referencePrefix, formatReference, REFERENCE_PATTERN } from './reference.ts'

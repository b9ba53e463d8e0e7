/**
 * Due times. Repairs, complaints and enquiries get a fixed time to resolve from creation;
 * an installation is due when its appointment slot ends (the promise made on the phone).
 */
import { err, failure, ok, type Failure, type Instant, type Result } from '../../shared/index.ts'
import { slotWindow, type SlotPlan } from './slots.ts'
import type { SlotRef, WorkOrderType } from './work-order.ts'

export interface SlaPolicy {
  readonly repairMs: number
  readonly complaintMs: number
  readonly enquiryMs: number
}

const HOUR = 3_600_000
export const DEFAULT_SLA: SlaPolicy = { repairMs: 24 * HOUR, complaintMs: 48 * HOUR, enquiryMs: 72 * HOUR }

export type DueError = Failure<'work-order-slot-required' | 'slot-unknown'>

export function dueAt(type: WorkOrderType, createdAt: Instant, slot: SlotRef | undefined, sla: SlaPolicy, plan: SlotPlan): Result<Instant, DueError> {
  switch (type) {
    case 'repair': return ok(createdAt + sla.repairMs)
    case 'complaint': return ok(createdAt + sla.complaintMs)
    case 'enquiry': return ok(createdAt + sla.enquiryMs)
    case 'installation': {
      if (!slot) return err(failure('work-order-slot-required', 'an installation needs an appointment slot'))
      const w = slotWindow(slot, plan)
      return w.ok ? ok(w.value.end) : w
    }
  }
}

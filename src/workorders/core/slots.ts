/**
 * Appointment slots: a daily plan of named windows in local time (the center's UTC offset, not
 * the server's TZ, so a container in UTC still promises "tomorrow 09-12" in Nanjing time), and a
 * capacity per area and slot. Booked counts live in the store; this file does the calendar.
 */
import { err, failure, ok, type Failure, type Instant, type Result } from '../../shared/index.ts'
import type { SlotRef } from './work-order.ts'

export interface SlotDefinition {
  readonly name: string
  /** Minutes after local midnight. */
  readonly startMinute: number
  readonly endMinute: number
}

export interface SlotPlan {
  readonly slots: readonly SlotDefinition[]
  readonly utcOffsetMinutes: number
  /** Installers per area per slot, unless the area has its own figure or a day was overridden. */
  readonly defaultCapacity: number
  readonly capacityByArea: Readonly<Record<string, number>>
  /** How many days ahead the IVR may offer. */
  readonly horizonDays: number
}

export const DEFAULT_SLOT_PLAN: SlotPlan = {
  slots: [
    { name: '09-12', startMinute: 9 * 60, endMinute: 12 * 60 },
    { name: '13-17', startMinute: 13 * 60, endMinute: 17 * 60 },
    { name: '18-21', startMinute: 18 * 60, endMinute: 21 * 60 },
  ],
  utcOffsetMinutes: 8 * 60,
  defaultCapacity: 4,
  capacityByArea: {},
  horizonDays: 14,
}

export interface SlotWindow extends SlotRef {
  readonly start: Instant
  readonly end: Instant
}

export interface FreeSlot extends SlotWindow {
  readonly free: number
}

export type SlotError = Failure<'slot-unknown'>

const DAY_MS = 86_400_000
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** Local midnight of `day` as an instant, or undefined for a day that is not a calendar date. */
function midnight(day: string, offsetMin: number): Instant | undefined {
  const m = DAY.exec(day)
  if (!m) return undefined
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (new Date(utc).toISOString().slice(0, 10) !== day) return undefined
  return utc - offsetMin * 60_000
}

/** The local calendar day an instant falls on. */
export const localDay = (at: Instant, offsetMin: number): string => new Date(at + offsetMin * 60_000).toISOString().slice(0, 10)

export function slotWindow(ref: SlotRef, plan: SlotPlan): Result<SlotWindow, SlotError> {
  const base = midnight(ref.day, plan.utcOffsetMinutes)
  const def = plan.slots.find((s) => s.name === ref.slot)
  if (base === undefined || !def) {
    return err(failure('slot-unknown', `no slot ${ref.slot} on ${ref.day} (slots: ${plan.slots.map((s) => s.name).join(', ')}; days as YYYY-MM-DD)`))
  }
  return ok({ day: ref.day, slot: ref.slot, start: base + def.startMinute * 60_000, end: base + def.endMinute * 60_000 })
}

export const capacityOf = (area: string, plan: SlotPlan): number => plan.capacityByArea[area] ?? plan.defaultCapacity

/** Every slot that starts after `from`, in time order, up to the plan's horizon. */
export function slotsAfter(from: Instant, plan: SlotPlan): SlotWindow[] {
  const out: SlotWindow[] = []
  const firstDay = midnight(localDay(from, plan.utcOffsetMinutes), plan.utcOffsetMinutes) ?? from
  for (let d = 0; d <= plan.horizonDays; d++) {
    const day = localDay(firstDay + d * DAY_MS, plan.utcOffsetMinutes)
    for (const def of plan.slots) {
      const w = slotWindow({ day, slot: def.name }, plan)
      if (w.ok && w.value.start > from) out.push(w.value)
    }
  }
  return out
}

export const slotKey = (area: string, ref: SlotRef): string => `${area}|${ref.day}|${ref.slot}`

export interface SlotCount {
  readonly capacity: number
  readonly booked: number
}

/** The first `n` slots with room, given what is booked (and any per-day capacity override). */
export function nextFree(area: string, from: Instant, n: number, counts: ReadonlyMap<string, SlotCount>, plan: SlotPlan): FreeSlot[] {
  const out: FreeSlot[] = []
  for (const w of slotsAfter(from, plan)) {
    if (out.length >= n) break
    const c = counts.get(slotKey(area, w))
    const free = (c?.capacity ?? capacityOf(area, plan)) - (c?.booked ?? 0)
    if (free > 0) out.push({ ...w, free })
  }
  return out
}

/**
 * The installation menu's keys (ivr-scripts/install.yaml): 1 tomorrow morning, 2 tomorrow
 * afternoon, 3 the day after tomorrow, morning — "morning" and "afternoon" being the plan's first
 * and second slot, days in the center's local time. Undefined for any other key, or a plan
 * without two slots.
 */
export function ivrSlotChoice(key: string, now: Instant, plan: SlotPlan): SlotRef | undefined {
  const choice = ({ '1': [1, 0], '2': [1, 1], '3': [2, 0] } as const)[key as '1' | '2' | '3']
  const def = choice ? plan.slots[choice[1]] : undefined
  if (!choice || !def) return undefined
  return { day: localDay(now + choice[0] * DAY_MS, plan.utcOffsetMinutes), slot: def.name }
}

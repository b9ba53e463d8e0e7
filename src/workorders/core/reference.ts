/**
 * Human references the IVR reads back digit by digit: a type letter, the local date as YYMMDD and
 * a four-digit daily sequence, e.g. R2611220001 (the first repair of 22 Nov 2026). Short enough
 * to say, and the date lets an agent find the order even from a half-remembered number.
 */
import type { Instant } from '../../shared/index.ts'
import type { WorkOrderType } from './work-order.ts'

const LETTER: Readonly<Record<WorkOrderType, string>> = { repair: 'R', installation: 'I', complaint: 'C', enquiry: 'E' }

export function referencePrefix(type: WorkOrderType, at: Instant, utcOffsetMinutes: number): string {
  const d = new Date(at + utcOffsetMinutes * 60_000).toISOString()
  return `${LETTER[type]}${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}`
}

export const formatReference = (prefix: string, sequence: number): string => `${prefix}${String(sequence).padStart(4, '0')}`

export const REFERENCE_PATTERN = /^[RICE]\d{10,}$/

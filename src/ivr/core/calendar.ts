/**
 * Business hours and holidays in the calendar's own timezone. `now` is an input; Intl (a language
 * built-in, not I/O) converts it to the local wall clock, so a server in UTC still opens at 08:00
 * Beijing time.
 */
import type { Instant } from '../../shared/index.ts'
import type { Calendar } from './flow.ts'

export type OpenState = 'open' | 'closed' | 'holiday'

const weekdays: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', weekday: 'short',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    })
    formatters.set(timezone, f)
  }
  return f
}

export interface LocalTime { readonly date: string; readonly weekday: number; readonly minute: number }

/** Intl formatting is slow next to a step; the wall clock only changes once a minute. */
let memo: { key: string; value: LocalTime } | null = null

export function localTime(now: Instant, timezone: string): LocalTime {
  const key = `${timezone}@${Math.floor(now / 60_000)}`
  if (memo?.key === key) return memo.value
  const value = computeLocalTime(now, timezone)
  memo = { key, value }
  return value
}

function computeLocalTime(now: Instant, timezone: string): LocalTime {
  const parts: Record<string, string> = {}
  for (const p of formatter(timezone).formatToParts(new Date(now))) parts[p.type] = p.value
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: weekdays[parts.weekday ?? ''] ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

export function openState(cal: Calendar, now: Instant): OpenState {
  const local = localTime(now, cal.timezone)
  if (cal.holidays.has(local.date)) return 'holiday'
  const spans = cal.hours.get(local.weekday) ?? []
  return spans.some((s) => local.minute >= s.from && local.minute < s.to) ? 'open' : 'closed'
}

/** True when the runtime knows the IANA zone (checked at load so a typo is a flow error). */
export function isTimezone(tz: string): boolean {
  try {
    formatter(tz)
    return true
  } catch {
    return false
  }
}

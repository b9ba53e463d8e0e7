/**
 * The demo's running commentary: one plain line per thing a newcomer watches for (a caller dials,
 * is offered to an agent, is answered, leaves the queue, hangs up; an SMS the demo would send),
 * instead of the process's JSON log. Pure: events in, a line (or nothing) out; demo.ts prints.
 */
import type { AcdNotice } from '../acd/index.ts'
import type { CallEvent } from '../calls/index.ts'

const clock = (at: number, timeZone: string): string =>
  new Date(at).toLocaleTimeString('en-GB', { timeZone, hour12: false })
const secs = (ms: number): string => `${Math.max(0, Math.round(ms / 1000))} s`
const short = (id: string): string => id.slice(0, 8)

export function narrateCall(e: CallEvent, at: number, timeZone: string): string | undefined {
  const t = clock(at, timeZone)
  switch (e.type) {
    case 'call-arrived': {
      const who = e.call.caller.name ? `${e.call.caller.number} (${e.call.caller.name})` : e.call.caller.number
      return `${t}  call ${short(e.call.id)}  ${who} dials ${e.call.entry}`
    }
    case 'call-ended':
      return `${t}  call ${short(e.call.id)}  ended${e.call.ended?.cause ? ` (${e.call.ended.cause})` : ''}`
    default:
      return undefined
  }
}

export function narrateAcd(n: AcdNotice, timeZone: string): string | undefined {
  const t = clock(n.at, timeZone)
  const e = n.event
  switch (e.kind) {
    case 'call-waiting':
      return `${t}  call ${short(e.call)}  waits in ${e.queue} (${e.tier}, position ${e.position})`
    case 'call-offered':
      return `${t}  call ${short(e.call)}  offered to ${e.agent}: the screen-pop shows, the phone rings`
    case 'call-answered':
      return `${t}  call ${short(e.call)}  answered by ${e.agent} after waiting ${secs(e.waited)}`
    case 'offer-missed':
      return `${t}  call ${short(e.call)}  ${e.agent} did not answer (${e.cause}); offered to the next agent`
    case 'call-abandoned':
      return `${t}  call ${short(e.call)}  the caller left ${e.queue} after ${secs(e.waited)}`
    default:
      return undefined
  }
}

export const narrateSms = (to: string, text: string, at: number, timeZone: string): string =>
  `${clock(at, timeZone)}  SMS to ${to}: ${text.length > 70 ? `${text.slice(0, 69)}…` : text}  (shown here: the demo has no SMS gateway)`

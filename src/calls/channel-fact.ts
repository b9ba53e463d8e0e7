/**
 * The edge between ESL and call tracking: a decoded FreeSWITCH event becomes a ChannelFact, or
 * nothing. Events Hotline does not track (BACKGROUND_JOB, HEARTBEAT, API, RE_SCHEDULE …, fact 20)
 * are dropped here.
 */
import type { EslEvent } from '../esl/index.ts'
import { channelUuid } from '../shared/index.ts'
import type { ChannelFact, HotlineVars } from './core/index.ts'

export const CALL_EVENTS = [
  'CHANNEL_CREATE',
  'CHANNEL_PARK',
  'CHANNEL_ANSWER',
  'CHANNEL_BRIDGE',
  'CHANNEL_UNBRIDGE',
  'CHANNEL_HANGUP_COMPLETE',
  'DTMF',
] as const

export function toChannelFact(ev: EslEvent): ChannelFact | undefined {
  // ev.header reads a JSON event's text on demand: tracking never builds the ~200-header map.
  const h = (name: string): string | undefined => ev.header(name)
  const id = h('Unique-ID')
  if (!id) return undefined
  const leg = channelUuid(id)
  switch (ev.name) {
    case 'CHANNEL_CREATE':
      return { kind: 'created', leg, name: h('Channel-Name') ?? '', vars: hotlineVars(ev) }
    case 'CHANNEL_PARK':
      return {
        kind: 'parked',
        leg,
        name: h('Channel-Name') ?? '',
        answered: h('Answer-State') === 'answered',
        caller: { number: h('Caller-Caller-ID-Number') ?? '', name: h('Caller-Caller-ID-Name') ?? '' },
        destination: h('Caller-Destination-Number') ?? '',
        vars: hotlineVars(ev),
      }
    case 'CHANNEL_ANSWER':
      return { kind: 'answered', leg, vars: hotlineVars(ev) }
    case 'CHANNEL_BRIDGE': {
      const a = h('Bridge-A-Unique-ID') ?? id
      const b = h('Bridge-B-Unique-ID') ?? h('Other-Leg-Unique-ID')
      return b ? { kind: 'bridged', a: channelUuid(a), b: channelUuid(b) } : undefined
    }
    case 'CHANNEL_UNBRIDGE': {
      const b = h('Bridge-B-Unique-ID') ?? h('Other-Leg-Unique-ID')
      return { kind: 'unbridged', a: channelUuid(h('Bridge-A-Unique-ID') ?? id), b: b ? channelUuid(b) : undefined }
    }
    case 'DTMF': {
      const digit = h('DTMF-Digit')
      return digit ? { kind: 'pressed', leg, digit } : undefined
    }
    case 'CHANNEL_HANGUP_COMPLETE':
      return { kind: 'hungup', leg, cause: h('Hangup-Cause') ?? h('variable_hangup_cause') ?? 'UNKNOWN', vars: hotlineVars(ev) }
    default:
      return undefined
  }
}

/** Our own channel variables, `variable_hotline_x` → `hotline_x`. */
export function hotlineVars(ev: Pick<EslEvent, 'headersStartingWith'>): HotlineVars {
  const out: Record<string, string> = {}
  const vars = ev.headersStartingWith('variable_hotline_')
  for (const k in vars) out[k.slice(9)] = vars[k]!
  return out
}

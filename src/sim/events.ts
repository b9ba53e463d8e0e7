/**
 * Events built from the capture templates (capture-templates.ts): each event carries, in the
 * captured order, every header FreeSWITCH sent on all captured instances of that kind. Values
 * come from the live channel and the event's own fields; a template header the simulator has
 * no live value for keeps the captured sample (Event-Calling-File and the like).
 */
import { CAPTURE_TEMPLATES } from './capture-templates.ts'
import type { Channel } from './channel.ts'
import { channelFields, profileFields } from './channel.ts'
import type { HeaderPairs } from './wire.ts'

export interface SimEvent {
  readonly name: string
  readonly subclass: string | undefined
  readonly pairs: HeaderPairs
  readonly body: string | undefined
  /** Last value per name, for filters. */
  readonly lookup: Readonly<Record<string, string>>
}

export interface EventContext {
  readonly coreUuid: string
  readonly now: number
  readonly sequence: number
}

const pad = (n: number): string => String(n).padStart(2, '0')
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export function localDate(ms: number): string {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

function gmtDate(ms: number): string {
  const d = new Date(ms)
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`
}

function coreFields(c: EventContext): Record<string, string> {
  return {
    'Core-UUID': c.coreUuid, 'FreeSWITCH-Hostname': 'pbx1', 'FreeSWITCH-Switchname': 'pbx1',
    'FreeSWITCH-IPv4': '127.0.0.1', 'FreeSWITCH-IPv6': '::1',
    'Event-Date-Local': localDate(c.now), 'Event-Date-GMT': gmtDate(c.now),
    'Event-Date-Timestamp': String(c.now * 1000), 'Event-Sequence': String(c.sequence),
  }
}

export const templateKind = (name: string, subclass?: string): string => (subclass ? `CUSTOM ${subclass}` : name)

/**
 * Build one event. `fields` are the event's own headers (Application, Playback-Status …);
 * `channel` adds the channel block, its bridge partner's Other-Leg block and its variables.
 */
export function buildEvent(
  c: EventContext,
  name: string,
  opts: { subclass?: string; channel?: Channel; other?: Channel; fields?: Record<string, string>; body?: string } = {},
): SimEvent {
  const { subclass, channel, other, fields = {}, body } = opts
  const live: Record<string, string> = { 'Event-Name': name, ...coreFields(c) }
  if (subclass) live['Event-Subclass'] = subclass
  if (channel) Object.assign(live, channelFields(channel))
  if (other) Object.assign(live, otherLeg(other))
  Object.assign(live, fields)
  const template = CAPTURE_TEMPLATES[templateKind(name, subclass)] ?? []
  const pairs: (readonly [string, string])[] = []
  const seen = new Set<string>()
  for (const [k, sample] of template) {
    pairs.push([k, live[k] ?? sample])
    seen.add(k)
  }
  for (const [k, v] of Object.entries(live)) if (!seen.has(k)) pairs.push([k, v])
  if (channel) for (const [k, v] of channel.vars) pairs.push([`variable_${k}`, v])
  const lookup: Record<string, string> = {}
  for (const [k, v] of pairs) lookup[k] = v
  return { name, subclass, pairs, body, lookup }
}

function otherLeg(other: Channel): Record<string, string> {
  return { 'Other-Type': other.direction === 'outbound' ? 'originatee' : 'originator', ...profileFields('Other-Leg', other) }
}

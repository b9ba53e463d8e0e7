/**
 * Rebuilding the picture after an ESL reconnect or a Hotline restart (fact 16/17): FreeSWITCH
 * kept every channel; `show channels as json` lists them (without custom variables), and one
 * `eval uuid:<uuid> ${variable_hotline_…}|…` per channel returns our variables in one short round
 * trip. Both parsers here are pure; the shell issues the commands.
 */
import { channelUuid, type ChannelUuid } from '../../shared/index.ts'
import type { ChannelFact, HotlineVars } from './model.ts'

/** The hotline_* variables Hotline stamps and needs back after a restart. */
export const RECOVERED_VARS = [
  'hotline_entry', 'hotline_call_id', 'hotline_offer_id', 'hotline_agent', 'hotline_region', 'hotline_did',
  'hotline_arrived_at', 'hotline_queue', 'hotline_tier', 'hotline_skills', 'hotline_enqueued_at', 'hotline_callback',
  'hotline_ivr_at', 'hotline_ivr_facts', 'hotline_lang', 'hotline_fax', 'hotline_feature', 'hotline_feature_reason', 'hotline_agent_extension',
] as const
const CHANNEL_FIELDS = ['Answer-State', 'Channel-Name', 'Caller-Caller-ID-Number', 'Caller-Caller-ID-Name', 'Caller-Destination-Number'] as const

/** The argument of `eval uuid:<uuid> …`: channel variables need the `variable_` prefix (fact 6). */
export function recoveryExpression(): string {
  return [...RECOVERED_VARS.map((v) => `\${variable_${v}}`), ...CHANNEL_FIELDS.map((f) => `\${${f}}`)].join('|')
}

export interface ChannelRow {
  readonly uuid: ChannelUuid
  readonly name: string
  readonly state: string
  /** The last app the channel ran and its argument; it stays after the app ended (1.11.3). */
  readonly application?: string
  readonly applicationData?: string
  /** presence_data: the kit's gate puts `hotline_entry=…` there for every caller parked for Hotline. */
  readonly presenceData?: string
}

/** Parses `show channels as json` / `show bridged_calls as json` (`{"row_count": 0}\n` when empty, fact 18). */
export function parseShowRows(body: string): Array<Record<string, string>> | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return `not JSON: ${body.slice(0, 80)}`
  }
  if (typeof parsed !== 'object' || parsed === null) return 'not an object'
  const rows = (parsed as { rows?: unknown }).rows
  if (rows === undefined) return []
  if (!Array.isArray(rows)) return 'rows is not a list'
  return rows.filter((r): r is Record<string, string> => typeof r === 'object' && r !== null)
}

export function channelRows(body: string): ChannelRow[] | string {
  const rows = parseShowRows(body)
  if (typeof rows === 'string') return rows
  return rows.filter((r) => typeof r['uuid'] === 'string' && r['uuid'] !== '').map((r) => ({
    uuid: channelUuid(r['uuid']!), name: r['name'] ?? '', state: r['state'] ?? '', application: r['application'] ?? '', applicationData: r['application_data'] ?? '',
    presenceData: r['presence_data'] ?? '',
  }))
}

/** Pairs from `show bridged_calls as json`: the A leg's uuid and its b_uuid. */
export function bridgedPairs(body: string): Array<readonly [ChannelUuid, ChannelUuid]> | string {
  const rows = parseShowRows(body)
  if (typeof rows === 'string') return rows
  return rows.filter((r) => r['uuid'] && r['b_uuid']).map((r) => [channelUuid(r['uuid']!), channelUuid(r['b_uuid']!)] as const)
}

export interface RecoveredChannel {
  readonly uuid: ChannelUuid
  readonly name: string
  readonly answered: boolean
  readonly caller: { readonly number: string; readonly name: string }
  readonly destination: string
  readonly vars: HotlineVars
}

/** Reads one `eval` answer. `-ERR` (the channel went away meanwhile) gives undefined. */
export function parseRecovery(row: ChannelRow, evalBody: string): RecoveredChannel | undefined {
  if (evalBody.startsWith('-ERR')) return undefined
  const parts = evalBody.replace(/\n$/, '').split('|')
  const vars: Record<string, string> = {}
  RECOVERED_VARS.forEach((v, i) => {
    const value = parts[i]
    if (value) vars[v] = value
  })
  const field = (f: (typeof CHANNEL_FIELDS)[number]): string => parts[RECOVERED_VARS.length + CHANNEL_FIELDS.indexOf(f)] ?? ''
  return {
    uuid: row.uuid,
    name: field('Channel-Name') || row.name,
    answered: field('Answer-State') === 'answered',
    caller: { number: field('Caller-Caller-ID-Number'), name: field('Caller-Caller-ID-Name') },
    destination: field('Caller-Destination-Number'),
    vars,
  }
}

/**
 * Facts that replay the recovered picture through the ordinary tracker: every channel of ours as
 * parked (customer legs with hotline_entry, agent legs with hotline_offer_id), then the bridges.
 * A customer leg in a bridge is replayed parked-then-bridged, which ends in the same state.
 */
export function recoveryFacts(channels: readonly RecoveredChannel[], pairs: ReadonlyArray<readonly [ChannelUuid, ChannelUuid]>): ChannelFact[] {
  const ours = channels.filter((c) => c.vars['hotline_entry'] !== undefined || c.vars['hotline_offer_id'] !== undefined)
  const facts: ChannelFact[] = []
  // Customers first, so an agent leg recovered later can be linked to its call.
  for (const c of [...ours].sort((a, b) => Number(b.vars['hotline_entry'] !== undefined) - Number(a.vars['hotline_entry'] !== undefined))) {
    // A ringing agent leg (originate not answered yet) is only created; it parks on answer.
    const ringing = c.vars['hotline_entry'] === undefined && !c.answered
    facts.push(ringing ? { kind: 'created', leg: c.uuid, name: c.name, vars: c.vars } : { kind: 'parked', leg: c.uuid, name: c.name, answered: c.answered, caller: c.caller, destination: c.destination, vars: c.vars })
  }
  const known = new Set(ours.map((c) => c.uuid))
  for (const [a, b] of pairs) if (known.has(a) && known.has(b)) facts.push({ kind: 'bridged', a, b })
  return facts
}

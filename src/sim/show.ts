/**
 * `show channels|calls|bridged_calls [like x] as json`. Empty is `{"row_count": 0}\n` with a
 * space and a newline; non-empty is compact with no newline (fact 18).
 */
import type { Channel } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import { localDate } from './events.ts'

function row(ch: Channel): Record<string, string> {
  return {
    uuid: ch.uuid, direction: ch.direction, created: localDate(ch.createdAt), created_epoch: String(Math.floor(ch.createdAt / 1000)),
    name: ch.name, state: ch.state, cid_name: ch.cidName, cid_num: ch.cidNum, ip_addr: '', dest: ch.dest,
    application: ch.lastApp, application_data: ch.lastAppData, dialplan: 'xml', context: ch.context,
    read_codec: 'L16', read_rate: '8000', read_bit_rate: '128000', write_codec: 'L16', write_rate: '8000', write_bit_rate: '128000',
    secure: '', hostname: 'pbx1', presence_id: '', presence_data: ch.vars.get('presence_data') ?? '', accountcode: ch.vars.get('accountcode') ?? '',
    callstate: ch.callState, callee_name: ch.calleeName, callee_num: ch.calleeNum, callee_direction: '',
    call_uuid: ch.vars.get('call_uuid') ?? (ch.direction === 'outbound' ? ch.uuid : ''),
    sent_callee_name: '', sent_callee_num: '', initial_cid_name: ch.cidName, initial_cid_num: ch.cidNum, initial_ip_addr: '',
    initial_dest: ch.dest, initial_dialplan: 'xml', initial_context: ch.context,
  }
}

export function table(rows: Record<string, string>[], json: boolean): string {
  if (json) return rows.length === 0 ? '{"row_count": 0}\n' : JSON.stringify({ row_count: rows.length, rows })
  if (rows.length === 0) return '\n0 total.\n'
  const cols = Object.keys(rows[0]!)
  return `${cols.join(',')}\n${rows.map((r) => cols.map((c) => r[c]).join(',')).join('\n')}\n\n${rows.length} total.\n`
}

const matches = (ch: Channel, like: string): boolean =>
  [ch.uuid, ch.name, ch.cidName, ch.cidNum, ch.vars.get('presence_data') ?? '', ch.vars.get('accountcode') ?? ''].some((v) => v.includes(like))

export function showChannels(sw: SimSwitch, like: string | undefined, json: boolean): string {
  const chans = [...sw.channels.values()].filter((c) => like === undefined || matches(c, like))
  return table(chans.map(row), json)
}

/** One row per call: a bridged pair is one row with b_uuid/b_name (fact 17). */
export function showCalls(sw: SimSwitch, bridgedOnly: boolean, json: boolean): string {
  const rows: Record<string, string>[] = []
  for (const ch of sw.channels.values()) {
    const peer = ch.bridgePeer ? sw.channels.get(ch.bridgePeer) : undefined
    if (peer && !ch.bridgeFirst) continue
    if (bridgedOnly && !peer) continue
    const r = row(ch)
    if (peer) Object.assign(r, { b_uuid: peer.uuid, b_name: peer.name, b_state: peer.state, b_callstate: peer.callState })
    rows.push(r)
  }
  return table(rows, json)
}

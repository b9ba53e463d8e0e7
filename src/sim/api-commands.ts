/** `api` / `bgapi` commands, answered with the bodies esl-captures shows. */
import type { Channel } from './channel.ts'
import { channelFields as channelHeaders } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import { breakApps, newAppUuid, execute, stopAll } from './apps.ts'
import { originate, parseOriginate } from './originate.ts'
import { startRecording } from './apps-more.ts'
import { showChannels, showCalls } from './show.ts'
import { runDialplan } from './dialplan-run.ts'
import { sofia } from './sofia.ts'
import { separateString } from './separate-string.ts'
import { xmlLocate } from './xml-locate.ts'

export const VERSION = 'FreeSWITCH Version 1.11.3-dev+git~20260821T141014Z~cc93a683ca~64bit (git cc93a68 2026-08-21 14:10:14Z 64bit)'
const NO_CHANNEL = '-ERR No such channel!\n'
/** What module_exists answers true for unless SimulatorOptions.modules says otherwise: the capture lab's switch. */
export const LAB_MODULES: readonly string[] = ['mod_event_socket', 'mod_sofia', 'mod_loopback', 'mod_commands', 'mod_dptools', 'mod_dialplan_xml', 'mod_sndfile', 'mod_native_file', 'mod_tone_stream', 'mod_local_stream', 'mod_spandsp', 'mod_db', 'mod_hash', 'mod_expr', 'mod_callcenter', 'mod_fifo', 'mod_conference', 'mod_say_en', 'mod_xml_cdr', 'mod_console', 'mod_logfile']

type Handler = (sw: SimSwitch, args: string[], raw: string, reply: (body: string) => void) => void

const withChannel = (f: (sw: SimSwitch, ch: Channel, args: string[], raw: string) => string): Handler =>
  (sw, args, raw, reply) => {
    const ch = sw.channels.get(args[0] ?? '')
    reply(ch ? f(sw, ch, args, raw) : NO_CHANNEL)
  }

const HANDLERS: Record<string, Handler> = {
  version: (_sw, _a, _r, reply) => reply(VERSION + '\n'),
  status: (sw, _a, _r, reply) => reply(statusText(sw)),
  show: (sw, args, _r, reply) => reply(show(sw, args)),
  uuid_exists: (sw, args, _r, reply) => reply(sw.channels.has(args[0] ?? '') ? 'true' : 'false'),
  uuid_getvar: withChannel((_sw, ch, a) => ch.vars.get(a[1] ?? '') ?? '_undef_'),
  uuid_setvar: withChannel((_sw, ch, a, raw) => {
    const value = raw.split(/\s+/).slice(2).join(' ')
    if (value) ch.vars.set(a[1] ?? '', value)
    else ch.vars.delete(a[1] ?? '')
    return '+OK\n'
  }),
  // mod_commands.c: the list after the uuid splits once on ';' (switch_separate_string), each item on its first '='.
  uuid_setvar_multi: withChannel((_sw, ch, _a, raw) => {
    for (const kv of separateString(raw.replace(/^\S+\s+/, ''), ';', 64)) {
      const eq = kv.indexOf('=')
      if (eq <= 0) continue
      const value = kv.slice(eq + 1)
      if (value === '') ch.vars.delete(kv.slice(0, eq))
      else if (!/\$\\*\{/.test(value)) ch.vars.set(kv.slice(0, eq), value)
    }
    return '+OK\n'
  }),
  uuid_dump: withChannel((sw, ch, a) => dump(sw, ch, a[1] === 'json')),
  uuid_kill: withChannel((sw, ch, a) => {
    sw.hangup(ch, a[1] ?? 'NORMAL_CLEARING')
    return '+OK\n'
  }),
  uuid_break: withChannel((_sw, ch, a) => {
    breakApps(ch, a[1] === 'all')
    return '+OK\n'
  }),
  uuid_bridge: (sw, args, _r, reply) => {
    const a = sw.channels.get(args[0] ?? '')
    const b = sw.channels.get(args[1] ?? '')
    if (!a || !b) return reply(`-ERR Invalid uuid ${a ? args[1] : args[0]}\n`)
    reply('+OK\n')
    for (const leg of [a, b]) {
      stopAll(leg, 'bridge')
      sw.unpark(leg)
      // uuid_bridge shows as an app on both legs, with an empty Application-UUID (fact 10).
      leg.lastApp = 'uuid_bridge'
      sw.emitChannel('CHANNEL_EXECUTE', leg, { Application: 'uuid_bridge', 'Application-UUID': '' })
    }
    sw.bridge(a, b)
  },
  uuid_transfer: withChannel((sw, ch, a) => transfer(sw, ch, a.slice(1))),
  uuid_broadcast: withChannel((sw, ch, a) => {
    execute(sw, ch, { name: 'playback', arg: a[1] ?? '', appUuid: newAppUuid() }, true)
    return '+OK Message sent\n'
  }),
  uuid_record: withChannel((sw, ch, a) => record(sw, ch, a[1] ?? '', a[2] ?? '', a[3])),
  uuid_recv_dtmf: withChannel((sw, ch, a) => {
    sw.receiveDtmf(ch, a[1] ?? '', 'APP')
    return `+OK ${ch.uuid} received DTMF ${a[1] ?? ''}.\n`
  }),
  uuid_send_dtmf: withChannel((sw, ch, a) => {
    const peer = sw.channels.get(ch.bridgePeer ?? ch.loopbackPeer ?? '')
    if (peer) sw.receiveDtmf(peer, (a[1] ?? '').replace(/@\d+$/, ''), 'APP')
    return '+OK Success\n'
  }),
  originate: (sw, _a, raw, reply) => {
    const req = parseOriginate(raw)
    if (!req.ok) return reply(req.body)
    originate(sw, req.value, reply)
  },
  sofia: (sw, args, _r, reply) => reply(sofia(sw, args)),
  sofia_contact: (sw, args, _r, reply) => reply(sw.phones.contactOf((args[0] ?? '').replace(/^\*\//, '').split('@')[0] ?? '')),
  module_exists: (sw, args, _r, reply) => reply(sw.setup.modules.has(args[0] ?? '') ? 'true' : 'false'),
  // mod_commands writes the bare value, or nothing for an unset variable; mod_event_socket sends
  // an empty api body as `-ERR no reply\n`. A bare global_getvar (dump all) is not simulated.
  // mod_commands.c _find_user: `true` / `false`, no newline; fewer than three arguments is false.
  user_exists: (sw, _a, raw, reply) => {
    const [key, user, domain] = separateString(raw, ' ', 3)
    const found = key === 'id' && user !== undefined && domain !== undefined && domain.toLowerCase() === sw.setup.domain.toLowerCase() && sw.phones.exists(user)
    reply(found ? 'true' : 'false')
  },
  global_getvar: (sw, _a, raw, reply) => reply(sw.setup.globals.get(raw) ?? '-ERR no reply\n'),
  eval: (sw, _a, raw, reply) => reply(evaluate(sw, raw)),
  xml_locate: (sw, args, _r, reply) => reply(xmlLocate(sw.setup, args)),
  msleep: (sw, args, _r, reply) => void sw.after(Number(args[0]) || 0, () => reply('+OK')),
}

/** Run one api command; `reply` may be called later (a blocking originate). */
export function runApi(sw: SimSwitch, line: string, reply: (body: string) => void): void {
  const trimmed = line.trim()
  const cmd = trimmed.split(/\s+/)[0] ?? ''
  const raw = trimmed.slice(cmd.length).trim()
  const handler = HANDLERS[cmd]
  if (!handler) return reply(`-ERR ${cmd} Command not found!\n`)
  handler(sw, raw ? raw.split(/\s+/) : [], raw, reply)
}

function statusText(sw: SimSwitch): string {
  const up = sw.now() - sw.startedAt
  const s = Math.floor(up / 1000)
  return `UP 0 years, ${Math.floor(s / 86400)} days, ${Math.floor(s / 3600) % 24} hours, ${Math.floor(s / 60) % 60} minutes, ${s % 60} seconds, ${up % 1000} milliseconds, 0 microseconds\n`
    + 'FreeSWITCH (Version 1.11.3-dev git cc93a68 2026-08-21 14:10:14Z 64bit) is ready\n'
    + `${sw.sessionsSinceStartup} session(s) since startup\n${sw.channels.size} session(s) - peak ${sw.channels.size}, last 5min ${sw.channels.size} \n`
    + `0 session(s) per Sec out of max 500, peak 0, last 5min 0 \n${sw.setup.maxSessions} session(s) max\n`
    + 'min idle cpu 0.00/97.00\nCurrent Stack Size/Max 240K/8192K\n'
}

function show(sw: SimSwitch, args: string[]): string {
  const what = args[0] ?? ''
  const json = args.at(-1) === 'json' && args.at(-2) === 'as'
  if (what === 'channels' && args[1] === 'count') return `\n${sw.channels.size} total.\n`
  const like = args[1] === 'like' ? args[2] : undefined
  if (what === 'channels') return showChannels(sw, like, json)
  if (what === 'calls' || what === 'bridged_calls') return showCalls(sw, what === 'bridged_calls', json)
  return '-ERR Invalid show command\n'
}

function dump(sw: SimSwitch, ch: Channel, json: boolean): string {
  const pairs = [...Object.entries({ 'Event-Name': 'CHANNEL_DATA', 'Core-UUID': sw.coreUuid }), ...Object.entries(channelHeaders(ch)), ...[...ch.vars].map(([k, v]) => [`variable_${k}`, v] as const)]
  if (json) return JSON.stringify(Object.fromEntries(pairs))
  return pairs.map(([k, v]) => `${k}: ${encodeURIComponent(v)}`).join('\n') + '\n\n'
}

/** eval uuid:<uuid> <expr>: ${Header} and ${variable_x} expand against the channel's event headers (fact 6). */
function evaluate(sw: SimSwitch, raw: string): string {
  const m = /^uuid:(\S+)\s+([\s\S]*)$/.exec(raw)
  if (!m) return raw
  const ch = sw.channels.get(m[1]!)
  if (!ch) return NO_CHANNEL
  const headers: Record<string, string> = channelHeaders(ch)
  for (const [k, v] of ch.vars) headers[`variable_${k}`] = v
  if (ch.bridgePeer) headers['Other-Leg-Unique-ID'] = ch.bridgePeer
  return m[2]!.replace(/\$\{([^}]+)\}/g, (_x, name: string) => headers[name] ?? '')
}

/** uuid_transfer <uuid> [-bleg|-both] <ext> [XML <context>] (facts 19, 20). */
function transfer(sw: SimSwitch, ch: Channel, args: string[]): string {
  let legs = [ch]
  if (args[0] === '-bleg' || args[0] === '-both') {
    const peer = sw.channels.get(ch.bridgePeer ?? '')
    legs = args[0] === '-both' ? [ch, ...(peer ? [peer] : [])] : peer ? [peer] : []
    args = args.slice(1)
  }
  const ext = args[0] ?? ''
  for (const leg of legs) {
    stopAll(leg, 'transfer')
    sw.unpark(leg)
    if (leg.bridgePeer) {
      // A -both transfer leaves both legs running the extension; otherwise the partner follows facts 11/20.
      const peer = sw.channels.get(leg.bridgePeer)
      if (peer && legs.includes(peer)) peer.vars.set('park_after_bridge', peer.vars.get('park_after_bridge') ?? 'transfer')
      sw.unbridge(leg, 'NORMAL_CLEARING')
    }
    leg.dest = ext
    leg.context = args[2] ?? leg.context
    leg.transferredAt = sw.now()
    runDialplan(sw, leg)
  }
  return '+OK\n'
}

function record(sw: SimSwitch, ch: Channel, action: string, path: string, limit?: string): string {
  switch (action) {
    case 'start':
      startRecording(sw, ch, path, limit ? Number(limit) : undefined)
      return '+OK Success\n'
    case 'stop': {
      const paths = path === 'all' ? [...ch.recordings.keys()] : ch.recordings.has(path) ? [path] : []
      if (paths.length === 0) return '-ERR Cannot stop record session!\n'
      for (const p of paths) sw.stopRecording(ch, p, ch.recordings.get(p)!, 'success-maxtime')
      return '+OK Success\n'
    }
    case 'mask':
    case 'unmask':
      return ch.recordings.has(path) ? '+OK Success\n' : '-ERR Cannot mask recording session!\n'
    default:
      return '-ERR Cannot pause recording session!\n'
  }
}

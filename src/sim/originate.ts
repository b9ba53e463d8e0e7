/**
 * originate: `[{var=v,…}]user/<n>[@domain] | loopback/<ext>[/<context>] <&app(arg) | app>`.
 * The result is `+OK <uuid>\n` once the leg answers, or `-ERR <CAUSE>\n` (facts 9, 13).
 */
import { randomUUID } from 'node:crypto'
import type { Channel } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import { newAppUuid, start } from './apps.ts'
import { runDialplan } from './dialplan-run.ts'
import { originateBrackets, separateString } from './separate-string.ts'

export interface OriginateRequest {
  readonly vars: Map<string, string>
  readonly dial: string
  readonly app: string
  readonly appArg: string
}

/** mod_commands.c ORIGINATE_SYNTAX, sent back as `-USAGE: …` for a wrong number of arguments. */
const USAGE = '-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n'

/**
 * A call url as switch_ivr_originate reads it: `{k=v,…}` blocks, then the dial string.
 * Undefined where FreeSWITCH logs "Parse Error!" (a block whose closing brace is missing).
 */
export function parseCallUrl(url: string): { vars: Map<string, string>; dial: string } | undefined {
  const parsed = originateBrackets(url.trim())
  if (!parsed) return undefined
  // switch_channel_set_variable_var_check (switch_channel.c) refuses a value holding `${`: the
  // variable is simply not set ("Invalid data" in the log).
  for (const [k, v] of parsed.vars) if (/\$\\*\{/.test(v)) parsed.vars.delete(k)
  return { vars: parsed.vars, dial: parsed.rest }
}

/**
 * `originate <call url> <exten>|&app(arg) …` split as mod_commands.c originate_function does
 * (switch_separate_string on blanks: quotes dropped, `\s` a space). An unquoted space inside the
 * `{…}` cuts the url short: the real switch then logs "Parse Error!" and answers
 * `-ERR DESTINATION_OUT_OF_ORDER` (seen on 1.11.3), and so does the simulator.
 */
export function parseOriginate(args: string): { ok: true; value: OriginateRequest } | { ok: false; body: string } {
  const argv = separateString(args, ' ', 10)
  if (argv.length < 2 || argv.length > 7) return { ok: false, body: USAGE }
  const url = parseCallUrl(argv[0]!)
  if (!url) return { ok: false, body: '-ERR DESTINATION_OUT_OF_ORDER\n' }
  const exten = argv[1]!
  if (exten.startsWith('&') && exten.length > 1) {
    // mod_commands cuts the app at the first ')' and its argument at the first '('.
    const body = exten.slice(1).split(')')[0]!
    const open = body.indexOf('(')
    return { ok: true, value: { ...url, app: open < 0 ? body : body.slice(0, open), appArg: open < 0 ? '' : body.slice(open + 1) } }
  }
  return { ok: true, value: { ...url, app: 'transfer', appArg: argv.slice(1, 4).join(' ') } }
}

export type OriginateResult = (body: string) => void

export function originate(sw: SimSwitch, req: OriginateRequest, done: OriginateResult): void {
  const user = /^user\/([^@/]+)(?:@([^/]+))?/.exec(req.dial)
  if (user) return originateUser(sw, req, user[1]!, user[2] ?? sw.setup.domain, done)
  const loop = /^loopback\/([^/]+)(?:\/([^/]+))?/.exec(req.dial)
  if (loop) return originateLoopback(sw, req, loop[1]!, loop[2] ?? 'default', done)
  done('-ERR NO_ROUTE_DESTINATION\n')
}

function legInit(sw: SimSwitch, req: OriginateRequest, name: string, dest: string): Parameters<SimSwitch['create']>[0] {
  return {
    uuid: req.vars.get('origination_uuid') ?? randomUUID(), name, direction: 'outbound', source: 'mod_sofia',
    createdAt: sw.now(), context: 'default', dest,
    cidName: req.vars.get('origination_caller_id_name') ?? 'Outbound Call',
    cidNum: req.vars.get('origination_caller_id_number') ?? '0000000000',
    calleeName: 'Outbound Call', calleeNum: dest,
  }
}

/** Settle the originate exactly once: answered → run the app; hung up first → -ERR cause. */
function settle(sw: SimSwitch, ch: Channel, req: OriginateRequest, done: OriginateResult): void {
  let settled = false
  ch.onAnswer = () => {
    if (settled) return
    settled = true
    timeout?.cancel()
    done(`+OK ${ch.uuid}\n`)
    runOriginateApp(sw, ch, req)
  }
  ch.onHangup = (cause) => {
    timeout?.cancel()
    if (settled) return
    settled = true
    done(`-ERR ${cause}\n`)
  }
  const limit = Number(req.vars.get('originate_timeout') ?? 60)
  const timeout = sw.after(limit * 1000, () => sw.hangup(ch, 'NO_ANSWER'))
}

/**
 * user/<n>[@domain] as mod_dptools.c user_outgoing_channel dials it (seen on 1.11.3): no domain
 * means the switch's own; a user not in that domain's directory is "Can't find user" and
 * SUBSCRIBER_ABSENT (so is a wrong domain); a directory user with no registration gets the kit's
 * dial-string `${sofia_contact(...)}` = error/user_not_registered: USER_NOT_REGISTERED, before
 * any channel exists (fact 13).
 */
function originateUser(sw: SimSwitch, req: OriginateRequest, user: string, domain: string, done: OriginateResult): void {
  if (domain.toLowerCase() !== sw.setup.domain.toLowerCase() || !sw.phones.exists(user)) return done('-ERR SUBSCRIBER_ABSENT\n')
  const phone = sw.phones.get(user)
  if (!phone) return done('-ERR USER_NOT_REGISTERED\n')
  const ch = sw.create(legInit(sw, req, `sofia/internal/${user}@127.0.0.1:${phone.port}`, user))
  for (const [k, v] of req.vars) ch.vars.set(k, v)
  ch.vars.set('record_stereo', 'true') // from the directory domain (fact 15)
  ch.vars.set('dialed_user', user)
  ch.state = 'CS_INIT'
  sw.emitChannel('CHANNEL_OUTGOING', ch)
  settle(sw, ch, req, done)
  const b = phone.behaviour
  switch (b.kind) {
    case 'busy':
      return sw.hangup(ch, 'USER_BUSY')
    case 'reject':
      return sw.hangup(ch, 'CALL_REJECTED')
    case 'ring-forever':
      return sw.progress(ch)
    case 'auto-answer':
      if (b.afterMs <= 0) return sw.answer(ch)
      sw.progress(ch)
      sw.after(b.afterMs, () => sw.answer(ch))
  }
}

/** A loopback pair: `-a` is the originated leg, `-b` runs the dialplan (captures 12-20). */
function originateLoopback(sw: SimSwitch, req: OriginateRequest, ext: string, context: string, done: OriginateResult): void {
  const a = sw.create({ ...legInit(sw, req, `loopback/${ext}-a`, ext), source: 'mod_loopback' })
  for (const [k, v] of req.vars) a.vars.set(k, v)
  const b = sw.create({
    uuid: randomUUID(), name: `loopback/${ext}-b`, direction: 'inbound', source: 'mod_loopback', createdAt: sw.now(),
    context, dest: ext, cidName: a.cidName, cidNum: a.cidNum, calleeName: 'Outbound Call', calleeNum: context,
  })
  a.loopbackPeer = b.uuid
  b.loopbackPeer = a.uuid
  a.vars.set('other_loopback_leg_uuid', b.uuid)
  b.vars.set('other_loopback_leg_uuid', a.uuid)
  a.vars.set('loopback_leg', 'A')
  b.vars.set('loopback_leg', 'B')
  for (const [k, v] of req.vars) if (k.startsWith('origination_')) b.vars.set(k, v)
  settle(sw, a, req, done)
  a.state = 'CS_INIT'
  sw.progress(a)
  runDialplan(sw, b)
}

function runOriginateApp(sw: SimSwitch, ch: Channel, req: OriginateRequest): void {
  ch.state = 'CS_EXECUTE'
  if (!req.app) return // the far leg of a bridge app runs nothing of its own
  const q = { name: req.app, arg: req.appArg, appUuid: newAppUuid() }
  if (req.app === 'park') return start(sw, ch, q)
  // With no dialplan after the app, the leg hangs up when it completes (fact 21).
  start(sw, ch, q, () => sw.hangup(ch, 'NORMAL_CLEARING'))
}

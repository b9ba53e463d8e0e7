/**
 * Pure verdicts: the text FreeSWITCH answered (or the failure to get it) in, a CheckResult out.
 * The runner (../run.ts) fetches; these decide.
 */
import type { Result } from '../../shared/index.ts'
import type { CheckResult } from './verdict.ts'
import { fail, pass, warn } from './verdict.ts'
import { parseChannelCount, parseGatewayStatus, parseMaxSessions, parseModuleExists, parseRegistrations, parseSofiaStatus, parseVersion } from './replies.ts'

/** What an api call gave: the body, or why there is none (timeout, disconnect). */
export type Reply = Result<string, { readonly message: string }>

export const STOCK_ESL_PASSWORD = 'ClueCon'
export const MIN_VERSION = { major: 1, minor: 10 } as const

export type ConnectOutcome =
  | { readonly kind: 'connected'; readonly address: string }
  | { readonly kind: 'unreachable'; readonly address: string; readonly message: string }
  | { readonly kind: 'auth-rejected'; readonly address: string; readonly message: string }

export function judgeConnection(c: ConnectOutcome): CheckResult {
  const title = 'ESL reachable and authenticated'
  switch (c.kind) {
    case 'connected': return pass('esl-connect', title, `connected to ${c.address}`)
    case 'unreachable': return fail('esl-connect', title, `cannot reach ${c.address}: ${c.message}`,
      'Start FreeSWITCH (systemctl status freeswitch) and check listen-ip/listen-port in autoload_configs/event_socket.conf.xml match esl.host/esl.port.')
    case 'auth-rejected': return fail('esl-connect', title, `${c.address} refused the password: ${c.message}`,
      "Set esl.password in Hotline's config to hotline_esl_password from freeswitch-conf/vars.xml.")
  }
}

export function judgePassword(password: string): CheckResult {
  const title = 'ESL password is not the default'
  if (password === STOCK_ESL_PASSWORD) {
    return fail('esl-password', title, 'the event socket accepts the well-known default password ClueCon',
      'Set hotline_esl_password in freeswitch-conf/vars.xml to a long random value (openssl rand -hex 24), the same in esl.password, then restart FreeSWITCH.')
  }
  if (password.startsWith('change-me')) {
    return fail('esl-password', title, 'the event socket still uses the placeholder password from vars.xml',
      'Set hotline_esl_password in freeswitch-conf/vars.xml to a long random value, the same in esl.password, then restart FreeSWITCH.')
  }
  return pass('esl-password', title, 'a site password is set')
}

function noReply(id: string, title: string, r: { message: string }): CheckResult {
  return fail(id, title, `no answer from FreeSWITCH: ${r.message}`, 'Check the ESL connection (first line of this report) and FreeSWITCH load.')
}

export function judgeVersion(reply: Reply): CheckResult {
  const title = 'FreeSWITCH version'
  if (!reply.ok) return noReply('freeswitch-version', title, reply.error)
  const v = parseVersion(reply.value)
  if (!v.ok) return fail('freeswitch-version', title, v.error, 'Is the event socket served by FreeSWITCH? Check esl.host/esl.port.')
  const old = v.value.major < MIN_VERSION.major || (v.value.major === MIN_VERSION.major && v.value.minor < MIN_VERSION.minor)
  if (old) return fail('freeswitch-version', title, `FreeSWITCH ${v.value.text} is older than 1.10`, 'Install FreeSWITCH 1.10 or newer from the official packages (docs/freeswitch.md).')
  return pass('freeswitch-version', title, `FreeSWITCH ${v.value.text}`)
}

/** One reply per module, in the order asked. */
export function judgeModules(modules: readonly string[], replies: readonly Reply[]): CheckResult {
  const title = 'Required modules loaded'
  const missing: string[] = []
  const unclear: string[] = []
  modules.forEach((m, i) => {
    const r = replies[i]
    const loaded = r?.ok ? parseModuleExists(r.value) : undefined
    if (!loaded?.ok) unclear.push(m)
    else if (!loaded.value) missing.push(m)
  })
  if (missing.length > 0) {
    return fail('modules', title, `not loaded: ${missing.join(', ')}`,
      'Use freeswitch-conf/autoload_configs/modules.conf.xml and install the missing packages (e.g. apt install freeswitch-mod-spandsp), then restart FreeSWITCH.')
  }
  if (unclear.length > 0) return fail('modules', title, `no clear answer for: ${unclear.join(', ')}`, 'Check the ESL connection and that mod_commands is loaded.')
  return pass('modules', title, `${modules.length} modules loaded`)
}

export function judgeProfiles(expected: readonly string[], reply: Reply): CheckResult {
  const title = 'SIP profiles running'
  if (!reply.ok) return noReply('sip-profiles', title, reply.error)
  const rows = parseSofiaStatus(reply.value)
  if (!rows.ok) return fail('sip-profiles', title, rows.error, 'Is mod_sofia loaded? (see the modules line)')
  const running = new Set(rows.value.filter((r) => r.type === 'profile' && r.state.startsWith('RUNNING')).map((r) => r.name))
  const down = expected.filter((p) => !running.has(p))
  if (down.length > 0) {
    return fail('sip-profiles', title, `not running: ${down.join(', ')}`,
      'Run `fs_cli -x "sofia profile <name> start"` and read the log: usually the SIP port is taken or sip_ip in vars.xml is not an address of this host.')
  }
  return pass('sip-profiles', title, `running: ${expected.join(', ')}`)
}

/** A registering trunk must be REGED; a LAN gateway without registration (NOREG) must answer pings. */
export function judgeGateway(name: string, reply: Reply): CheckResult {
  const id = `gateway-${name}`
  const title = `Trunk gateway ${name}`
  if (!reply.ok) return noReply(id, title, reply.error)
  const gw = parseGatewayStatus(reply.value)
  if (!gw.ok) {
    if (gw.error === 'unknown-gateway') return fail(id, title, 'not configured', `Add sip_profiles/external/${name}.xml (see freeswitch-conf) and run \`sofia profile external rescan\`.`)
    return fail(id, title, gw.error, 'Read the reply of `fs_cli -x "sofia status gateway ' + name + '"`.')
  }
  const state = gw.value.get('State') ?? ''
  const status = (gw.value.get('Status') ?? '').split(' ')[0] ?? ''
  if (state === 'NOREG') {
    if ((gw.value.get('Ping') ?? '0') === '0') return warn(id, title, 'no registration and no OPTIONS ping: reachability is not monitored', 'Set <param name="ping" value="30"/> on the gateway.')
    if (status === 'UP') return pass(id, title, `reachable (OPTIONS ping), ${gw.value.get('Uptime') ?? ''} up`)
    return fail(id, title, 'does not answer OPTIONS pings', `Check the media gateway at ${gw.value.get('Proxy') ?? 'its address'}: power, LAN, and that it accepts SIP from this host.`)
  }
  if (state === 'REGED') return pass(id, title, `registered, status ${status}`)
  return fail(id, title, `registration state ${state}`, 'Check carrier_username/carrier_password/carrier_proxy in vars.xml and the firewall; `sofia profile external killgw/rescan` retries at once.')
}

export interface CapacityExpectation {
  /** Channels of all trunks together (30 per E1 span). */
  readonly trunkChannels: number
}

/** Each trunk call needs at least its own leg and an agent leg inside FreeSWITCH. */
export function judgeCapacity(expect: CapacityExpectation | undefined, count: Reply, status: Reply): CheckResult {
  const title = 'Channel capacity'
  if (!count.ok) return noReply('capacity', title, count.error)
  if (!status.ok) return noReply('capacity', title, status.error)
  const inUse = parseChannelCount(count.value)
  const max = parseMaxSessions(status.value)
  if (!inUse.ok) return fail('capacity', title, inUse.error, 'Read `fs_cli -x "show channels count"`.')
  if (!max.ok) return fail('capacity', title, max.error, 'Read `fs_cli -x status`.')
  const trunks = expect ? `, trunks ${expect.trunkChannels} channels` : ''
  const detail = `${inUse.value} channels in use, max-sessions ${max.value}${trunks}`
  if (expect && max.value < expect.trunkChannels * 2) {
    return fail('capacity', title, detail, `Raise max_sessions in vars.xml to at least ${expect.trunkChannels * 2} (a caller leg and an agent leg per trunk channel).`)
  }
  if (inUse.value >= max.value * 0.8) return warn('capacity', title, detail, 'FreeSWITCH is at 80 % of max-sessions: look for stuck channels (`show channels`) or raise max_sessions.')
  return pass('capacity', title, detail)
}

/** Agents' phones: a missing one is a warning (the agent may be off shift), not a failure. */
export function judgePhones(expected: readonly string[] | undefined, reply: Reply): CheckResult {
  const title = "Agents' phones registered"
  if (!reply.ok) return noReply('phones', title, reply.error)
  const regs = parseRegistrations(reply.value)
  if (!regs.ok) return fail('phones', title, regs.error, 'Is the profile "internal" running? (see the SIP profiles line)')
  const users = new Set(regs.value.map((r) => r.user.split('@')[0] ?? ''))
  if (expected === undefined) {
    if (users.size === 0) return warn('phones', title, 'no phone is registered', 'Point the phones at this host (docs/phones.md).')
    return pass('phones', title, `${users.size} registered`)
  }
  const missing = expected.filter((e) => !users.has(e))
  if (missing.length > 0) {
    return warn('phones', title, `${expected.length - missing.length} of ${expected.length} registered; missing: ${missing.join(', ')}`,
      'Check those phones: registrar, user and password as in docs/phones.md; `sofia status profile internal reg` lists what is registered.')
  }
  return pass('phones', title, `all ${expected.length} registered`)
}

export function notChecked(id: string, title: string, why: string): CheckResult {
  return warn(id, title, `not checked: ${why}`, '')
}

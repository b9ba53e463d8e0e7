/**
 * What the simulated switch has loaded and configured (modules, SIP profiles, trunk gateways,
 * max-sessions) and the `sofia` api command that reports it. The texts follow mod_sofia.c's
 * cmd_status print formats, e.g. "%25s\t%s\t  %40s\t%s" per `sofia status` row; the gateway
 * block is pinned by capture 20 (`sofia status gateway agentphone`).
 */
import type { SimSwitch } from './switch.ts'

/** mod_sofia's sofia_state_names: a gateway's registration state. */
export type GatewayState = 'UNREGED' | 'TRYING' | 'REGISTER' | 'REGED' | 'UNREGISTER' | 'FAILED' | 'FAIL_WAIT' | 'EXPIRED' | 'NOREG' | 'DOWN' | 'TIMEOUT'

export interface SimGateway {
  readonly state: GatewayState
  /** The OPTIONS-ping status. Default: UP when REGED or NOREG, DOWN otherwise. */
  readonly status?: 'UP' | 'DOWN'
  /** OPTIONS ping interval in seconds, 0 for none. Default 30 (the kit's `ping`). */
  readonly pingSeconds?: number
  /** Default `external`. The gateway exists only while its profile runs. */
  readonly profile?: string
  /** Host[:port] of the far end. Default `<name>.invalid`. */
  readonly proxy?: string
  /** Registration user; none means FreeSWITCH's default user and no password. */
  readonly username?: string
}

export interface SwitchSetup {
  readonly modules: ReadonlySet<string>
  readonly profiles: readonly string[]
  readonly gateways: ReadonlyMap<string, SimGateway>
  readonly maxSessions: number
  /** Global variables (`global_getvar`): what vars.xml sets, `domain` among them. */
  readonly globals: ReadonlyMap<string, string>
  /** The one directory domain (vars.xml `domain`): `user/<n>@<domain>` finds users only there. */
  readonly domain: string
  /** rtp-timer-name per SIP profile in sofia.conf (`xml_locate`, xml-locate.ts); absent: none set. */
  readonly rtpTimers: ReadonlyMap<string, string>
}

const LINE = '='.repeat(97)
const DEFAULT_USER = 'FreeSWITCH'

const profileUrl = (name: string, i: number): string => `sip:mod_sofia@127.0.0.1:${name === 'external' ? 5080 : 5060 + 20 * i}`
const profileOf = (g: SimGateway): string => g.profile ?? 'external'
const proxyOf = (name: string, g: SimGateway): string => g.proxy ?? `${name}.invalid`
const registerTo = (name: string, g: SimGateway): string => `sip:${g.username ?? DEFAULT_USER}@${proxyOf(name, g)}`
const statusOf = (g: SimGateway): 'UP' | 'DOWN' => g.status ?? (g.state === 'REGED' || g.state === 'NOREG' ? 'UP' : 'DOWN')
// mod_sofia appends the retry time only while a registration is failing or being tried.
const retry = (g: SimGateway): string => (g.state === 'FAILED' || g.state === 'TRYING' ? ' (retry: 30s)' : '')

/** The gateways FreeSWITCH knows: those of running profiles only. */
function liveGateways(setup: SwitchSetup): Array<[string, SimGateway]> {
  return [...setup.gateways].filter(([, g]) => setup.profiles.includes(profileOf(g)))
}

/** `sofia status`: running profiles, each followed by its gateways. */
function statusTable(setup: SwitchSetup): string {
  const row = (a: string, b: string, c: string, d: string): string => `${a.padStart(25)}\t${b}\t  ${c.padStart(40)}\t${d}\n`
  const rows = setup.profiles.map((p, i) => row(p, 'profile', profileUrl(p, i), 'RUNNING (0)')
    + liveGateways(setup).filter(([, g]) => profileOf(g) === p).map(([n, g]) => row(`${p}::${n}`, 'gateway', registerTo(n, g), g.state + retry(g))).join(''))
  const c = setup.profiles.length
  return `${row('Name', '   Type', 'Data', 'State')}${LINE}\n${rows.join('')}${LINE}\n${c} profile${c === 1 ? '' : 's'} 0 aliases\n`
}

/** `sofia status gateway`: one summary line per gateway. */
function gatewayTable(setup: SwitchSetup): string {
  const gws = liveGateways(setup)
  const head = `${'Profile::Gateway-Name'.padStart(25)}\t${'    Data    '.padStart(32)}\tState\t${'Ping Time'.padStart(9)}\tIB Calls(F/T)\tOB Calls(F/T)\n`
  const rows = gws.map(([n, g]) => `${`${profileOf(g)}::${n}`.padStart(25)}\t${registerTo(n, g).padStart(32)}\t${g.state}\t${'0.00'.padStart(6)}\t0/0\t0/0${retry(g)}\n`)
  return `${head}${LINE}\n${rows.join('')}${LINE}\n${gws.length} gateway${gws.length === 1 ? '' : 's'}: Inbound(Failed/Total): 0/0,Outbound(Failed/Total):0/0\n`
}

/** `sofia status gateway <name>`: the Key\tvalue block of capture 20. */
function gatewayBlock(sw: SimSwitch, name: string, g: SimGateway): string {
  const ping = g.pingSeconds ?? 30
  const up = statusOf(g) === 'UP'
  const user = g.username ?? DEFAULT_USER
  const host = proxyOf(name, g).split(':')[0] ?? ''
  // Ping holds the time of the next OPTIONS ping (0 when pings are off); PingState is min/count/max.
  const nextPing = ping > 0 ? Math.floor(sw.now() / 1000) + ping : 0
  const pingState = ping > 0 ? `1/${up ? 1 : 0}/1` : '0/0/0'
  const fields: Array<[string, string | number]> = [
    ['Name    ', name], ['Profile ', profileOf(g)], ['Scheme  ', 'Digest'], ['Realm   ', host], ['Username', user],
    ['Password', g.username === undefined ? 'no' : 'yes'], ['From    ', `<sip:${user}@${host}>`],
    ['Contact ', `<sip:gw+${name}@127.0.0.1:5080;transport=udp;gw=${name}>`], ['Exten   ', user], ['To      ', registerTo(name, g)],
    ['Proxy   ', `sip:${proxyOf(name, g)}`], ['Context ', 'public'], ['Expires ', 3600], ['Freq    ', 3600],
    ['Ping    ', nextPing], ['PingFreq', ping], ['PingTime', '0.00'], ['PingState', pingState], ['State   ', g.state],
    ['Status  ', statusOf(g)], ['Uptime  ', `${up ? Math.floor((sw.now() - sw.startedAt) / 1000) : 0}s`],
    ['CallsIN ', 0], ['CallsOUT', 0], ['FailedCallsIN', 0], ['FailedCallsOUT', 0],
  ]
  return `${LINE}\n${fields.map(([k, v]) => `${k}\t${v}\n`).join('')}${LINE}\n`
}

function registrations(sw: SimSwitch, profile: string): string {
  if (!sw.setup.profiles.includes(profile)) return 'Invalid Profile!\n'
  // Agents' phones register on the internal profile only.
  if (profile === 'internal') return sw.phones.statusText()
  return `\nRegistrations:\n${LINE}\nTotal items returned: 0\n${LINE}\n`
}

export function sofia(sw: SimSwitch, args: string[]): string {
  const [verb, what, name] = args
  if (verb === 'status' && what === 'profile' && args[3] === 'reg') return registrations(sw, name ?? '')
  if (verb === 'status' && what === 'gateway') {
    if (name === undefined) return gatewayTable(sw.setup)
    const g = liveGateways(sw.setup).find(([n]) => n === name)
    return g ? gatewayBlock(sw, name, g[1]) : 'Invalid Gateway!\n'
  }
  if (verb === 'status' && what === undefined) return statusTable(sw.setup)
  if (verb === 'profile' && args[2] === 'flush_inbound_reg') {
    sw.phones.expire((args[3] ?? '').split('@')[0] ?? '')
    return '+OK flushing all registrations matching specified call_id\n'
  }
  return '-ERR Usage: sofia status\n'
}

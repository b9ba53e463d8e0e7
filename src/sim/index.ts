/**
 * The FreeSWITCH simulator: an ESL server that behaves like the real switch for everything
 * Hotline uses (see docs/simulator.md). A test double for tests and `npm run demo`, never for
 * `hotline start`.
 */
import { createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import type { Clock, TimerHandle } from '../shared/index.ts'
import { systemClock } from '../shared/index.ts'
import { SimSwitch } from './switch.ts'
import { EslSession } from './session.ts'
import { PhoneBook } from './phones.ts'
import type { PhoneBehaviour } from './phones.ts'
import type { Dialplan } from './dialplan.ts'
import { defaultDialplan } from './dialplan.ts'
import type { MediaLengths } from './media.ts'
import { defaultMedia } from './media.ts'
import type { CallRequest, ScriptedCall } from './caller.ts'
import { placeCall } from './caller.ts'
import { showChannels } from './show.ts'
import { LAB_MODULES } from './api-commands.ts'
import type { SimGateway, SwitchSetup } from './sofia.ts'

export type { PhoneBehaviour } from './phones.ts'
export type { Dialplan, DialplanStep } from './dialplan.ts'
export { defaultDialplan } from './dialplan.ts'
export type { MediaLength, MediaLengths } from './media.ts'
export { defaultMedia } from './media.ts'
export type { CallRequest, ScriptedCall } from './caller.ts'
export { RawEslClient } from './test-client.ts'
export type { GatewayState, SimGateway } from './sofia.ts'
export { kitSwitch, type SwitchShape } from './kit-switch.ts'
export { parseOriginate, type OriginateRequest } from './originate.ts'
export { separateString } from './separate-string.ts'

export const HEARTBEAT_MS = 20_000
/** The capture lab's domain: the stock vars.xml sets domain=$${local_ip_v4}, 127.0.0.1 in its namespace. */
const LAB_DOMAIN = '127.0.0.1'

export interface SimulatorOptions {
  readonly password: string
  readonly host?: string
  readonly port?: number
  readonly clock?: Clock
  /** Switch time runs this many times faster than the clock (demo). Default 1. */
  readonly speed?: number
  readonly dialplan?: Dialplan
  readonly media?: MediaLengths
  /** SIP users registered at start. */
  readonly phones?: Readonly<Record<string, PhoneBehaviour>>
  /** What `module_exists` answers true for. Default: the capture lab's modules (no mod_say_zh). */
  readonly modules?: readonly string[]
  /** SIP profiles running (`sofia status`). Default: internal only. */
  readonly profiles?: readonly string[]
  /** Trunk gateways by name (`sofia status [gateway <name>]`). Default: none. */
  readonly gateways?: Readonly<Record<string, SimGateway>>
  /** The `N session(s) max` line of `status`. Default 2000. */
  readonly maxSessions?: number
  /** Global variables for `global_getvar` (`domain` is added from `domain`). Default: none. */
  readonly globals?: Readonly<Record<string, string>>
  /**
   * The directory's domain, as vars.xml's `domain` sets it. Default `127.0.0.1`: the capture
   * lab's stock config (domain=$${local_ip_v4} in a loopback-only namespace). kitSwitch: hotline.local.
   */
  readonly domain?: string
  /**
   * Users in the directory that exist without being registered (a registered phone always
   * exists). Default: the stock config's 1000–1019.
   */
  readonly directory?: readonly string[]
  /** rtp-timer-name of each SIP profile, as `xml_locate` shows sofia.conf. Default: soft on every profile, as the stock configuration sets. */
  readonly rtpTimers?: Readonly<Record<string, string>>
}

export interface ChannelSnapshot {
  readonly uuid: string
  readonly name: string
  readonly state: string
  readonly answerState: string
  readonly parked: boolean
  readonly bridgedTo: string | undefined
  readonly variables: Readonly<Record<string, string>>
}

export interface Simulator {
  readonly host: string
  readonly port: number
  close(): Promise<void>
  call(req: CallRequest): ScriptedCall
  registerPhone(user: string, behaviour: PhoneBehaviour, expiresSeconds?: number): void
  unregisterPhone(user: string): void
  channels(): ChannelSnapshot[]
  /** `show channels as json`, as the switch would answer it. */
  showChannelsJson(): string
  heartbeat(): void
  dropConnections(): void
  stall(ms: number): void
  setReplyDelay(ms: number): void
  loseEvents(n: number): void
  /** Close every connection with a text/rude-rejection. */
  rejectConnections(): void
  readonly connectionCount: number
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const clock = opts.clock ?? systemClock
  const sw = new SimSwitch({ clock, speed: opts.speed ?? 1, dialplan: opts.dialplan ?? defaultDialplan, media: opts.media ?? defaultMedia() })
  sw.phones = new PhoneBook(sw, opts.directory)
  sw.setup = setupOf(opts)
  for (const [user, b] of Object.entries(opts.phones ?? {})) sw.phones.register(user, b)
  let replyDelay = 0
  const sessions = new Map<Socket, EslSession>()
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true)
    sessions.set(socket, new EslSession(sw, socket, opts.password, { replyDelayMs: () => replyDelay }))
    socket.on('close', () => sessions.delete(socket))
  })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const heartbeat = (): void => sw.emit('HEARTBEAT', { fields: heartbeatFields(sw) })
  let beat: TimerHandle | undefined
  const arm = (): void => { beat = sw.after(HEARTBEAT_MS, () => { heartbeat(); arm() }) }
  arm()
  return {
    host, port,
    get connectionCount() { return sessions.size },
    async close() {
      beat?.cancel()
      for (const ch of [...sw.channels.values()]) sw.hangup(ch, 'SYSTEM_SHUTDOWN')
      for (const s of sessions.values()) s.drop()
      sw.cancelTimers()
      await new Promise<void>((r) => server.close(() => r()))
    },
    call: (req) => placeCall(sw, req),
    registerPhone: (user, b, expires) => void sw.phones.register(user, b, expires),
    unregisterPhone: (user) => void sw.phones.unregister(user),
    channels: () => [...sw.channels.values()].map((c) => ({
      uuid: c.uuid, name: c.name, state: c.state, answerState: c.answerState, parked: c.parked,
      bridgedTo: c.bridgePeer, variables: Object.fromEntries(c.vars),
    })),
    showChannelsJson: () => showChannels(sw, undefined, true),
    heartbeat,
    dropConnections: () => { for (const s of sessions.values()) s.drop() },
    stall: (ms) => { for (const s of sessions.values()) s.stall(ms) },
    setReplyDelay: (ms) => { replyDelay = Math.max(0, ms) },
    loseEvents: (n) => sw.loseEvents(n),
    rejectConnections: () => { for (const s of sessions.values()) s.reject() },
  }
}

function heartbeatFields(sw: SimSwitch): Record<string, string> {
  const up = sw.now() - sw.startedAt
  const s = Math.floor(up / 1000)
  return {
    'Event-Info': 'System Ready',
    'Up-Time': `0 years, ${Math.floor(s / 86400)} days, ${Math.floor(s / 3600) % 24} hours, ${Math.floor(s / 60) % 60} minutes, ${s % 60} seconds, ${up % 1000} milliseconds, 0 microseconds`,
    'Uptime-msec': String(up), 'Session-Count': String(sw.channels.size), 'Session-Since-Startup': String(sw.sessionsSinceStartup),
  }
}
export { startSampleTraffic, type CallerScript, type CallerStep, type Traffic, type TrafficOptions } from './traffic.ts'

function setupOf(o: SimulatorOptions): SwitchSetup {
  return {
    modules: new Set(o.modules ?? LAB_MODULES),
    profiles: o.profiles ?? ['internal'],
    gateways: new Map(Object.entries(o.gateways ?? {})),
    maxSessions: o.maxSessions ?? 2000,
    globals: new Map(Object.entries({ domain: o.domain ?? LAB_DOMAIN, ...o.globals })),
    domain: o.domain ?? LAB_DOMAIN,
    rtpTimers: new Map(Object.entries(o.rtpTimers ?? Object.fromEntries((o.profiles ?? ['internal']).map((p) => [p, 'soft'])))),
  }
}

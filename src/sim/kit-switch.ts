/**
 * A switch that looks like FreeSWITCH started from our freeswitch-conf/ with the site's values
 * of vars.xml: every module modules.conf.xml loads, the internal and external profiles, the two
 * E1 spans' media gateways answering OPTIONS pings and the carrier registered.
 */
import { KIT_GATEWAYS, KIT_PROFILES, REQUIRED_MODULES } from '../doctor/index.ts'
import type { SimGateway } from './sofia.ts'
import { KIT_PHONE_DOMAIN } from '../phones/index.ts'

export interface SwitchShape {
  readonly modules: readonly string[]
  readonly profiles: readonly string[]
  readonly gateways: Readonly<Record<string, SimGateway>>
  readonly maxSessions: number
  readonly globals: Readonly<Record<string, string>>
  /** vars.xml's `domain`: the phones' SIP domain. */
  readonly domain: string
  /** directory/agents/ is generated from Hotline's agents: nobody exists until a phone registers. */
  readonly directory: readonly string[]
  readonly rtpTimers: Readonly<Record<string, string>>
}

const GATEWAYS: Readonly<Record<string, SimGateway>> = {
  // No registration: LAN devices at fixed addresses (e1_gateway_N_address), watched by OPTIONS pings.
  'e1-span-1': { state: 'NOREG', status: 'UP', pingSeconds: 30, proxy: '192.168.10.21' },
  'e1-span-2': { state: 'NOREG', status: 'UP', pingSeconds: 30, proxy: '192.168.10.22' },
  carrier: { state: 'REGED', status: 'UP', pingSeconds: 30, proxy: 'sip.carrier.example', username: 'hotline' },
}

export const kitSwitch: SwitchShape = {
  modules: REQUIRED_MODULES,
  profiles: KIT_PROFILES,
  // The doctor's list of kit gateways decides which exist, so the two cannot drift apart silently.
  gateways: Object.fromEntries(KIT_GATEWAYS.map((n) => [n, GATEWAYS[n] ?? { state: 'NOREG', pingSeconds: 30 }])),
  // max_sessions of vars.xml.
  maxSessions: 450,
  // Only the vars.xml globals something asks the switch for (doctor's agent-extensions check).
  globals: { agent_extensions: '[2-8][0-9]{3}' },
  domain: KIT_PHONE_DOMAIN,
  directory: [],
  // rtp-timer-name of sip_profiles/internal.xml and external.xml (doctor's rtp-timer check).
  rtpTimers: Object.fromEntries(KIT_PROFILES.map((p) => [p, 'soft'])),
}

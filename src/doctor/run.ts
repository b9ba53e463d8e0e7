/**
 * `hotline doctor`: asks FreeSWITCH over the probe, asks Hotline's own parts through the
 * injected functions, and lets the pure judges (core/judge.ts) decide. It never connects by
 * itself: the lead's CLI connects the ESL client and hands over the outcome.
 */
import type { Result } from '../shared/index.ts'
import { apiWord } from '../esl/index.ts'
import type { CapacityExpectation, CheckResult, ConnectOutcome, DeskPhone, DoctorReport, ReadExtensionPattern, Reply } from './core/index.ts'
import {
  doctorReport, fail, judgeAgentExtensions, judgePhoneDirectory, judgePhoneDomain, judgeCapacity, judgeConnection, judgeGateway, judgeModules, judgePassword, judgePhones,
  judgeProfiles, judgeVersion, notChecked,
} from './core/index.ts'
import { judgeRtpTimer, RTP_TIMER_COMMAND } from './core/index.ts'

export interface SwitchProbe {
  /** How connecting and authenticating went. */
  readonly connection: ConnectOutcome
  /** The ESL password Hotline is configured with (judged, never printed). */
  readonly password: string
  api(command: string): Promise<Result<string, { readonly message: string }>>
}

/** A check owned by another part of Hotline (sounds, flows, store, disks). */
export type LocalCheck = () => Promise<{ readonly status: 'pass' | 'warn' | 'fail'; readonly detail: string; readonly hint?: string }>

export interface DoctorDeps {
  readonly probe: SwitchProbe
  /** Modules to ask module_exists about (default: REQUIRED_MODULES). */
  readonly modules?: readonly string[]
  readonly profiles?: readonly string[]
  /** Gateway names from sip_profiles/external (default: the kit's three). */
  readonly gateways?: readonly string[]
  readonly capacity?: CapacityExpectation
  /** Extensions of the agents who should be registered now; absent: just count. */
  readonly agentExtensions?: readonly string[]
  /** The agents' desk phones and how the dialplan reads agent_extensions; absent: not checked. */
  readonly agentRouting?: { readonly phones: readonly DeskPhone[] | undefined; readonly read: ReadExtensionPattern }
  /** The desk phones and phones.domain, the domain Hotline dials them in; absent: not checked. */
  readonly phoneDirectory?: { readonly phones: readonly DeskPhone[] | undefined; readonly domain: string }
  readonly sounds?: LocalCheck
  readonly flows?: LocalCheck
  readonly database?: LocalCheck
  readonly recordingsDir?: LocalCheck
  readonly faxDir?: LocalCheck
  /** paths.messages: callers' IVR messages; FreeSWITCH writes them, the runner makes the folder. */
  readonly messagesDir?: LocalCheck
  /** ivr.overflowQueue is a queue the ACD has or `hotline start` creates (core/overflow-queue.ts). */
  readonly overflowQueue?: LocalCheck
}

/** The modules freeswitch-conf/autoload_configs/modules.conf.xml loads. */
export const REQUIRED_MODULES: readonly string[] = [
  'mod_event_socket', 'mod_sofia', 'mod_loopback', 'mod_commands', 'mod_dptools', 'mod_dialplan_xml',
  'mod_sndfile', 'mod_native_file', 'mod_tone_stream', 'mod_local_stream', 'mod_spandsp', 'mod_db',
  'mod_hash', 'mod_expr', 'mod_say_en', 'mod_say_zh', 'mod_console', 'mod_logfile', 'mod_xml_cdr',
]
export const KIT_PROFILES: readonly string[] = ['internal', 'external']
export const KIT_GATEWAYS: readonly string[] = ['e1-span-1', 'e1-span-2', 'carrier']

const LOCAL: ReadonlyArray<readonly [keyof DoctorDeps, string, string]> = [
  ['sounds', 'sounds', 'Sounds present and in the right format'],
  ['flows', 'flows', 'IVR flows valid'],
  ['database', 'database', 'Database migrated'],
  ['overflowQueue', 'overflow-queue', 'IVR overflow queue exists'],
  ['recordingsDir', 'recordings-dir', 'Recording directory writable with free space'],
  ['faxDir', 'fax-dir', 'Fax directory writable with free space'],
  ['messagesDir', 'messages-dir', 'IVR messages directory writable with free space'],
]

export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const checks: CheckResult[] = [judgeConnection(deps.probe.connection), judgePassword(deps.probe.password)]
  checks.push(...(deps.probe.connection.kind === 'connected' ? await switchChecks(deps) : skippedSwitchChecks(deps)))
  for (const [key, id, title] of LOCAL) checks.push(await runLocal(deps[key] as LocalCheck | undefined, id, title))
  return doctorReport(checks)
}

async function phoneDirectoryChecks(d: DoctorDeps['phoneDirectory'], api: (c: string) => Promise<Reply>): Promise<CheckResult[]> {
  if (!d) return [notChecked('phone-directory', "Agents' phones in FreeSWITCH's directory", 'this check is not wired in'), notChecked('phone-domain', "Phones' SIP domain", 'this check is not wired in')]
  const replies: Reply[] = []
  for (const p of d.phones ?? []) replies.push(await api(`user_exists id ${apiWord(p.extension)} ${d.domain}`))
  return [judgePhoneDirectory(d.phones, d.domain, replies), judgePhoneDomain(d.domain, await api('global_getvar domain'))]
}

async function switchChecks(deps: DoctorDeps): Promise<CheckResult[]> {
  const api = (c: string): Promise<Reply> => deps.probe.api(c)
  const modules = deps.modules ?? REQUIRED_MODULES
  const out = [judgeVersion(await api('version'))]
  const moduleReplies: Reply[] = []
  // One at a time: `api` blocks the ESL connection anyway (esl-captures fact 4).
  for (const m of modules) moduleReplies.push(await api(`module_exists ${m}`))
  out.push(judgeModules(modules, moduleReplies))
  out.push(judgeProfiles(deps.profiles ?? KIT_PROFILES, await api('sofia status')))
  out.push(judgeRtpTimer(deps.profiles ?? KIT_PROFILES, await api(RTP_TIMER_COMMAND)))
  for (const g of deps.gateways ?? KIT_GATEWAYS) out.push(judgeGateway(g, await api(`sofia status gateway ${g}`)))
  out.push(judgeCapacity(deps.capacity, await api('show channels count'), await api('status')))
  out.push(judgePhones(deps.agentExtensions, await api('sofia status profile internal reg')))
  const routing = deps.agentRouting
  out.push(routing ? judgeAgentExtensions(routing.phones, await api('global_getvar agent_extensions'), routing.read)
    : notChecked('agent-extensions', "Agents' extensions routed by the dialplan", 'this check is not wired in'))
  out.push(...await phoneDirectoryChecks(deps.phoneDirectory, api))
  return out
}

function skippedSwitchChecks(deps: DoctorDeps): CheckResult[] {
  const why = 'no ESL connection'
  return [
    notChecked('freeswitch-version', 'FreeSWITCH version', why),
    notChecked('modules', 'Required modules loaded', why),
    notChecked('sip-profiles', 'SIP profiles running', why),
    notChecked('rtp-timer', 'SIP profiles pace RTP with a timer', why),
    ...(deps.gateways ?? KIT_GATEWAYS).map((g) => notChecked(`gateway-${g}`, `Trunk gateway ${g}`, why)),
    notChecked('capacity', 'Channel capacity', why),
    notChecked('phones', "Agents' phones registered", why),
    notChecked('agent-extensions', "Agents' extensions routed by the dialplan", why),
    notChecked('phone-directory', "Agents' phones in FreeSWITCH's directory", why),
    notChecked('phone-domain', "Phones' SIP domain", why),
  ]
}

async function runLocal(check: LocalCheck | undefined, id: string, title: string): Promise<CheckResult> {
  if (!check) return notChecked(id, title, 'this check is not wired in')
  try {
    const r = await check()
    return { id, title, status: r.status, detail: r.detail, hint: r.hint ?? '' }
  } catch (e) {
    // A doctor that dies on one broken check tells the engineer nothing about the others.
    return fail(id, title, `the check itself failed: ${e instanceof Error ? e.message : String(e)}`, 'Report this as a Hotline bug with the message above.')
  }
}

// The kit's switch-wide limits (vars.xml, switch.conf.xml) checked against Hotline's trunk plan,
// and the SIP profiles' RTP timer: the settings that, wrong, lose callers before Hotline sees them.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KIT_TRUNK_PLAN } from '../app/index.ts'
import { kitSwitch } from '../sim/index.ts'
import { trunkCapacity, type TrunkPlan } from '../trunks/index.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const conf = join(root, 'freeswitch-conf')
const read = (p: string): string => readFileSync(join(root, p), 'utf8')
const noComments = (s: string): string => s.replace(/<!--[\s\S]*?-->/g, '')
const vars = new Map([...noComments(read('freeswitch-conf/vars.xml')).matchAll(/cmd="set" data="([^=]+)=([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']))
const numberVar = (name: string): number => Number(vars.get(name))

/** A trunk call's own leg, the agent leg Hotline rings for it, and a loopback pair. */
const SESSIONS_PER_TRUNK_CALL = 4

interface SwitchLimits {
  readonly maxSessions: number
  readonly sessionsPerSecond: number
}

/** Sessions FreeSWITCH admits in one second: the session that takes the budget to 0 is refused (switch_core_session.c `--runtime.sps <= 0`). */
const admittedPerSecond = (limits: SwitchLimits): number => limits.sessionsPerSecond - 1

/** The sizing rule of vars.xml, as the reasons a limit is too low. */
function undersized(limits: SwitchLimits, plan: TrunkPlan): string[] {
  const channels = plan.trunks.reduce((n, tr) => n + trunkCapacity(tr), 0)
  const burst = SESSIONS_PER_TRUNK_CALL * channels
  const out: string[] = []
  if (limits.maxSessions < burst) out.push(`max_sessions ${limits.maxSessions} < ${burst} (${SESSIONS_PER_TRUNK_CALL} sessions x ${channels} trunk channels)`)
  if (admittedPerSecond(limits) < burst) out.push(`sessions_per_second ${limits.sessionsPerSecond} admits ${admittedPerSecond(limits)} a second < ${burst}: every trunk channel seizing at once after an outage`)
  return out
}

const kitLimits: SwitchLimits = { maxSessions: numberVar('max_sessions'), sessionsPerSecond: numberVar('sessions_per_second') }

t.test("the kit's max_sessions and sessions_per_second take every trunk channel seizing at once, with its agent and loopback legs", (t) => {
  t.same(undersized(kitLimits, KIT_TRUNK_PLAN), [])
  t.end()
})

t.test('the sizing rule refuses the old limits and follows the trunk plan', (t) => {
  t.same(undersized({ maxSessions: 300, sessionsPerSecond: 30 }, KIT_TRUNK_PLAN), [
    'max_sessions 300 < 360 (4 sessions x 90 trunk channels)',
    'sessions_per_second 30 admits 29 a second < 360: every trunk channel seizing at once after an outage',
  ])
  t.match(undersized({ maxSessions: 360, sessionsPerSecond: 360 }, KIT_TRUNK_PLAN), [/sessions_per_second 360 admits 359/], 'one more than the burst')
  t.same(undersized({ maxSessions: 360, sessionsPerSecond: 361 }, KIT_TRUNK_PLAN), [])
  const oneSpan: TrunkPlan = { trunks: [{ kind: 'e1', name: 'e1-span-1', spans: ['1'] }], outboundOrder: ['e1-span-1'] }
  t.same(undersized({ maxSessions: 120, sessionsPerSecond: 121 }, oneSpan), [])
  const threeSpans: TrunkPlan = { ...KIT_TRUNK_PLAN, trunks: [...KIT_TRUNK_PLAN.trunks, { kind: 'e1', name: 'e1-span-3', spans: ['1'] }] }
  t.equal(undersized(kitLimits, threeSpans).length > 0, true, 'a third span outgrows the kit: the limits must grow with the trunks')
  t.end()
})

t.test('switch.conf.xml takes both limits from vars.xml, and the simulated kit switch has the same max_sessions', (t) => {
  const sw = noComments(read('freeswitch-conf/autoload_configs/switch.conf.xml'))
  t.match(sw, '<param name="max-sessions" value="$${max_sessions}"/>')
  t.match(sw, '<param name="sessions-per-second" value="$${sessions_per_second}"/>')
  t.equal(kitSwitch.maxSessions, kitLimits.maxSessions)
  t.end()
})

const profiles = readdirSync(join(conf, 'sip_profiles')).filter((n) => n.endsWith('.xml'))

t.test('every SIP profile of the kit paces RTP with the soft timer, as the simulated kit switch says', (t) => {
  t.same(profiles.sort(), ['external.xml', 'internal.xml'])
  for (const p of profiles) {
    const text = noComments(read(`freeswitch-conf/sip_profiles/${p}`))
    const settings = /<settings>([\s\S]*?)<\/settings>/.exec(text)?.[1] ?? ''
    t.match(settings, '<param name="rtp-timer-name" value="soft"/>', p)
    t.equal(settings.match(/name="rtp-timer-name"/g)?.length, 1, `${p}: set once`)
    const name = /<profile name="([^"]+)">/.exec(text)?.[1] ?? ''
    t.equal(kitSwitch.rtpTimers[name], /<param name="rtp-timer-name" value="([^"]*)"\/>/.exec(settings)?.[1], `kitSwitch.rtpTimers.${name}`)
  }
  t.end()
})

t.test('nothing in the kit turns the RTP timer off again for a gateway or a call', (t) => {
  const files = [...readdirSync(join(conf, 'sip_profiles/external')).map((n) => `freeswitch-conf/sip_profiles/external/${n}`),
    ...readdirSync(join(root, 'dialplan')).map((n) => `dialplan/${n}`), 'freeswitch-conf/vars.xml']
  for (const f of files) t.notMatch(noComments(read(f)), /rtp[-_]timer[-_]name/, f)
  t.end()
})

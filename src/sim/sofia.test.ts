import t, { type Test } from 'tap'
import { FakeClock } from '../shared/index.ts'
import { captureBody } from '../doctor/capture-body.ts'
import { REQUIRED_MODULES } from '../doctor/index.ts'
import { kitSwitch, startSimulator, type SimulatorOptions } from './index.ts'
import { RawEslClient } from './test-client.ts'

async function api(t: Test, opts: Partial<SimulatorOptions>) {
  const sim = await startSimulator({ password: 'pw', clock: new FakeClock(), ...opts })
  const c = await RawEslClient.login(sim.port, 'pw')
  t.teardown(async () => { c.close(); await sim.close() })
  return (cmd: string) => c.api(cmd)
}

const keys = (block: string): string[] => block.split('\n').filter((l) => l.includes('\t')).map((l) => l.split('\t')[0]!.trim())

t.test('by default the switch is the capture lab: no mod_say_zh, internal profile only, no gateways, 2000 sessions', async (t) => {
  const a = await api(t, {})
  t.equal(await a('module_exists mod_say_zh'), 'false')
  t.equal(await a('module_exists mod_callcenter'), 'true')
  const status = await a('sofia status')
  t.match(status, /^ {17}internal\tprofile\t {14}sip:mod_sofia@127\.0\.0\.1:5060\tRUNNING \(0\)$/m)
  t.notMatch(status, /external|gateway/)
  t.match(status, /\n1 profile 0 aliases\n$/)
  t.equal(await a('sofia status gateway carrier'), 'Invalid Gateway!\n')
  t.match(await a('status'), /^2000 session\(s\) max$/m)
})

t.test('the kit switch has every module the kit loads, both profiles, the three gateways and max_sessions 450', async (t) => {
  const a = await api(t, kitSwitch)
  for (const m of REQUIRED_MODULES) t.equal(await a(`module_exists ${m}`), 'true', m)
  t.equal(await a('module_exists mod_callcenter'), 'false', 'a module the kit does not load')
  const status = await a('sofia status')
  t.match(status, /^ {17}external\tprofile\t {14}sip:mod_sofia@127\.0\.0\.1:5080\tRUNNING \(0\)$/m)
  t.match(status, /^ {6}external::e1-span-1\tgateway\t {14}sip:FreeSWITCH@192\.168\.10\.21\tNOREG$/m)
  t.match(status, /^ {8}external::carrier\tgateway\t {11}sip:hotline@sip\.carrier\.example\tREGED$/m)
  t.match(status, /\n2 profiles 0 aliases\n$/)
  t.match(await a('status'), /^450 session\(s\) max$/m)
})

t.test('a gateway status block has the keys, in the order, of the captured one', async (t) => {
  const a = await api(t, kitSwitch)
  const captured = captureBody('20-registration.esl', 1915)
  const carrier = await a('sofia status gateway carrier')
  t.same(keys(carrier), keys(captured))
  t.match(carrier, /^={97}\nName    \tcarrier\nProfile \texternal\n[\s\S]*\nState   \tREGED\nStatus  \tUP\n[\s\S]*\n={97}\n$/)
  t.match(carrier, /^Password\tyes$/m)
  const span = await a('sofia status gateway e1-span-1')
  t.match(span, /^PingFreq\t30$/m)
  t.match(span, /^Proxy   \tsip:192\.168\.10\.21$/m)
  t.notMatch(span, /^Ping    \t0$/m, 'Ping holds the next ping time while pings are on')
})

t.test('gateway states and ping status are configurable; failing registrations show their retry', async (t) => {
  const a = await api(t, { ...kitSwitch, gateways: { carrier: { state: 'FAILED', username: 'hotline' }, 'e1-span-1': { state: 'NOREG', status: 'DOWN' }, quiet: { state: 'NOREG', pingSeconds: 0 } } })
  t.match(await a('sofia status'), /external::carrier\tgateway\t.*\tFAILED \(retry: 30s\)$/m)
  t.match(await a('sofia status gateway carrier'), /^State   \tFAILED\nStatus  \tDOWN\n/m)
  t.match(await a('sofia status gateway e1-span-1'), /^State   \tNOREG\nStatus  \tDOWN\n/m)
  t.match(await a('sofia status gateway quiet'), /^Ping    \t0\nPingFreq\t0\n/m)
  const summary = await a('sofia status gateway')
  t.match(summary, /^ {4}Profile::Gateway-Name\t/)
  t.match(summary, /\n3 gateways: Inbound\(Failed\/Total\): 0\/0,Outbound\(Failed\/Total\):0\/0\n$/)
})

t.test('a profile that is not running hides its gateways and has no registrations', async (t) => {
  const a = await api(t, { ...kitSwitch, profiles: ['internal'] })
  t.equal(await a('sofia status gateway carrier'), 'Invalid Gateway!\n')
  t.notMatch(await a('sofia status'), /external/)
  t.equal(await a('sofia status profile external reg'), 'Invalid Profile!\n')
  t.match(await a('sofia status profile internal reg'), /Total items returned: 0/)
})

t.test('global_getvar answers the bare value of a global, and -ERR no reply for an unset one', async (t) => {
  const kit = await api(t, kitSwitch)
  t.equal(await kit('global_getvar agent_extensions'), '[2-8][0-9]{3}')
  t.equal(await kit('global_getvar no_such_var'), '-ERR no reply\n')
  const lab = await api(t, {})
  t.equal(await lab('global_getvar agent_extensions'), '-ERR no reply\n')
})

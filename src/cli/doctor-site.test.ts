import t, { type Test } from 'tap'
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { kitSwitch, startSimulator, type SimulatorOptions } from '../sim/index.ts'
import { varsSetting } from './phones.ts'
import { runCli } from './run.ts'
import { captured, seedAgents, site } from './site.test-support.ts'

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/ivr', import.meta.url))
const ivr = (flows: string, sounds = 'sounds') => `ivr:\n  scriptsDir: ${FIXTURES}/${flows}\n  soundsDir: ${FIXTURES}/${sounds}\n`

type Check = { id: string; status: string; detail: string; hint: string }

async function doctor(t: Test, dir: string, phones: Record<string, { kind: 'busy' }> = {}, sw: Partial<SimulatorOptions> = {}) {
  const sim = await startSimulator({ ...sw, password: 'site-secret', phones })
  // The simulator arms an expiry timer per registered phone; unregistering cancels it.
  t.teardown(() => { for (const user of Object.keys(phones)) sim.unregisterPhone(user); return sim.close() })
  const c = captured(dir)
  const code = await runCli(['doctor', '--json', '--esl-port', String(sim.port), '--esl-password', 'site-secret'], {}, c.io)
  const checks = (JSON.parse(c.out()) as { checks: Check[] }).checks
  const check = (id: string): Check => checks.find((x) => x.id === id) ?? { id, status: 'absent', detail: '', hint: '' }
  return { code, check }
}

t.test('valid flows with telephony-format prompts pass both the sounds and the flows check', async (t) => {
  const { check } = await doctor(t, site(t, ivr('valid')))
  t.match(check('sounds'), { status: 'pass', detail: /2 zh \+ 2 en prompts.*8000 Hz mono 16-bit/ })
  t.match(check('flows'), { status: 'pass', detail: /1 flow, entries 96200/ })
})

t.test('a 44.1 kHz prompt fails the sounds check with the file and its format, not the flows check', async (t) => {
  const { code, check } = await doctor(t, site(t, ivr('valid', 'sounds-44k')))
  t.match(check('sounds'), { status: 'fail', detail: /1 problem: .*sounds-44k\/en\/welcome\.wav: 44100 Hz/, hint: /sox/ })
  t.match(check('flows'), { status: 'pass' })
  t.equal(code, 1)
})

t.test('a sounds folder without the hold music the kit streams fails the sounds check before going live', async (t) => {
  const sounds = join(t.testdir(), 'sounds')
  cpSync(join(FIXTURES, 'sounds'), sounds, { recursive: true })
  rmSync(join(sounds, 'moh'), { recursive: true })
  const { code, check } = await doctor(t, site(t, `ivr:\n  scriptsDir: ${FIXTURES}/valid\n  soundsDir: ${sounds}\n`))
  t.match(check('sounds'), { status: 'fail', detail: /moh/, hint: /gen-prompts/ })
  t.equal(code, 1)
})

t.test('a prompt the flows use but nobody recorded fails the sounds check', async (t) => {
  const { check } = await doctor(t, site(t, ivr('missing-prompt')))
  t.match(check('sounds'), { status: 'fail', detail: /prompt 'good-bye' is missing/ })
  t.match(check('flows'), { status: 'pass' })
})

t.test('a flow error fails the flows check with file:line:col, and the sounds stay green', async (t) => {
  const { check } = await doctor(t, site(t, ivr('unknown-queue')))
  t.match(check('flows'), { status: 'fail', detail: /1 error: .*hotline\.yaml:15:31: unknown queue 'billing'/, hint: /ivr check/ })
  t.match(check('sounds'), { status: 'pass' })
})

t.test('a folder without flow files fails the flows check and says which folder', async (t) => {
  const { check } = await doctor(t, site(t, ivr('sounds')))
  t.match(check('flows'), { status: 'fail', detail: /no flow files/ })
})

t.test("doctor names the agents whose desk phones are not registered; remote agents have none", async (t) => {
  const dir = site(t, ivr('valid'))
  await seedAgents(dir, [
    { id: 'lin', name: 'Lin', sip: '2001' }, { id: 'mei', name: 'Mei', sip: '2002' }, { id: 'zhou', name: 'Zhou', pstn: '13800138000' },
  ])
  const { check } = await doctor(t, dir, { '2001': { kind: 'busy' } })
  t.match(check('phones'), { status: 'warn', detail: '1 of 2 registered; missing: 2002' })
})

t.test('with no agents in the store doctor only counts the registered phones', async (t) => {
  const { check } = await doctor(t, site(t, ivr('valid')), { '2001': { kind: 'busy' } })
  t.match(check('phones'), { status: 'pass', detail: '1 registered' })
})

t.test("capacity is judged against the kit's trunks: two E1 spans and the carrier, 90 channels", async (t) => {
  const { check } = await doctor(t, site(t, ivr('valid')))
  t.match(check('capacity'), { status: 'pass', detail: /trunks 90 channels/ })
})

t.test("doctor names the agent whose extension the kit dialplan does not route, and only warns", async (t) => {
  const dir = site(t, ivr('valid'))
  await seedAgents(dir, [{ id: 'lin', name: 'Lin', sip: '2001' }, { id: 'wang', name: 'Wang', sip: '1001' }, { id: 'zhou', name: 'Zhou', pstn: '13800138000' }])
  const { check } = await doctor(t, dir, {}, kitSwitch)
  t.match(check('agent-extensions'), { status: 'warn', detail: 'outside agent_extensions [2-8][0-9]{3}, so nobody can dial them: 1001 Wang (wang)' })
})

t.test('agents all inside agent_extensions pass the agent-extensions check', async (t) => {
  const dir = site(t, ivr('valid'))
  await seedAgents(dir, [{ id: 'lin', name: 'Lin', sip: '2001' }, { id: 'mei', name: 'Mei', sip: '8999' }])
  const { check } = await doctor(t, dir, {}, kitSwitch)
  t.match(check('agent-extensions'), { status: 'pass', detail: 'all 2 desk phones inside agent_extensions [2-8][0-9]{3}' })
})

t.test('a switch without agent_extensions gets a note instead of names', async (t) => {
  const dir = site(t, ivr('valid'))
  await seedAgents(dir, [{ id: 'wang', name: 'Wang', sip: '1001' }])
  const { check } = await doctor(t, dir)
  t.match(check('agent-extensions'), { status: 'warn', detail: /no global variable agent_extensions: not the kit's dialplan/ })
  t.notMatch(check('agent-extensions').detail, /1001/)
})

t.test("the simulated kit switch's agent_extensions is the one vars.xml sets", (t) => {
  const vars = readFileSync(new URL('../../freeswitch-conf/vars.xml', import.meta.url), 'utf8')
  t.equal(kitSwitch.globals['agent_extensions'], varsSetting(vars, 'agent_extensions'))
  t.end()
})

t.test("doctor fails naming the agents FreeSWITCH's directory does not have in phones.domain, with the fix", async (t) => {
  const dir = site(t, ivr('valid'))
  await seedAgents(dir, [{ id: 'lin', name: 'Lin', sip: '2001' }, { id: 'mei', name: 'Mei', sip: '2002' }, { id: 'zhou', name: 'Zhou', pstn: '13800138000' }])
  const { code, check } = await doctor(t, dir, { '2001': { kind: 'busy' } }, kitSwitch)
  t.match(check('phone-directory'), { status: 'fail', detail: /domain hotline\.local.*SUBSCRIBER_ABSENT.*: 2002 Mei \(mei\)$/, hint: /phones generate --reload/ })
  t.notMatch(check('phone-directory').detail, /2001|Zhou/, 'the phone that exists and the remote agent are not named')
  t.match(check('phone-domain'), { status: 'pass', detail: /hotline\.local/ })
  t.equal(code, 1)
})

t.test('a directory user that is not registered yet exists: only the registration check minds', async (t) => {
  const dir = site(t, ivr('valid'))
  await seedAgents(dir, [{ id: 'lin', name: 'Lin', sip: '2001' }])
  const { check } = await doctor(t, dir, {}, { ...kitSwitch, directory: ['2001'] })
  t.match(check('phone-directory'), { status: 'pass', detail: 'all 1 desk phones exist in domain hotline.local' })
})

t.test("a switch whose domain is not phones.domain gets a warning naming both, and its phones are not found", async (t) => {
  const dir = site(t, ivr('valid'))
  await seedAgents(dir, [{ id: 'lin', name: 'Lin', sip: '1001' }])
  // The stock config's switch: domain 127.0.0.1, users 1000-1019; Hotline dials hotline.local.
  const { check } = await doctor(t, dir)
  t.match(check('phone-domain'), { status: 'warn', detail: "the switch's domain is 127.0.0.1, but Hotline dials phones at phones.domain hotline.local", hint: /HOTLINE_PHONES_DOMAIN/ })
  t.match(check('phone-directory'), { status: 'fail', detail: /1001 Lin \(lin\)/ })
})

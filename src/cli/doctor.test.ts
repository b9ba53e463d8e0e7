import t, { type Test } from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { kitSwitch, startSimulator, type SimulatorOptions } from '../sim/index.ts'
import { runCli } from './run.ts'
import type { CliIo } from './command.ts'
import { captured, seedAgents, site } from './site.test-support.ts'

const REPO = fileURLToPath(new URL('../../', import.meta.url))

function io(cwd: string) {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, stopRequested: () => new Promise(() => undefined) }
  return { io, out: () => out, err: () => err }
}

type Check = { id: string; status: string; detail: string; hint: string }
const AGENT_PHONES = ['2001', '2002'] as const

/**
 * A site as the engineer would have it after `hotline start` ran once: the repo's flows and
 * prompts, a migrated database with two desk-phone agents, recording and fax folders in a temp
 * dir; and a switch started from freeswitch-conf/ (kitSwitch) with both phones registered.
 */
async function kitSite(t: Test, password: string, shape: Partial<SimulatorOptions> = {}, o: { messages?: string; files?: Record<string, string> } = {}) {
  const messages = o.messages === undefined ? '' : `  messages: ${o.messages}\n`
  const dir = site(t, `ivr:\n  scriptsDir: ${REPO}ivr-scripts\n  soundsDir: ${REPO}sounds\nrecording:\n  root: ./var/rec\npaths:\n  fax: ./var/fax\n${messages}`, o.files)
  await seedAgents(dir, AGENT_PHONES.map((sip) => ({ id: `agent-${sip}`, name: `Agent ${sip}`, sip })))
  const phones = Object.fromEntries(AGENT_PHONES.map((u) => [u, { kind: 'busy' as const }]))
  const sim = await startSimulator({ password, ...kitSwitch, phones, ...shape })
  // The simulator arms an expiry timer per registered phone; unregistering cancels it.
  t.teardown(() => { for (const u of AGENT_PHONES) sim.unregisterPhone(u); return sim.close() })
  const run = async (...extra: string[]) => {
    const c = captured(dir)
    const code = await runCli(['doctor', ...extra, '--esl-port', String(sim.port), '--esl-password', password], {}, c.io)
    return { code, out: c.out() }
  }
  const json = async () => {
    const { code, out } = await run('--json')
    const checks = (JSON.parse(out) as { checks: Check[] }).checks
    return { code, checks, failed: checks.filter((c) => c.status === 'fail') }
  }
  return { run, json, dir }
}

t.test('doctor against a switch started from the kit, with a complete site, passes and exits 0', async (t) => {
  const { run } = await kitSite(t, 'doctor-secret')
  const { code, out } = await run()
  for (const line of ['ESL reachable and authenticated', 'FreeSWITCH version: FreeSWITCH 1\\.11', 'Required modules loaded: 19 modules',
    'SIP profiles running: running: internal, external', 'Trunk gateway e1-span-1: reachable', 'Trunk gateway e1-span-2: reachable',
    'Trunk gateway carrier: registered', 'Channel capacity', "Agents' phones registered: all 2 registered", 'IVR flows valid', 'Database migrated']) {
    t.match(out, new RegExp(`^PASS +${line}`, 'm'), line)
  }
  t.notMatch(out, /^FAIL/m)
  t.match(out, /, 0 failed\n/)
  t.equal(code, 0)
})

t.test('a module the kit needs but the switch did not load fails the modules check, naming the module', async (t) => {
  const { json } = await kitSite(t, 'doctor-secret', { modules: kitSwitch.modules.filter((m) => m !== 'mod_say_zh') })
  const { code, failed } = await json()
  t.match(failed, [{ id: 'modules', detail: 'not loaded: mod_say_zh', hint: /modules\.conf\.xml/ }])
  t.equal(failed.length, 1, 'nothing else fails')
  t.equal(code, 1)
})

t.test('a carrier trunk that is not registered fails its gateway check with the registration state', async (t) => {
  const { run, json } = await kitSite(t, 'doctor-secret', { gateways: { ...kitSwitch.gateways, carrier: { state: 'FAIL_WAIT', proxy: 'sip.carrier.example', username: 'hotline' } } })
  const { code, failed } = await json()
  t.match(failed, [{ id: 'gateway-carrier', detail: 'registration state FAIL_WAIT', hint: /carrier_username/ }])
  t.equal(failed.length, 1, 'nothing else fails')
  t.equal(code, 1)
  t.match((await run()).out, /^FAIL +Trunk gateway carrier: registration state FAIL_WAIT/m)
})

t.test('an E1 media gateway that stops answering OPTIONS pings fails its gateway check, naming its address', async (t) => {
  const { json } = await kitSite(t, 'doctor-secret', { gateways: { ...kitSwitch.gateways, 'e1-span-2': { state: 'NOREG', status: 'DOWN', pingSeconds: 30, proxy: '192.168.10.22' } } })
  const { code, failed } = await json()
  t.match(failed, [{ id: 'gateway-e1-span-2', detail: 'does not answer OPTIONS pings', hint: /sip:192\.168\.10\.22/ }])
  t.equal(failed.length, 1, 'nothing else fails')
  t.equal(code, 1)
})

t.test('a gateway missing from the external profile fails as not configured', async (t) => {
  const gateways = Object.fromEntries(Object.entries(kitSwitch.gateways).filter(([n]) => n !== 'e1-span-1'))
  const { code, failed } = await (await kitSite(t, 'doctor-secret', { gateways })).json()
  t.match(failed, [{ id: 'gateway-e1-span-1', detail: 'not configured', hint: /sip_profiles\/external\/e1-span-1\.xml/ }])
  t.equal(code, 1)
})

t.test('the kit switch on the default password ClueCon fails the password check only', async (t) => {
  const { run, json } = await kitSite(t, 'ClueCon')
  const { code, failed, checks } = await json()
  t.match(failed, [{ id: 'esl-password', detail: /default password ClueCon/, hint: /hotline_esl_password/ }])
  t.equal(failed.length, 1, 'nothing else fails')
  t.match(checks.find((x) => x.id === 'esl-connect'), { status: 'pass' })
  t.equal(code, 1)
  t.match((await run()).out, /^FAIL +ESL password is not the default: /m)
})

t.test('the capture lab switch, which has no kit gateways and no mod_say_zh, fails doctor', async (t) => {
  const sim = await startSimulator({ password: 'doctor-secret' })
  t.teardown(() => sim.close())
  const c = io(t.testdir({}))
  const code = await runCli(['doctor', '--esl-port', String(sim.port), '--esl-password', 'doctor-secret'], {}, c.io)
  t.match(c.out(), /PASS +ESL reachable and authenticated/)
  t.match(c.out(), /FAIL +Required modules loaded: not loaded: mod_say_zh/)
  t.match(c.out(), /FAIL +SIP profiles running: not running: external/)
  t.match(c.out(), /FAIL +Trunk gateway carrier: not configured/)
  t.equal(code, 1, 'exit 1 when anything fails')
})

t.test('doctor fails on the default password ClueCon, and says so', async (t) => {
  const sim = await startSimulator({ password: 'ClueCon' })
  t.teardown(() => sim.close())
  const c = io(t.testdir({}))
  const code = await runCli(['doctor', '--json', '--esl-port', String(sim.port), '--esl-password', 'ClueCon'], {}, c.io)
  const report = JSON.parse(c.out()) as { checks: Array<{ id: string; status: string }> }
  t.match(report.checks.find((x) => x.id === 'esl-password'), { status: 'fail' })
  t.match(report.checks.find((x) => x.id === 'esl-connect'), { status: 'pass' })
  t.equal(code, 1)
})

t.test('doctor with a wrong password says the switch refused it', async (t) => {
  const sim = await startSimulator({ password: 'right-one' })
  t.teardown(() => sim.close())
  const c = io(t.testdir({}))
  const code = await runCli(['doctor', '--esl-port', String(sim.port), '--esl-password', 'wrong-one'], {}, c.io)
  t.match(c.out(), /FAIL +ESL reachable and authenticated: .*refused the password/)
  t.equal(code, 1)
})

t.test('the recording, fax and IVR messages folders are each checked, made when missing, and listed by --json', async (t) => {
  const { json, dir } = await kitSite(t, 'doctor-secret')
  const { checks } = await json()
  for (const [id, folder] of [['recordings-dir', 'var/rec'], ['fax-dir', 'var/fax'], ['messages-dir', 'var/messages']] as const) {
    // pass, or warn on a test machine whose disk has less than 5 GB free; never fail
    t.match(checks.find((c) => c.id === id), { status: /^(pass|warn)$/, detail: new RegExp(`${join(dir, folder)}: (writable|only)`) }, id)
    t.ok(existsSync(join(dir, folder)), `${folder} was made`)
  }
})

t.test('an IVR messages folder that cannot be made fails its check only, naming paths.messages', async (t) => {
  const { run, json, dir } = await kitSite(t, 'doctor-secret', {}, { messages: './msgs/in', files: { msgs: 'a file where the folder should be' } })
  const { code, failed } = await json()
  t.match(failed, [{ id: 'messages-dir', detail: `${join(dir, 'msgs/in')}: `, hint: /paths\.messages/ }])
  t.equal(failed.length, 1, 'nothing else fails')
  t.equal(code, 1)
  t.match((await run()).out, /^FAIL +IVR messages directory writable with free space: /m)
})

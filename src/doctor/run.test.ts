import t from 'tap'
import type { Result } from '../shared/index.ts'
import { err, ok } from '../shared/index.ts'
import { readFileSync } from 'node:fs'
import { captureBody } from './capture-body.ts'
import type { DoctorDeps, SwitchProbe } from './index.ts'
import { doctorExitCode, formatReport, REQUIRED_MODULES, RTP_TIMER_COMMAND, runDoctor } from './index.ts'

const line = '='.repeat(97)
const sofiaStatusBody = `${'Name'.padStart(25)}\t   Type\t  ${'Data'.padStart(40)}\tState\n${line}\n` +
  `${'internal'.padStart(25)}\tprofile\t  ${'sip:mod_sofia@192.168.10.5:5060'.padStart(40)}\tRUNNING (0)\n` +
  `${'external'.padStart(25)}\tprofile\t  ${'sip:mod_sofia@192.168.10.5:5080'.padStart(40)}\tRUNNING (0)\n${line}\n2 profiles 0 aliases\n`
const gatewayReged = captureBody('20-registration.esl', 1915)
const e1Gateway = (status: 'UP' | 'DOWN'): string => gatewayReged
  .replace('Name    \tagentphone', 'Name    \te1-span-1').replace('State   \tREGED', 'State   \tNOREG')
  .replace('Ping    \t0', 'Ping    \t30').replace('Status  \tUP', `Status  \t${status}`)

/** A healthy switch, answering with captured bytes where the captures have them. */
function healthySwitch(over: Record<string, string> = {}): Record<string, string> {
  const replies: Record<string, string> = {
    version: captureBody('02-inbound-api.esl', 82),
    status: captureBody('02-inbound-api.esl', 239),
    'show channels count': captureBody('02-inbound-api.esl', 2943),
    'sofia status': sofiaStatusBody,
    'sofia status gateway e1-span-1': e1Gateway('UP'),
    'sofia status gateway carrier': gatewayReged,
    'sofia status profile internal reg': captureBody('20-registration.esl', 155),
    // The kit's sofia.conf as the real switch answered xml_locate (both profiles on the soft timer).
    [RTP_TIMER_COMMAND]: readFileSync(new URL('../../test/fixtures/freeswitch-replies/xml-locate-sofia-conf.txt', import.meta.url), 'latin1'),
  }
  for (const m of REQUIRED_MODULES) replies[`module_exists ${m}`] = 'true'
  return { ...replies, ...over }
}

const probe = (replies: Record<string, string>, o: Partial<SwitchProbe> = {}): SwitchProbe => ({
  connection: { kind: 'connected', address: '127.0.0.1:8021' },
  password: 'e3b0c44298fc1c149afbf4c8996fb924',
  api: (c: string): Promise<Result<string, { message: string }>> =>
    Promise.resolve(c in replies ? ok(replies[c] as string) : err({ message: `esl-timeout: ${c}` })),
  ...o,
})
const deps = (p: SwitchProbe, o: Partial<DoctorDeps> = {}): DoctorDeps => ({ probe: p, gateways: ['e1-span-1', 'carrier'], ...o })
const byId = async (d: DoctorDeps): Promise<Record<string, { status: string; detail: string; hint: string }>> =>
  Object.fromEntries((await runDoctor(d)).checks.map((c) => [c.id, c]))

t.test('a healthy switch passes every switch check and exits 0', async (t) => {
  const report = await runDoctor(deps(probe(healthySwitch())))
  t.same(report.checks.filter((c) => c.status === 'fail'), [])
  t.equal(doctorExitCode(report), 0)
  t.equal(report.checks.find((c) => c.id === 'freeswitch-version')?.detail, 'FreeSWITCH 1.11.3-dev+git~20260821T141014Z~cc93a683ca~64bit')
})

t.test('the stock ClueCon password fails the run with a fix naming vars.xml', async (t) => {
  const report = await runDoctor(deps(probe(healthySwitch(), { password: 'ClueCon' })))
  const c = report.checks.find((x) => x.id === 'esl-password')
  t.equal(c?.status, 'fail')
  t.match(c?.hint, /hotline_esl_password in freeswitch-conf\/vars\.xml/)
  t.equal(doctorExitCode(report), 1)
})

t.test("the kit's placeholder password fails too", async (t) => {
  t.equal((await byId(deps(probe(healthySwitch(), { password: 'change-me-before-first-start' }))))['esl-password']?.status, 'fail')
})

t.test('a missing module fails and names it', async (t) => {
  const c = (await byId(deps(probe(healthySwitch({ 'module_exists mod_spandsp': 'false' })))))['modules']
  t.equal(c?.status, 'fail')
  t.equal(c?.detail, 'not loaded: mod_spandsp')
})

t.test('an unreachable E1 gateway fails; an unregistered carrier fails with its state', async (t) => {
  const r = await byId(deps(probe(healthySwitch({
    'sofia status gateway e1-span-1': e1Gateway('DOWN'),
    'sofia status gateway carrier': gatewayReged.replace('State   \tREGED', 'State   \tFAIL_WAIT'),
  }))))
  t.equal(r['gateway-e1-span-1']?.detail, 'does not answer OPTIONS pings')
  t.equal(r['gateway-carrier']?.detail, 'registration state FAIL_WAIT')
})

t.test('a gateway that is not configured fails with where to add it', async (t) => {
  const c = (await byId(deps(probe(healthySwitch({ 'sofia status gateway carrier': 'Invalid Gateway!\n' })))))['gateway-carrier']
  t.same([c?.status, c?.detail], ['fail', 'not configured'])
  t.match(c?.hint, /sip_profiles\/external\/carrier\.xml/)
})

t.test('a stopped SIP profile fails', async (t) => {
  const c = (await byId(deps(probe(healthySwitch({ 'sofia status': sofiaStatusBody.replace(/ *external\tprofile.*\n/, '').replace('2 profiles', '1 profile') })))))['sip-profiles']
  t.same([c?.status, c?.detail], ['fail', 'not running: external'])
})

t.test('max-sessions below two legs per trunk channel fails the capacity check', async (t) => {
  const c = (await byId(deps(probe(healthySwitch()), { capacity: { trunkChannels: 1200 } })))['capacity']
  t.same([c?.status, c?.detail], ['fail', '2 channels in use, max-sessions 2000, trunks 1200 channels'])
  t.equal((await byId(deps(probe(healthySwitch()), { capacity: { trunkChannels: 60 } })))['capacity']?.status, 'pass')
})

t.test('an expected agent phone that is not registered is a warning, not a failure', async (t) => {
  const report = await runDoctor(deps(probe(healthySwitch()), { agentExtensions: ['1005', '2001'] }))
  const c = report.checks.find((x) => x.id === 'phones')
  t.same([c?.status, c?.detail], ['warn', '1 of 2 registered; missing: 2001'])
  t.equal(doctorExitCode(report), 0)
})

t.test('a command that times out fails its check with the reason', async (t) => {
  const replies = healthySwitch()
  delete replies['version']
  t.same((await byId(deps(probe(replies))))['freeswitch-version']?.detail, 'no answer from FreeSWITCH: esl-timeout: version')
})

t.test('no ESL connection fails once and marks the switch checks not checked', async (t) => {
  const report = await runDoctor(deps(probe({}, { connection: { kind: 'auth-rejected', address: '127.0.0.1:8021', message: '-ERR invalid' } })))
  t.same(report.checks.filter((c) => c.status === 'fail').map((c) => c.id), ['esl-connect'])
  t.equal(report.checks.find((c) => c.id === 'modules')?.detail, 'not checked: no ESL connection')
  t.match(report.checks[0]?.hint, /esl\.password/)
  t.equal(doctorExitCode(report), 1)
})

t.test('checks of other parts warn when not wired, report their verdict, and a crash fails only that line', async (t) => {
  const r = await byId(deps(probe(healthySwitch()), {
    sounds: () => Promise.resolve({ status: 'fail', detail: 'welcome.wav is 44.1 kHz stereo', hint: 'convert to 8 kHz mono' }),
    database: () => Promise.reject(new Error('SQLITE_CANTOPEN')),
  }))
  t.same(r['sounds'], { id: 'sounds', title: 'Sounds present and in the right format', status: 'fail', detail: 'welcome.wav is 44.1 kHz stereo', hint: 'convert to 8 kHz mono' })
  t.equal(r['flows']?.detail, 'not checked: this check is not wired in')
  t.equal(r['database']?.detail, 'the check itself failed: SQLITE_CANTOPEN')
})

t.test('the text report has one line per check and a summary; --json is the same report', async (t) => {
  const report = await runDoctor(deps(probe(healthySwitch(), { password: 'ClueCon' })))
  const text = formatReport(report, { json: false }).trimEnd().split('\n')
  t.equal(text.length, report.checks.length + 1)
  t.match(text[1], /^FAIL  ESL password is not the default: .* -> Set hotline_esl_password/)
  t.match(text.at(-1), /^\d+ passed, \d+ warnings, 1 failed$/)
  t.same(JSON.parse(formatReport(report, { json: true })), report)
})

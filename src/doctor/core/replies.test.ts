import t from 'tap'
import { captureBody } from '../capture-body.ts'
import { parseChannelCount, parseGatewayStatus, parseMaxSessions, parseModuleExists, parseRegistrations, parseSofiaStatus, parseVersion } from './replies.ts'

// Offsets from 02-inbound-api.cmds.txt and 20-registration.cmds.txt.
const version = captureBody('02-inbound-api.esl', 82)
const status = captureBody('02-inbound-api.esl', 239)
const channelCount = captureBody('02-inbound-api.esl', 2943)
const regOne = captureBody('20-registration.esl', 155)
const regNone = captureBody('20-registration.esl', 3705)
const reg1001 = captureBody('20-registration.esl', 7833)
const gatewayReged = captureBody('20-registration.esl', 1915)

/** `sofia status` is not in the captures: rebuilt with mod_sofia.c's own formats. */
const line = '='.repeat(97)
const pad = (s: string, n: number): string => s.padStart(n)
const sofiaStatus = (rows: Array<[string, string, string, string]>, profiles: number): string =>
  `${pad('Name', 25)}\t${'   Type'}\t  ${pad('Data', 40)}\tState\n${line}\n` +
  rows.map(([n, ty, d, s]) => `${pad(n, 25)}\t${ty}\t  ${pad(d, 40)}\t${s}\n`).join('') +
  `${line}\n${profiles} profile${profiles === 1 ? '' : 's'} 0 aliases\n`

t.test('the captured version reply gives 1.11.3 and its full text', (t) => {
  const v = parseVersion(version)
  t.ok(v.ok)
  if (v.ok) t.same([v.value.major, v.value.minor, v.value.patch, v.value.text], [1, 11, 3, '1.11.3-dev+git~20260821T141014Z~cc93a683ca~64bit'])
  t.end()
})

t.test('a reply that is not a version is an error naming what came back', (t) => {
  const v = parseVersion('-ERR nosuchcommand Command not found!\n')
  t.notOk(v.ok)
  if (!v.ok) t.match(v.error, /not a FreeSWITCH version reply: "-ERR nosuchcommand/)
  t.end()
})

t.test('module_exists answers only true or false', (t) => {
  t.same(parseModuleExists('true'), { ok: true, value: true })
  t.same(parseModuleExists('false'), { ok: true, value: false })
  t.notOk(parseModuleExists('-ERR module_exists Command not found!\n').ok)
  t.notOk(parseModuleExists('').ok)
  t.end()
})

t.test('the captured channel count reads 2', (t) => {
  t.same(parseChannelCount(channelCount), { ok: true, value: 2 })
  t.notOk(parseChannelCount('{"row_count": 0}\n').ok)
  t.end()
})

t.test('the captured status reply gives max-sessions 2000', (t) => {
  t.same(parseMaxSessions(status), { ok: true, value: 2000 })
  t.notOk(parseMaxSessions('UP 0 years\n').ok)
  t.end()
})

t.test('sofia status lists profiles with their state and gateways with theirs', (t) => {
  const body = sofiaStatus([
    ['external::carrier', 'gateway', 'sip:hotline@sip.carrier.example', 'FAIL_WAIT (retry: 12s)'],
    ['internal', 'profile', 'sip:mod_sofia@192.168.10.5:5060', 'RUNNING (0)'],
    ['external', 'profile', 'sip:mod_sofia@192.168.10.5:5080', 'RUNNING (2)'],
  ], 2)
  const rows = parseSofiaStatus(body)
  t.ok(rows.ok)
  if (rows.ok) {
    t.same(rows.value.map((r) => [r.name, r.type, r.state]), [
      ['external::carrier', 'gateway', 'FAIL_WAIT (retry: 12s)'], ['internal', 'profile', 'RUNNING (0)'], ['external', 'profile', 'RUNNING (2)'],
    ])
  }
  t.notOk(parseSofiaStatus('-ERR sofia Command not found!\n').ok)
  t.end()
})

t.test('the captured gateway status reads State REGED and Status UP', (t) => {
  const gw = parseGatewayStatus(gatewayReged)
  t.ok(gw.ok)
  if (gw.ok) t.same([gw.value.get('Name'), gw.value.get('State'), gw.value.get('Status'), gw.value.get('Ping'), gw.value.get('PingState')], ['agentphone', 'REGED', 'UP', '0', '0/0/0'])
  t.end()
})

t.test('an unknown gateway is told apart from a garbled reply', (t) => {
  t.same(parseGatewayStatus('Invalid Gateway!\n'), { ok: false, error: 'unknown-gateway' })
  t.same(parseGatewayStatus('garbage'), { ok: false, error: 'not a `sofia status gateway` reply' })
  t.end()
})

t.test('the captured registration lists give the registered users', (t) => {
  t.same(parseRegistrations(regNone), { ok: true, value: [] })
  const one = parseRegistrations(regOne)
  t.ok(one.ok)
  if (one.ok) {
    t.same(one.value.map((r) => r.user), ['1005@127.0.0.1'])
    t.match(one.value[0]?.status, /^Registered\(UDP\)\(unknown\) EXP\(/)
  }
  const lab = parseRegistrations(reg1001)
  if (lab.ok) t.same(lab.value.map((r) => [r.user, r.agent, r.contact]), [['1001@127.0.0.1', 'hotline-lab-phone', '"" <sip:1001@127.0.0.1:5071>']])
  else t.fail(lab.error)
  t.end()
})

t.test('a registration list cut short is an error, not a shorter list', (t) => {
  const cut = regOne.replace(/Call-ID:[\s\S]*?\n\n/, '')
  t.same(parseRegistrations(cut), { ok: false, error: 'registration list says 1 items but holds 0' })
  t.same(parseRegistrations('Invalid Profile!\n'), { ok: false, error: 'unknown profile' })
  t.end()
})

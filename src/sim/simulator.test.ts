import t from 'tap'
import { FakeClock } from '../shared/index.ts'
import { startSimulator } from './index.ts'
import type { Simulator } from './index.ts'
import { RawEslClient } from './test-client.ts'

const PW = 'ClueCon'
const SUBS = 'event json CHANNEL_CREATE CHANNEL_PARK CHANNEL_UNPARK CHANNEL_ANSWER CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE CHANNEL_BRIDGE CHANNEL_UNBRIDGE CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE CHANNEL_DESTROY CHANNEL_PROGRESS DTMF PLAYBACK_START PLAYBACK_STOP RECORD_START RECORD_STOP BACKGROUND_JOB HEARTBEAT CUSTOM sofia::register sofia::unregister sofia::expire'

type Test = { teardown(fn: () => unknown): void }

async function setup(t: Test): Promise<{ sim: Simulator; clock: FakeClock; c: RawEslClient }> {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: PW, clock, phones: { '1005': { kind: 'auto-answer', afterMs: 0 } } })
  const c = await RawEslClient.login(sim.port, PW)
  t.teardown(async () => { c.close(); await sim.close() })
  return { sim, clock, c }
}

t.test('a wrong password gets -ERR invalid, a disconnect notice and the close (capture 01)', async (t) => {
  const sim = await startSimulator({ password: PW, clock: new FakeClock() })
  t.teardown(() => sim.close())
  const c = await RawEslClient.connect(sim.port)
  const r = await c.command('auth nope')
  t.same(r, { kind: 'command-reply', reply: '-ERR invalid', ok: false, headers: { 'Content-Type': 'command/reply', 'Reply-Text': '-ERR invalid' } })
  await c.until(() => c.closed, 2000, 'close')
  t.equal(c.messages.at(-1)?.kind, 'disconnect-notice')
})

t.test('api answers version, unknown commands and empty show channels as the switch does', async (t) => {
  const { c } = await setup(t)
  t.match(await c.api('version'), /^FreeSWITCH Version 1\.11/)
  t.equal(await c.api('nosuchcommand foo'), '-ERR nosuchcommand Command not found!\n')
  t.equal(await c.api('show channels as json'), '{"row_count": 0}\n')
  t.equal((await c.command('api')).kind === 'command-reply', true)
  t.equal(await c.api('uuid_getvar 00000000-0000-0000-0000-000000000000 x'), '-ERR No such channel!\n')
  t.equal(await c.api('module_exists mod_callcenter'), 'true')
})

t.test('bgapi honours a client Job-UUID and delivers BACKGROUND_JOB only when subscribed', async (t) => {
  const { c } = await setup(t)
  const r1 = await c.command('bgapi status')
  t.match(r1, { kind: 'command-reply', ok: true })
  await c.api('version') // a round trip: any BACKGROUND_JOB would have arrived by now
  t.equal(c.events.length, 0)
  await c.command('event plain BACKGROUND_JOB')
  const r2 = await c.command('bgapi originate user/1003 &park()\nJob-UUID: job-1')
  t.match(r2, { reply: '+OK Job-UUID: job-1', headers: { 'Job-UUID': 'job-1' } })
  const ev = await c.event((e) => e.name === 'BACKGROUND_JOB')
  t.equal(ev.headers['Job-UUID'], 'job-1')
  t.equal(ev.body, '-ERR USER_NOT_REGISTERED\n')
})

t.test('a caller is parked ringing with the dialplan variables; answer by sendmsg runs inside the park', async (t) => {
  const { sim, c } = await setup(t)
  await c.command(SUBS)
  const call = sim.call({ did: '96200', caller: '13800000001' })
  const leg = call.legUuid!
  const park = await c.event((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === leg)
  t.match(park.headers, { 'Answer-State': 'ringing', 'Channel-State': 'CS_EXECUTE', 'Caller-Context': 'hotline', variable_hotline_entry: '96200', variable_hotline_region: 'nanjing' })
  const from = c.events.length
  const r = await c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: answer\nevent-lock: true\nEvent-UUID: ev-1`)
  t.match(r, { reply: '+OK' })
  await c.event((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application'] === 'answer', 2000, from)
  t.same(c.namesFor(leg, from), ['CHANNEL_EXECUTE', 'CHANNEL_ANSWER', 'CHANNEL_EXECUTE_COMPLETE'])
  const done = c.events.slice(from).find((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE')!
  t.equal(done.headers['Application-UUID'], 'ev-1')
  t.equal(await call.answered, `+OK ${call.phoneUuid}\n`)
})

t.test('playback, then play_and_get_digits with 4711# reports the digits on EXECUTE_COMPLETE', async (t) => {
  const { sim, clock, c } = await setup(t)
  await c.command(SUBS)
  const call = sim.call({ did: '96200', caller: '13800000001' })
  const leg = call.legUuid!
  await c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: answer\nevent-lock: true`)
  await c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: /opt/hotline/sounds/zh/welcome.wav\nevent-lock: true`)
  await c.event((e) => e.name === 'PLAYBACK_START')
  clock.advance(3000)
  const played = await c.event((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application'] === 'playback')
  t.equal(played.headers['Application-Response'], 'FILE PLAYED')
  const from = c.events.length
  await c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: play_and_get_digits\nexecute-app-arg: 4 4 2 5000 # /opt/hotline/sounds/zh/enter-account.wav /opt/hotline/sounds/zh/invalid-entry.wav acct ^\\d+$\nevent-lock: true`)
  await c.event((e) => e.name === 'PLAYBACK_START', 2000, from)
  t.match(await c.api(`uuid_recv_dtmf ${leg} 4711#`), /received DTMF 4711#/)
  const pagd = await c.event((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application'] === 'play_and_get_digits', 2000, from)
  t.match(pagd.headers, { 'Application-Response': '_none_', variable_read_result: 'success', variable_acct: '4711' })
  t.equal(await c.api(`uuid_getvar ${leg} acct`), '4711')
  // No re-park after an app (fact 3).
  t.notOk(c.events.slice(from).some((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === leg))
})

t.test('hangup during a prompt: PLAYBACK_STOP done, PLAYBACK ERROR, UNPARK, park complete, then HANGUP_COMPLETE (fact 8)', async (t) => {
  const { sim, c } = await setup(t)
  await c.command(SUBS)
  const call = sim.call({ did: '96200', caller: '13800000001' })
  const leg = call.legUuid!
  await c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: local_stream://moh\nevent-lock: true`)
  await c.event((e) => e.name === 'PLAYBACK_START')
  const from = c.events.length
  call.hangup()
  await c.event((e) => e.name === 'CHANNEL_DESTROY' && e.headers['Unique-ID'] === leg, 2000, from)
  t.same(c.namesFor(leg, from), ['CHANNEL_HANGUP', 'PLAYBACK_STOP', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_UNPARK', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY'])
  const stop = c.events.slice(from).find((e) => e.name === 'PLAYBACK_STOP')!
  t.equal(stop.headers['Playback-Status'], 'done')
})

t.test('an agent leg answers, is bridged, and with park_after_bridge the caller re-parks when the agent hangs up', async (t) => {
  const { sim, c } = await setup(t)
  await c.command(SUBS)
  const call = sim.call({ did: '96200', caller: '13800000001' })
  const leg = call.legUuid!
  await c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: answer`)
  await c.command('bgapi originate {origination_uuid=agent-1,hotline_offer_id=o1}user/1005 &park()')
  const job = await c.event((e) => e.name === 'BACKGROUND_JOB')
  t.equal(job.body, '+OK agent-1\n')
  const agentPark = await c.event((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === 'agent-1')
  t.equal(agentPark.headers['variable_hotline_offer_id'], 'o1')
  t.equal(await c.api(`uuid_setvar ${leg} park_after_bridge true`), '+OK\n')
  t.equal(await c.api(`uuid_bridge ${leg} agent-1`), '+OK\n')
  const br = await c.event((e) => e.name === 'CHANNEL_BRIDGE')
  t.match(br.headers, { 'Unique-ID': leg, 'Bridge-A-Unique-ID': leg, 'Bridge-B-Unique-ID': 'agent-1', 'Other-Leg-Unique-ID': 'agent-1' })
  const from = c.events.length
  t.equal(await c.api('uuid_kill agent-1'), '+OK\n')
  const repark = await c.event((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === leg, 2000, from)
  t.equal(repark.headers['Channel-State'], 'CS_PARK')
  t.equal(await c.api(`uuid_exists ${leg}`), 'true')
})

t.test('a ringing agent: originate_timeout gives NO_ANSWER, uuid_kill gives its cause', async (t) => {
  const { sim, clock, c } = await setup(t)
  sim.registerPhone('1004', { kind: 'ring-forever' })
  await c.command(SUBS)
  await c.command('bgapi originate {origination_uuid=r1,originate_timeout=5}user/1004 &park()\nJob-UUID: j1')
  await c.event((e) => e.name === 'CHANNEL_PROGRESS')
  clock.advance(5000)
  t.equal((await c.event((e) => e.headers['Job-UUID'] === 'j1')).body, '-ERR NO_ANSWER\n')
  await c.command('bgapi originate {origination_uuid=r2}user/1004 &park()\nJob-UUID: j2')
  await c.event((e) => e.name === 'CHANNEL_PROGRESS' && e.headers['Unique-ID'] === 'r2')
  t.equal(await c.api('uuid_kill r2 ORIGINATOR_CANCEL'), '+OK\n')
  t.equal((await c.event((e) => e.headers['Job-UUID'] === 'j2')).body, '-ERR ORIGINATOR_CANCEL\n')
})

t.test('phones register, unregister and expire with sofia events that carry no Unique-ID', async (t) => {
  const { sim, clock, c } = await setup(t)
  await c.command(SUBS)
  sim.registerPhone('1001', { kind: 'auto-answer', afterMs: 1000 }, 5)
  const reg = await c.event((e) => e.subclass === 'sofia::register' && e.headers['from-user'] === '1001')
  t.match(reg.headers, { status: 'Registered(UDP)', expires: '5', 'profile-name': 'internal' })
  t.notOk('Unique-ID' in reg.headers)
  t.match(await c.api('sofia_contact 1001'), /^sofia\/internal\/sip:1001@127\.0\.0\.1:\d+$/)
  clock.advance(65_000)
  const exp = await c.event((e) => e.subclass === 'sofia::expire')
  t.equal(exp.headers['user'], '1001')
  t.equal(await c.api('sofia_contact 1001'), 'error/user_not_registered')
  sim.unregisterPhone('1005')
  t.equal((await c.event((e) => e.subclass === 'sofia::unregister')).headers['expires'], '0')
})

t.test('HEARTBEAT comes every 20 s of switch time', async (t) => {
  const { clock, c } = await setup(t)
  await c.command('event json HEARTBEAT')
  clock.advance(19_999)
  await c.api('version')
  t.equal(c.events.length, 0)
  clock.advance(1)
  await c.event((e) => e.name === 'HEARTBEAT')
  clock.advance(20_000)
  await c.until(() => c.events.length === 2)
  t.pass()
})

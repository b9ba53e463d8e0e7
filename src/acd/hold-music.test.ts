import t from 'tap'
import { callId, channelUuid, queueId, seconds } from '../shared/index.ts'
import { FakeControl, settle, shellWorld, sipAgent } from './shell.test-support.ts'
import { HoldMusic } from './hold-music.ts'

const support = queueId('support')
const log = { info: () => undefined, warn: () => undefined }
const leg = channelUuid('leg-c1')
const MOH = 'local_stream://moh'

t.test('resuming the music on a leg where it already plays starts no second music', (t) => {
  const control = new FakeControl()
  const music = new HoldMusic(control, MOH, log)
  music.resume(leg)
  music.resume(leg)
  t.same(control.ops('hold'), [{ op: 'hold', leg, arg: MOH }])
  t.end()
})

t.test('an announcement is queued, the music is broken (not flushed) so it starts, and the music comes back after it', async (t) => {
  const control = new FakeControl()
  const music = new HoldMusic(control, MOH, log)
  music.resume(leg)
  await music.announce(leg, ['/s/zh/please-hold.wav'], () => true)
  await settle()
  t.same(control.sent.map((s) => [s.op, s.arg]), [['hold', MOH], ['play', ['/s/zh/please-hold.wav']], ['break', false], ['hold', MOH]])
  t.ok(control.musicOn(leg), 'the music plays again')
  t.end()
})

t.test('a caller who left the line meanwhile (a callback) gets no music after the prompt', async (t) => {
  const control = new FakeControl()
  const music = new HoldMusic(control, MOH, log)
  music.resume(leg)
  await music.announce(leg, ['/s/zh/please-hold.wav'], () => false)
  await settle()
  t.equal(control.ops('hold').length, 1)
  t.notOk(control.musicOn(leg))
  t.end()
})

t.test('a restarted Hotline keeps the music the old process left playing, and replaces anything else', async (t) => {
  const control = new FakeControl()
  const music = new HoldMusic(control, MOH, log)
  await music.adopt(leg, { app: 'playback', data: MOH })
  music.resume(leg)
  t.same(control.sent, [], 'playing already: nothing sent')
  const other = channelUuid('leg-c2')
  await music.adopt(other, { app: 'playback', data: '/s/zh/please-hold.wav' })
  t.same(control.sent.map((s) => [s.op, s.arg]), [['break', true], ['hold', MOH]], 'a prompt cut by the restart: flushed, then music')
  t.end()
})

t.test('an endless_playback left by an older Hotline is kept (no break ends it) and no prompt is queued behind it', async (t) => {
  const control = new FakeControl()
  const music = new HoldMusic(control, MOH, log)
  await music.adopt(leg, { app: 'endless_playback', data: MOH })
  await music.announce(leg, ['/s/zh/please-hold.wav'], () => true)
  t.same(control.sent, [])
  t.equal(music.canPrompt(leg), false)
  t.end()
})

t.test('the ACD flushes the caller\'s media queue (uuid_break all) before bridging it to the agent', async (t) => {
  const lin = sipAgent('lin', '1005')
  const w = await shellWorld([lin], { registered: ['1005'] })
  w.acd.presence(lin.id, { state: 'ready' })
  w.acd.enqueue(callId('c1'), { queue: support })
  t.ok(w.control.musicOn('leg-c1'), 'the waiting caller hears music')
  w.control.answered('agent-leg-1')
  await settle()
  await settle()
  const onCaller = w.control.sent.filter((s) => s.leg === 'leg-c1').map((s) => s.op === 'break' ? `break all=${String(s.arg)}` : s.op)
  t.same(onCaller.slice(-3), ['setVars', 'break all=true', 'bridge'])
  t.notOk(w.control.musicOn('leg-c1'))
  t.end()
})

t.test('a position announcement reaches a waiting caller and the music resumes once', async (t) => {
  const w = await shellWorld([], { queue: { announceEvery: seconds(30) } })
  w.acd.enqueue(callId('c1'), { queue: support })
  w.clock.advance(seconds(30))
  for (let i = 0; i < 4; i++) await settle()
  t.same(w.control.sent.filter((s) => s.op !== 'setVars').map((s) => s.op), ['hold', 'play', 'break', 'hold'])
  t.ok(w.control.musicOn('leg-c1'))
  t.end()
})

/** `eval uuid:<leg> …` as a waiting caller's channel answers it (recovery.ts RECOVERY_VARS order). */
const waitingEval = (call: string): string => `${call}|support|standard||1000||||||answered|13800000001\n`
const talkingCustomerEval = (call: string): string => `${call}|support|standard||1000||lin||2000||answered|13800000001\n`
const agentEval = (call: string): string => `${call}|||||${call}/1|lin||2000||answered|1005\n`

t.test('after a restart a waiting caller whose music still plays gets no second music', async (t) => {
  const w = await shellWorld([])
  w.api.set('show channels', JSON.stringify({ row_count: 1, rows: [{ uuid: 'leg-c1', name: 'sofia/trunk/1', state: 'CS_EXECUTE', application: 'playback', application_data: MOH }] }))
  w.api.set('eval uuid:leg-c1', waitingEval('c1'))
  const r = await w.acd.recover()
  t.match(r, { ok: true, value: { waiting: 1 } })
  t.same(w.control.ops('hold'), [])
  t.ok(w.acd.state.calls.has(callId('c1')))
  t.end()
})

t.test('after a restart both legs of a call still bridged get park_after_bridge, so the agent is parked for wrap-up', async (t) => {
  const w = await shellWorld([sipAgent('lin', '1005')])
  w.api.set('show channels', JSON.stringify({ row_count: 2, rows: [{ uuid: 'leg-c1', application: 'uuid_bridge' }, { uuid: 'agent-leg', application: 'uuid_bridge' }] }))
  w.api.set('show bridged_calls', JSON.stringify({ row_count: 1, rows: [{ uuid: 'leg-c1', b_uuid: 'agent-leg' }] }))
  w.api.set('eval uuid:leg-c1', talkingCustomerEval('c1'))
  w.api.set('eval uuid:agent-leg', agentEval('c1'))
  const r = await w.acd.recover()
  t.match(r, { ok: true, value: { talking: 1 } })
  const parked = w.control.ops('setVars').filter((s) => (s.arg as Record<string, string>)['park_after_bridge'] === 'true').map((s) => s.leg).sort()
  t.same(parked, ['agent-leg', 'leg-c1'])
  t.same(w.control.ops('hold'), [], 'no music for a caller talking to an agent')
  t.end()
})

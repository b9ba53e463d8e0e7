import t, { type Test } from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { KnexCallbackStore } from './knex-acd-store.ts'
import { callId, channelUuid, queueId, seconds } from '../shared/index.ts'
import { acdRoutes } from './acd-routes.ts'
import { serveAs } from './routes.test-support.ts'
import { settle, shellWorld, sipAgent } from './shell.test-support.ts'

const support = queueId('support')

async function waiting(t: Test) {
  const w = await shellWorld([], { queue: { callbackKey: '1', announceEvery: seconds(30) } })
  w.acd.enqueue(callId('c1'), { queue: support })
  const base = await serveAs(t, acdRoutes({ acd: w.acd }))
  const post = async (path: string, as: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-as': as }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  return { w, post }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await settle()
}

t.test('the callback key pressed on hold: the music is stopped and flushed, the confirmation heard, then the caller hung up', async (t) => {
  const { w } = await waiting(t)
  w.control.sent.length = 0
  w.acd.onCallEvent({ type: 'caller-pressed', callId: callId('c1'), digit: '1' })
  await flush()
  t.same(w.control.sent.map((s) => s.op), ['break', 'play', 'hangup'])
  t.equal(w.control.ops('break')[0]!.arg, true, 'uuid_break all: no music queued behind the confirmation')
  t.match(w.control.ops('play')[0]!.arg, [/\/sounds\/zh\/callback-confirmed\.wav$/, /\/sounds\/zh\/goodbye\.wav$/])
  t.match(w.acd.state.calls.get(callId('c1')), { callback: { number: '13800000001' } }, 'the place is kept')
  w.clock.advance(seconds(60))
  await flush()
  t.same(w.control.ops('play').length, 1, 'a callback hears no announcement after it left')
})

t.test('a position announcement on hold offers the key, in Mandarin, on absolute paths', async (t) => {
  const { w } = await waiting(t)
  w.clock.advance(seconds(30))
  await flush()
  const files = w.control.ops('play')[0]!.arg as string[]
  t.ok(files.every((f) => f.startsWith('/')), files.join(' '))
  t.match(files.map((f) => f.split('/sounds/')[1]), ['zh/queue-position.wav', 'zh/num-1.wav', 'zh/queue-position-end.wav', 'zh/callback-offer.wav', 'zh/num-1.wav'])
})

t.test('an agent or supervisor asks for a callback for a waiting call: 202 with the number and place', async (t) => {
  const { w, post } = await waiting(t)
  const r = await post('/calls/c1/callback', 'agent:lin', { number: '+862512345678' })
  t.match(r, { status: 202, body: { call: 'c1', number: '+862512345678', position: 1 } })
  await flush()
  t.match(w.control.ops('play')[0]!.arg, [/callback-confirmed\.wav$/, /goodbye\.wav$/])
  t.match(await post('/calls/c1/callback', 'supervisor', {}), { status: 409, body: { error: { code: 'callback-already-requested' } } })
})

t.test('a callback for a call not waiting, a bad number or from no role is refused with a 4xx and a stable code', async (t) => {
  const { post } = await waiting(t)
  t.match(await post('/calls/c9/callback', 'supervisor', {}), { status: 409, body: { error: { code: 'call-not-waiting' } } })
  t.match(await post('/calls/c1/callback', 'supervisor', { number: 'call me' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await post('/calls/c1/callback', 'supervisor', { number: '123', extra: true }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await post('/calls/c1/callback', 'agent:lin'), { status: 202, body: { number: '13800000001' } }, 'no body: the caller\'s own number')
})

t.test('a caller with a withheld number cannot be called back without a number given', async (t) => {
  const w = await shellWorld([])
  w.acd.enqueue(callId('c2'), { queue: support, leg: channelUuid('leg-c2'), callerNumber: '' })
  t.match(w.acd.requestCallback(callId('c2')), { ok: false, error: { code: 'callback-number-unknown' } })
  t.match(w.acd.requestCallback(callId('c2'), '13900000002'), { ok: true, value: { number: '13900000002' } })
})

t.test('the IVR\'s callback node: no hold music, the confirmation heard, the caller hung up, the place kept', async (t) => {
  const w = await shellWorld([])
  w.acd.enqueue(callId('c3'), { queue: support, callback: true })
  await flush()
  t.same(w.control.sent.filter((s) => s.op !== 'setVars').map((s) => s.op), ['break', 'play', 'hangup'])
  t.match(w.control.ops('play')[0]!.arg, [/callback-confirmed\.wav$/, /goodbye\.wav$/])
  t.match(w.acd.state.calls.get(callId('c3')), { callback: { number: '13800000001' } })
})

t.test('the callback later connects a free agent first, then dials the caller\'s number through the trunk and bridges them', async (t) => {
  const lin = sipAgent('lin', '1005')
  const w = await shellWorld([lin], { registered: ['1005'], queue: { callbackKey: '1' } })
  w.acd.enqueue(callId('c1'), { queue: support })
  w.acd.onCallEvent({ type: 'caller-pressed', callId: callId('c1'), digit: '1' })
  await flush()
  w.acd.presence(lin.id, { state: 'ready' })
  const ring = w.control.originates.at(-1)!
  t.equal(ring.dial, 'user/1005@hotline.local', 'the agent first')
  w.control.answered(ring.uuid)
  await flush()
  const dial = w.control.originates.at(-1)!
  t.equal(dial.dial, 'sofia/gateway/carrier/13800000001')
  t.match(dial.vars, { hotline_callback: 'c1', hotline_agent: 'lin' })
  w.control.answered(dial.uuid)
  await flush()
  t.same(w.control.ops('bridge').at(-1), { op: 'bridge', leg: dial.uuid, arg: ring.uuid })
  t.ok(w.notices.some((n) => n.event.kind === 'callback-finished'))
})

t.test('a callback waiting when Hotline restarts is back in its queue at its old place, kept in the store; a finished one is not', async (t) => {
  const db = openStore({ client: 'better-sqlite3', filename: join(mkdtempSync(join(tmpdir(), 'cb-')), 'h.sqlite') })
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const callbacks = new KnexCallbackStore(db)
  const before = await shellWorld([], { queue: { callbackKey: '1' }, callbacks })
  before.acd.enqueue(callId('c1'), { queue: support })
  const placedAt = before.acd.state.calls.get(callId('c1'))!.enqueuedAt
  before.acd.onCallEvent({ type: 'caller-pressed', callId: callId('c1'), digit: '1' })
  await flush()
  await before.acd.flushCallbacks()
  t.match(await callbacks.waiting(), [{ call: 'c1', queue: 'support', number: '13800000001', enqueuedAt: placedAt }], 'kept in the store')

  // Hotline restarts: the caller hung up long ago, no channel remembers the callback.
  const after = await shellWorld([], { queue: { callbackKey: '1' }, callbacks })
  t.match(after.acd.state.calls.get(callId('c1')), { queue: 'support', enqueuedAt: placedAt, callback: { number: '13800000001' } }, 'back in the line, its place kept')
  await callbacks.finish(callId('c1'), 'answered', 1, 5000)
  t.same(await callbacks.waiting(), [], 'a finished callback is not waiting any more')
  const again = await shellWorld([], { queue: { callbackKey: '1' }, callbacks })
  t.notOk(again.acd.state.calls.get(callId('c1')), 'and is not restored')
})

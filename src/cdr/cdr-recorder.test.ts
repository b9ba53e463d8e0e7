import { FakeClock } from '../shared/index.ts'
import t, { type Test } from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callId, channelUuid } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { LOST_WHILE_AWAY, type Call } from '../calls/index.ts'
import { CdrRecorder, KnexCdrStore } from './index.ts'

async function setup(t: Test) {
  const store = openStore({ client: 'better-sqlite3', filename: join(mkdtempSync(join(tmpdir(), 'cdr-')), 'h.sqlite') })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const cdrs = new KnexCdrStore(store)
  const errors: object[] = []
  const recorder = new CdrRecorder(cdrs, { error: (o) => errors.push(o) })
  return { cdrs, recorder, errors }
}

const call = (id: string, over: Partial<Call> = {}): Call => ({
  id: callId(id), customerLeg: channelUuid(`leg-${id}`), entry: '96200', did: '96200', region: 'nanjing',
  caller: { number: '13800000001', name: 'José' }, arrivedAt: 1000, answeredAt: undefined, agentLeg: undefined, ended: undefined, vars: {}, ...over,
})

t.test('a caller who hangs up in the first second leaves one closed CDR', async (t) => {
  const { cdrs, recorder, errors } = await setup(t)
  recorder.onCallEvent({ type: 'call-arrived', call: call('c1'), recovered: false })
  recorder.onCallEvent({ type: 'call-ended', call: call('c1', { ended: { at: 1400, cause: 'ORIGINATOR_CANCEL' } }) })
  await recorder.flush()
  const row = await cdrs.get('c1')
  t.match(row, { callId: 'c1', callerName: 'José', arrivedAt: 1000, endedAt: 1400, hangupCause: 'ORIGINATOR_CANCEL', outcome: 'self-service' })
  t.same(errors, [])
})

t.test('a recovered call and a repeated end never write a second CDR or a second ending', async (t) => {
  const { cdrs, recorder } = await setup(t)
  recorder.onCallEvent({ type: 'call-arrived', call: call('c2'), recovered: false })
  recorder.patch('c2', { queue: 'general', queuedAt: 5000, tier: 'gold' })
  recorder.onCallEvent({ type: 'call-arrived', call: call('c2', { arrivedAt: 9999 }), recovered: true })
  recorder.onCallEvent({ type: 'call-ended', call: call('c2', { ended: { at: 8000, cause: 'NORMAL_CLEARING' } }) })
  recorder.onCallEvent({ type: 'call-ended', call: call('c2', { ended: { at: 9000, cause: 'OTHER' } }) })
  await recorder.flush()
  const rows = await cdrs.list({})
  t.equal(rows.length, 1)
  t.match(rows[0], { arrivedAt: 1000, endedAt: 8000, hangupCause: 'NORMAL_CLEARING', outcome: 'abandoned', queue: 'general', tier: 'gold' })
})

t.test('a caller answered by an agent is recorded as answered, with the IVR path and facts', async (t) => {
  const { cdrs, recorder } = await setup(t)
  recorder.onCallEvent({ type: 'call-arrived', call: call('c3'), recovered: false })
  recorder.patch('c3', { ivrEndedAt: 2000, ivrPath: ['welcome', 'main', 'agent'], facts: { account: '1234567' } })
  recorder.patch('c3', { queue: 'general', queuedAt: 2000, answeredAt: 3000, agentId: 'lin' })
  recorder.onCallEvent({ type: 'call-ended', call: call('c3', { ended: { at: 60000, cause: 'NORMAL_CLEARING' } }) })
  await recorder.flush()
  t.match(await cdrs.get('c3'), { outcome: 'answered', agentId: 'lin', ivrPath: ['welcome', 'main', 'agent'], facts: { account: '1234567' } })
})

t.test('writes the store refuses (disk full) are held and retried in order until they land; health says degraded meanwhile; nothing is lost', async (t) => {
  const { cdrs } = await setup(t)
  const errors: Array<[object, string]> = []
  const infos: string[] = []
  let full = true
  const disk = (fn: () => Promise<unknown>) => (full ? Promise.reject(new Error("insert into `cdr` (`caller_number`) values ('13800000001') - database or disk is full")) : fn())
  const store = { ...cdrs, open: (o: Parameters<typeof cdrs.open>[0]) => disk(() => cdrs.open(o)) as Promise<void>, patch: (id: string, p: object) => disk(() => cdrs.patch(id, p)) as Promise<void>,
    close: (id: string, c: Parameters<typeof cdrs.close>[1]) => disk(() => cdrs.close(id, c)) as Promise<boolean>, get: (id: string) => cdrs.get(id), list: cdrs.list.bind(cdrs), unclosed: () => cdrs.unclosed() }
  const clock = new FakeClock()
  const recorder = new CdrRecorder(store, { error: (o, m) => void errors.push([o, m]), info: (_o, m) => void infos.push(m) }, undefined, { clock, retry: { initialMs: 1000, maxMs: 4000 } })
  recorder.onCallEvent({ type: 'call-arrived', call: call('c4'), recovered: false })
  recorder.patch('c4', { queue: 'general', queuedAt: 2000, answeredAt: 3000, agentId: 'lin' })
  recorder.onCallEvent({ type: 'call-ended', call: call('c4', { ended: { at: 9000, cause: 'NORMAL_CLEARING' } }) })
  await settle()
  t.match(recorder.status(), { state: 'degraded', heldWrites: 1, reason: 'database or disk is full', givenUp: 0 }, 'the open is held; the rest wait behind it; the reason without the SQL and its caller number')
  t.equal(errors.length, 1, 'one alarm, not one line per retry')
  for (let i = 0; i < 5; i++) {
    clock.advance(4000)
    await settle()
  }
  t.equal(errors.length, 1, 'still one alarm after more refused retries')
  full = false
  clock.advance(4000)
  await recorder.flush()
  t.match(await cdrs.get('c4'), { agentId: 'lin', endedAt: 9000, outcome: 'answered' }, 'the held writes landed, in order')
  t.match(recorder.status(), { state: 'ok', heldWrites: 0, givenUp: 0 })
  t.match(infos, [/takes writes again/])
})

t.test('at shutdown a write the store still refuses is given up into the log with its whole record', async (t) => {
  const errors: object[] = []
  const failing = { open: () => Promise.reject(new Error('disk full')), patch: () => Promise.resolve(), close: () => Promise.resolve(true), get: () => Promise.resolve(undefined), list: () => Promise.resolve([]), unclosed: () => Promise.resolve([]) }
  const recorder = new CdrRecorder(failing, { error: (o) => errors.push(o) }, undefined, { clock: new FakeClock() })
  recorder.onCallEvent({ type: 'call-arrived', call: call('c4'), recovered: false })
  await settle()
  await recorder.stop()
  t.equal(errors.length, 2, 'the alarm, then the record')
  t.match(errors[1], { call: { id: 'c4', caller: { number: '13800000001' } } })
  t.match(recorder.status(), { givenUp: 1 })
})

t.test('a call an agent sent to a number ends transferred, with the target kept; one sent to an agent stays answered', async (t) => {
  const { cdrs, recorder } = await setup(t)
  for (const [id, p] of [['t1', { transferredTo: 'number:02588886666', outcome: 'transferred' as const }], ['t2', { transferredTo: 'agent:mei' }]] as const) {
    recorder.onCallEvent({ type: 'call-arrived', call: call(id), recovered: false })
    recorder.patch(id, { queue: 'general', queuedAt: 2000, answeredAt: 3000, agentId: 'lin' })
    recorder.patch(id, p)
    recorder.onCallEvent({ type: 'call-ended', call: call(id, { ended: { at: 9000, cause: 'NORMAL_CLEARING' } }) })
  }
  await recorder.flush()
  t.match(await cdrs.get('t1'), { outcome: 'transferred', transferredTo: 'number:02588886666', agentId: 'lin' })
  t.match(await cdrs.get('t2'), { outcome: 'answered', transferredTo: 'agent:mei' })
})

t.test('a call found gone at a reconcile closes with the switch\'s end time and cause, not the time Hotline noticed', async (t) => {
  const store = openStore({ client: 'better-sqlite3', filename: join(mkdtempSync(join(tmpdir(), 'cdr-')), 'h.sqlite') })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const cdrs = new KnexCdrStore(store)
  const asked: string[] = []
  const recorder = new CdrRecorder(cdrs, { error: () => undefined }, (id) => (asked.push(id), Promise.resolve(id === 'c5' ? { uuid: 'leg-c5', callId: 'c5', endedAt: 4200, hangupCause: 'NORMAL_CLEARING' } : undefined)))
  for (const id of ['c5', 'c6', 'c7']) recorder.onCallEvent({ type: 'call-arrived', call: call(id), recovered: false })
  recorder.onCallEvent({ type: 'call-ended', call: call('c5', { ended: { at: 90_000, cause: LOST_WHILE_AWAY } }) })
  recorder.onCallEvent({ type: 'call-ended', call: call('c6', { ended: { at: 90_000, cause: LOST_WHILE_AWAY } }) })
  recorder.onCallEvent({ type: 'call-ended', call: call('c7', { ended: { at: 3000, cause: 'NORMAL_CLEARING' } }) })
  await recorder.flush()
  t.match(await cdrs.get('c5'), { endedAt: 4200, hangupCause: 'NORMAL_CLEARING' }, 'from the switch')
  t.match(await cdrs.get('c6'), { endedAt: 90_000, hangupCause: LOST_WHILE_AWAY }, 'no file: when Hotline noticed')
  t.same(asked, ['c5', 'c6'], 'a hangup Hotline saw needs no file')
  t.same((await cdrs.unclosed()).length, 0)
})

/** Lets queued promise chains run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
}

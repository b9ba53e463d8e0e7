import t from 'tap'
import { minutes, seconds } from '../../shared/index.ts'
import { decide, faxSchedule, type FaxDecision, type FaxInput, type FaxPolicy, type FaxSchedule } from './index.ts'

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0)
const policy = (over: Partial<FaxPolicy> = {}): FaxPolicy => ({ channels: 1, maxAttempts: 3, backoffMs: [minutes(1), minutes(5), minutes(15)], trunkHoldMs: seconds(30), ...over })

/** Feeds inputs in order at the given instants; returns every decision. */
function run(state: FaxSchedule, steps: ReadonlyArray<[number, FaxInput]>): FaxDecision[] {
  const out: FaxDecision[] = []
  let s = state
  for (const [at, input] of steps) {
    const d = decide(s, input, at)
    out.push(d)
    s = d.state
  }
  return out
}
const dials = (d: FaxDecision | undefined) => (d?.effects ?? []).filter((e) => e.kind === 'dial')
const submit = (job: string): FaxInput => ({ kind: 'job-submitted', job })

t.test('a job submitted to a free channel is dialled at once as attempt 1', (t) => {
  const [d] = run(faxSchedule(policy()), [[T0, submit('j1')]])
  t.same(d?.effects, [{ kind: 'dial', job: 'j1', attempt: 1 }])
  t.end()
})

t.test('with one channel, a second job waits until the first attempt ends, then goes', (t) => {
  const ds = run(faxSchedule(policy()), [
    [T0, submit('j1')],
    [T0 + 1, submit('j2')],
    [T0 + seconds(40), { kind: 'attempt-finished', job: 'j1', outcome: { kind: 'sent', pages: 2 } }],
  ])
  t.same(dials(ds[1]), [], 'j2 waits while j1 holds the only channel')
  t.same(ds[2]?.events.find((e) => e.kind === 'job-sent'), { kind: 'job-sent', job: 'j1', attempts: 1, pages: 2 })
  t.same(dials(ds[2]), [{ kind: 'dial', job: 'j2', attempt: 1 }])
  t.end()
})

t.test('two channels carry two jobs at once and the third waits (FIFO)', (t) => {
  const ds = run(faxSchedule(policy({ channels: 2 })), [[T0, submit('a')], [T0, submit('b')], [T0, submit('c')],
    [T0 + 5, { kind: 'attempt-finished', job: 'b', outcome: { kind: 'sent', pages: 1 } }]])
  t.same(ds.slice(0, 3).map((d) => dials(d).map((e) => e.job)), [['a'], ['b'], []])
  t.same(dials(ds[3]).map((e) => e.job), ['c'])
  t.end()
})

t.test('a no-answer is retried after the first backoff step, then after the second', (t) => {
  const ds = run(faxSchedule(policy()), [
    [T0, submit('j1')],
    [T0 + seconds(60), { kind: 'attempt-finished', job: 'j1', outcome: { kind: 'no-answer', cause: 'NO_ANSWER' } }],
    [T0 + seconds(60) + minutes(1) - 1, { kind: 'tick' }],
    [T0 + seconds(60) + minutes(1), { kind: 'tick' }],
    [T0 + minutes(3), { kind: 'attempt-finished', job: 'j1', outcome: { kind: 'fax-failed', code: 49, text: 'The call dropped prematurely', pages: 0 } }],
  ])
  t.same(ds[1]?.events, [{ kind: 'retry-scheduled', job: 'j1', attempt: 2, at: T0 + seconds(60) + minutes(1) }])
  t.same(ds[1]?.effects, [{ kind: 'wake-at', at: T0 + seconds(60) + minutes(1) }])
  t.same(dials(ds[2]), [], 'not a millisecond early')
  t.same(dials(ds[3]), [{ kind: 'dial', job: 'j1', attempt: 2 }])
  t.same(ds[4]?.events, [{ kind: 'retry-scheduled', job: 'j1', attempt: 3, at: T0 + minutes(3) + minutes(5) }])
  t.end()
})

t.test('the last allowed attempt failing fails the job with that attempt as its reason', (t) => {
  const busy = { kind: 'busy', cause: 'USER_BUSY' } as const
  const ds = run(faxSchedule(policy({ maxAttempts: 2 })), [
    [T0, submit('j1')],
    [T0 + 1, { kind: 'attempt-finished', job: 'j1', outcome: busy }],
    [T0 + minutes(1) + 1, { kind: 'tick' }],
    [T0 + minutes(2), { kind: 'attempt-finished', job: 'j1', outcome: busy }],
  ])
  t.same(ds[3]?.events, [{ kind: 'job-failed', job: 'j1', attempts: 2, last: busy }])
  t.same(ds[3]?.state.waiting, [])
  t.same(ds[3]?.effects, [], 'nothing left to wake for')
  t.end()
})

t.test('a wrong number is failed at once, without retries', (t) => {
  const ds = run(faxSchedule(policy()), [[T0, submit('j1')], [T0 + 1, { kind: 'attempt-finished', job: 'j1', outcome: { kind: 'number-rejected', cause: 'UNALLOCATED_NUMBER' } }]])
  t.equal(ds[1]?.events[0]?.kind, 'job-failed')
  t.end()
})

t.test('a job in backoff lets a later job use the free channel', (t) => {
  const ds = run(faxSchedule(policy()), [
    [T0, submit('j1')], [T0 + 1, submit('j2')],
    [T0 + 2, { kind: 'attempt-finished', job: 'j1', outcome: { kind: 'busy', cause: 'USER_BUSY' } }],
  ])
  t.same(dials(ds[2]), [{ kind: 'dial', job: 'j2', attempt: 1 }])
  t.end()
})

t.test('an inbound fax takes the free channel and a waiting job waits for it to end', (t) => {
  const ds = run(faxSchedule(policy()), [
    [T0, { kind: 'inbound-started', leg: 'in1' }],
    [T0 + 1, submit('j1')],
    [T0 + seconds(30), { kind: 'inbound-finished', leg: 'in1' }],
  ])
  t.same(ds[0]?.events, [{ kind: 'inbound-took-channel', leg: 'in1', overCap: false }])
  t.same(dials(ds[1]), [])
  t.same(dials(ds[2]), [{ kind: 'dial', job: 'j1', attempt: 1 }])
  t.end()
})

t.test('an inbound fax arriving while outbound fills every channel is still taken, and counted', (t) => {
  const ds = run(faxSchedule(policy()), [
    [T0, submit('j1')], [T0, submit('j2')],
    [T0 + 1, { kind: 'inbound-started', leg: 'in1' }],
    [T0 + 2, { kind: 'attempt-finished', job: 'j1', outcome: { kind: 'sent', pages: 1 } }],
    [T0 + 3, { kind: 'inbound-finished', leg: 'in1' }],
  ])
  t.same(ds[2]?.events, [{ kind: 'inbound-took-channel', leg: 'in1', overCap: true }])
  t.same(dials(ds[3]), [], 'the inbound fax still holds the only channel')
  t.same(dials(ds[4]), [{ kind: 'dial', job: 'j2', attempt: 1 }])
  t.end()
})

t.test('when every trunk is full the job is held, not failed, and redialled first after the hold', (t) => {
  const ds = run(faxSchedule(policy()), [
    [T0, submit('j1')], [T0, submit('j2')],
    [T0 + 1, { kind: 'dial-held', job: 'j1' }],
    [T0 + 1 + seconds(30), { kind: 'tick' }],
  ])
  t.same(ds[2]?.events, [{ kind: 'job-held', job: 'j1', until: T0 + 1 + seconds(30) }])
  t.same(dials(ds[2]), [], 'j2 does not jump the queue while trunks are full')
  t.same(ds[2]?.effects, [{ kind: 'wake-at', at: T0 + 1 + seconds(30) }])
  t.same(dials(ds[3]), [{ kind: 'dial', job: 'j1', attempt: 1 }], 'a held dial is not counted as an attempt')
  t.end()
})

t.test('a result for an attempt no longer tracked and a repeated submission change nothing', (t) => {
  const [a, b, c] = run(faxSchedule(policy()), [[T0, submit('j1')], [T0, submit('j1')], [T0, { kind: 'attempt-finished', job: 'zz', outcome: { kind: 'sent', pages: 1 } }]])
  t.same(b?.state, a?.state)
  t.same(c?.events, [])
  t.end()
})

t.test('a job resumed after a restart keeps its attempt count and its backoff', (t) => {
  const ds = run(faxSchedule(policy()), [[T0, { kind: 'job-submitted', job: 'j1', attemptsMade: 1, notBefore: T0 + minutes(1) }], [T0 + minutes(1), { kind: 'tick' }]])
  t.same(ds[0]?.effects, [{ kind: 'wake-at', at: T0 + minutes(1) }])
  t.same(dials(ds[1]), [{ kind: 'dial', job: 'j1', attempt: 2 }])
  t.end()
})

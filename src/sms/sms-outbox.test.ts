import t, { type Test } from 'tap'
import { FakeClock, minutes, seconds } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../store/index.ts'
import type { SendOutcome } from './core/index.ts'
import { KnexSmsOutboxStore, SmsOutbox, type OutgoingSms, type SmsGateway } from './index.ts'

const quiet = { info: () => undefined, warn: () => undefined }

async function table(t: Test, dir = t.testdir({})): Promise<Store> {
  const db = openStore({ client: 'better-sqlite3', filename: 'sms.sqlite' }, dir)
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  return db
}

/** A gateway that answers each send with the next scripted outcome (then sent) and keeps what it got. */
function scriptedGateway(script: SendOutcome[] = []): SmsGateway & { got: OutgoingSms[] } {
  const got: OutgoingSms[] = []
  return { got, send: (sms) => { got.push(sms); return Promise.resolve(script.shift() ?? { kind: 'sent' }) } }
}

const down: SendOutcome = { kind: 'unavailable', reason: 'HTTP 503' }
let ids = 0
const newId = (): string => `sms-${++ids}`

t.test('a queued SMS is sent at once by a running outbox, with its id as the gateway ref', async (t) => {
  const clock = new FakeClock()
  const gateway = scriptedGateway()
  const outbox = new SmsOutbox({ store: new KnexSmsOutboxStore(await table(t)), gateway, clock, log: quiet, newId })
  outbox.start()
  const q = await outbox.queue('+86 138 0013 8000', '您的报修单号：2611001', { callId: 'c-42' })
  t.ok(q.ok)
  await outbox.idle()
  t.same(gateway.got, [{ to: '13800138000', text: '您的报修单号：2611001', ref: q.ok ? q.value.id : '' }])
  t.match(await outbox.list(), [{ status: 'sent', attempts: 1, sentAt: clock.now(), callId: 'c-42', lastError: undefined }])
  await outbox.stop()
  t.equal(clock.pendingTimers, 0, 'a stopped outbox leaves no timer behind')
})

t.test('an unavailable gateway is retried after 1, 5 and 15 minutes on the clock, then the SMS fails with the reason', async (t) => {
  const clock = new FakeClock()
  const start = clock.now()
  const gateway = scriptedGateway([down, down, down, down])
  const outbox = new SmsOutbox({ store: new KnexSmsOutboxStore(await table(t)), gateway, clock, log: quiet, newId, pollMs: seconds(30) })
  outbox.start()
  await outbox.queue('13800138000', 'hello')
  await outbox.idle()
  // The next poll is armed when a pass ends, so time moves one poll at a time.
  const sendsAfter = async (ms: number): Promise<number> => {
    for (let left = ms; left > 0; left -= seconds(30)) {
      clock.advance(Math.min(left, seconds(30)))
      await outbox.idle()
    }
    return gateway.got.length
  }
  t.equal(gateway.got.length, 1)
  t.match(await outbox.list(), [{ status: 'queued', attempts: 1, nextAttemptAt: start + minutes(1), lastError: 'HTTP 503' }])
  t.equal(await sendsAfter(seconds(30)), 1, 'not before the first delay')
  t.equal(await sendsAfter(seconds(30)), 2, 'the poll after one minute tries again')
  t.equal(await sendsAfter(minutes(5)), 3)
  t.equal(await sendsAfter(minutes(14)), 3, 'the third delay is 15 minutes')
  t.equal(await sendsAfter(minutes(1)), 4)
  t.match(await outbox.list({ status: 'failed' }), [{ attempts: 4, lastError: 'gave up after 4 attempts: HTTP 503', sentAt: undefined, nextAttemptAt: undefined }])
  t.equal(await sendsAfter(minutes(60)), 4, 'a failed SMS is not sent again')
  await outbox.stop()
})

t.test('a refused SMS fails at once; a gateway that throws counts as down and the SMS is retried', async (t) => {
  const clock = new FakeClock()
  const gateway: SmsGateway = { send: (sms) => (sms.text === 'refuse me' ? Promise.resolve({ kind: 'rejected', reason: 'HTTP 400: bad content' }) : Promise.reject(new Error('socket hang up'))) }
  const outbox = new SmsOutbox({ store: new KnexSmsOutboxStore(await table(t)), gateway, clock, log: quiet, newId })
  await outbox.queue('13800138000', 'refuse me')
  clock.advance(1)
  await outbox.queue('13900139000', 'throw')
  t.equal(await outbox.sendDue(), 2)
  t.match(await outbox.list(), [
    { text: 'throw', status: 'queued', attempts: 1, lastError: 'sms-gateway-error: socket hang up' },
    { text: 'refuse me', status: 'failed', attempts: 1, lastError: 'HTTP 400: bad content' },
  ])
})

t.test('a bad number or text is refused at queue time with its code and nothing is stored', async (t) => {
  const clock = new FakeClock()
  const outbox = new SmsOutbox({ store: new KnexSmsOutboxStore(await table(t)), gateway: scriptedGateway(), clock, log: quiet, newId })
  t.match(await outbox.queue('075586001234', 'hi'), { ok: false, error: { code: 'sms-number-invalid' } })
  t.match(await outbox.queue('13800138000', ' '), { ok: false, error: { code: 'sms-text-invalid' } })
  t.same(await outbox.list(), [])
})

t.test('two Hotlines on one table send each SMS once, even when both read the same due rows', async (t) => {
  const dir = t.testdir({})
  const clock = new FakeClock()
  const gateway = scriptedGateway()
  const [dbA, dbB] = [await table(t, dir), openStore({ client: 'better-sqlite3', filename: 'sms.sqlite' }, dir)]
  t.teardown(() => closeStore(dbB))
  const a = new SmsOutbox({ store: new KnexSmsOutboxStore(dbA), gateway, clock, log: quiet, newId })
  const b = new SmsOutbox({ store: new KnexSmsOutboxStore(dbB), gateway, clock, log: quiet, newId })
  for (let i = 0; i < 10; i++) await a.queue(`1380013800${i}`, `n${i}`)
  const [byA, byB] = await Promise.all([a.sendDue(), b.sendDue()])
  t.equal(byA + byB, 10)
  t.same(gateway.got.map((g) => g.text).sort(), Array.from({ length: 10 }, (_, i) => `n${i}`))

  // The race itself, forced: both read the row before either claims it.
  await a.queue('13800138999', 'raced')
  const storeA = new KnexSmsOutboxStore(dbA)
  const storeB = new KnexSmsOutboxStore(dbB)
  const [seenA] = await storeA.due(clock.now(), 1)
  const [seenB] = await storeB.due(clock.now(), 1)
  const claims = await Promise.all([storeA.claim(seenA!, clock.now(), clock.now() + 1000), storeB.claim(seenB!, clock.now(), clock.now() + 1000)])
  t.same(claims.filter(Boolean).length, 1, 'exactly one claim wins')
})

t.test('a claim left by a sender that died lapses after the lease, and the SMS is sent by another', async (t) => {
  const clock = new FakeClock()
  const db = await table(t)
  const store = new KnexSmsOutboxStore(db)
  const gateway = scriptedGateway()
  const outbox = new SmsOutbox({ store, gateway, clock, log: quiet, newId, leaseMs: minutes(2) })
  await outbox.queue('13800138000', 'orphan')
  const [seen] = await store.due(clock.now(), 1)
  t.ok(await store.claim(seen!, clock.now(), clock.now() + minutes(2)), 'the dead sender took it')
  t.equal(await outbox.sendDue(), 0, 'while its claim holds, nobody else sends')
  clock.advance(minutes(2))
  t.equal(await outbox.sendDue(), 1)
  t.match(await outbox.list(), [{ status: 'sent', attempts: 2 }])
  t.notOk(await store.settle(seen!.id, 1, { status: 'failed', lastError: 'late' }), 'the dead sender\'s late answer changes nothing')
  t.match(await outbox.list(), [{ status: 'sent' }])
})

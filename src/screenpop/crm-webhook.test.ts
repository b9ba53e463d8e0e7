import t, { type Test } from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { agentId, callId, FakeClock, offerId, queueId } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { buildPop } from './core/index.ts'
import { CrmWebhook, signPayload, verifySignature } from './crm-webhook.ts'
import { KnexDeliveryLog } from './knex-delivery-log.ts'
import type { DeliveryAttempt, DeliveryLog } from './ports.ts'

const SECRET = 'shared-with-the-crm'

/** A CRM on 127.0.0.1 answering each request with the next status in `statuses` (then 200). */
async function crm(t: Test, statuses: number[]) {
  const got: { headers: IncomingMessage['headers']; body: string }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      got.push({ headers: req.headers, body })
      res.statusCode = statuses.shift() ?? 200
      res.end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pop`, got }
}

/** A delivery log that lets a test wait for the n-th attempt to be written. */
function memoryLog(): DeliveryLog & { rows: DeliveryAttempt[]; written(n: number): Promise<void> } {
  const rows: DeliveryAttempt[] = []
  const waiters: { n: number; resolve: () => void }[] = []
  return {
    rows,
    append: (a) => {
      rows.push(a)
      for (const w of waiters.filter((w) => rows.length >= w.n)) w.resolve()
      return Promise.resolve()
    },
    recent: (limit) => Promise.resolve(rows.slice(-limit).reverse()),
    written: (n) => (rows.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
  }
}

const clockStart = Date.UTC(2026, 10, 2, 9, 0, 0)
const pop = buildPop({ offer: offerId('c1/1'), call: callId('c1'), agent: agentId('mei'), queue: queueId('repair'), tier: 'gold' },
  { caller: '13800000051', did: '96200', region: 'gulou', arrivedAt: clockStart, ivrPath: [], facts: { account: '100200300' } }, { kind: 'not-found' }, clockStart)

t.test('a pop is POSTed signed over the timestamp and the raw body; the receiver check accepts it', async (t) => {
  const target = await crm(t, [])
  const clock = new FakeClock(clockStart)
  const log = memoryLog()
  const hook = new CrmWebhook({ targets: { forQueue: (q) => (q === 'repair' ? { url: target.url, secret: SECRET } : undefined) }, log, clock, warn: { warn: () => undefined }, newId: () => 'd-1' })
  hook.send(pop)
  hook.send({ ...pop, queue: queueId('billing') })
  await hook.idle()
  t.equal(target.got.length, 1, 'a queue without a webhook sends nothing')
  const [req] = target.got
  const ts = req!.headers['x-hotline-timestamp'] as string
  t.equal(ts, String(clockStart / 1000))
  t.equal(req!.headers['x-hotline-signature'], signPayload(SECRET, Number(ts), req!.body))
  t.equal(req!.headers['x-hotline-delivery'], 'd-1')
  t.match(JSON.parse(req!.body), { type: 'screenpop.offered', delivery: 'd-1', pop: { call: 'c1', account: '100200300' } })
  t.ok(verifySignature(SECRET, req!.headers['x-hotline-signature'] as string, ts, req!.body, clock.now()))
  t.match(log.rows, [{ delivery: 'd-1', attempt: 1, status: 'delivered', httpStatus: 200, queue: 'repair', call: 'c1' }])
})

t.test('the receiver check refuses a changed body, a wrong secret, a replay outside the window and junk headers', (t) => {
  const body = '{"a":1}'
  const ts = clockStart / 1000
  const sig = signPayload(SECRET, ts, body)
  t.notOk(verifySignature(SECRET, sig, String(ts), '{"a":2}', clockStart))
  t.notOk(verifySignature('other', sig, String(ts), body, clockStart))
  t.notOk(verifySignature(SECRET, sig, String(ts), body, clockStart + 301_000), 'five minutes later it is a replay')
  t.notOk(verifySignature(SECRET, sig, 'yesterday', body, clockStart))
  t.notOk(verifySignature(SECRET, undefined, String(ts), body, clockStart))
  t.notOk(verifySignature(SECRET, 'sha256=00', String(ts), body, clockStart))
  t.end()
})

t.test('a failing CRM is retried with backoff on the clock, and every attempt is logged', async (t) => {
  const target = await crm(t, [500, 503])
  const clock = new FakeClock(clockStart)
  const log = memoryLog()
  const hook = new CrmWebhook({ targets: { forQueue: () => ({ url: target.url, secret: SECRET }) }, log, clock, warn: { warn: () => undefined }, newId: () => 'd-2' })
  const done = hook.deliver(pop, { url: target.url, secret: SECRET })
  await log.written(1)
  clock.advance(999)
  t.equal(target.got.length, 1, 'no retry before the first delay')
  clock.advance(1)
  await log.written(2)
  clock.advance(2000)
  t.equal(await done, 'delivered')
  t.match(log.rows.map((r) => [r.attempt, r.status, r.httpStatus, r.at - clockStart]), [[1, 'retrying', 500, 0], [2, 'retrying', 503, 1000], [3, 'delivered', 200, 3000]])
})

t.test('a CRM that refuses the body (4xx) is not retried; an unreachable one is given up after the last attempt', async (t) => {
  const refusing = await crm(t, [400])
  const clock = new FakeClock(clockStart)
  const log = memoryLog()
  const retry = { maxAttempts: 2, firstDelayMs: 1000, maxDelayMs: 1000, timeoutMs: 1000 }
  const hook = new CrmWebhook({ targets: { forQueue: () => undefined }, log, clock, warn: { warn: () => undefined }, retry })
  t.equal(await hook.deliver(pop, { url: refusing.url, secret: SECRET }), 'failed')
  const closed = createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hooks/pop`
  await new Promise<void>((r) => closed.close(() => r()))
  const gone = hook.deliver(pop, { url: deadUrl, secret: SECRET })
  await log.written(2)
  clock.advance(1000)
  t.equal(await gone, 'gave-up')
  t.match(log.rows.slice(1), [{ attempt: 1, status: 'retrying', httpStatus: undefined, error: /ECONNREFUSED|connect/ }, { attempt: 2, status: 'gave-up' }])
})

t.test('a CRM that does not answer is cut off by the attempt deadline', async (t) => {
  const server = createServer(() => undefined)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const clock = new FakeClock(clockStart)
  const log = memoryLog()
  const hook = new CrmWebhook({ targets: { forQueue: () => undefined }, log, clock, warn: { warn: () => undefined }, retry: { maxAttempts: 1, firstDelayMs: 1, maxDelayMs: 1, timeoutMs: 5000 } })
  const slow = hook.deliver(pop, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, secret: SECRET })
  await new Promise<void>((r) => server.once('request', () => r()))
  clock.advance(5000)
  t.equal(await slow, 'gave-up')
  t.match(log.rows, [{ status: 'gave-up', error: 'timed out after 5000 ms' }])
})

t.test('the delivery log table keeps attempts, newest first', async (t) => {
  const store = openStore({ client: 'better-sqlite3', filename: 'hooks.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const log = new KnexDeliveryLog(store)
  const row: DeliveryAttempt = { delivery: 'd', queue: 'repair', call: 'c1', offer: 'c1/1', url: 'http://crm/x', attempt: 1, status: 'retrying', httpStatus: 500, error: undefined, at: clockStart }
  await log.append(row)
  await log.append({ ...row, attempt: 2, status: 'delivered', httpStatus: 200, at: clockStart + 1000 })
  t.same(await log.recent(10), [{ ...row, attempt: 2, status: 'delivered', httpStatus: 200, at: clockStart + 1000 }, row])
})

import t, { type Test } from 'tap'
import { FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { call, serveRouter } from '../crm/api-harness.test-support.ts'
import { KnexSmsOutboxStore, SmsOutbox, smsRoutes } from './index.ts'

async function api(t: Test) {
  const db = openStore({ client: 'better-sqlite3', filename: 'r.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const clock = new FakeClock()
  let n = 0
  const outbox = new SmsOutbox({ store: new KnexSmsOutboxStore(db), clock, log: { info: () => undefined, warn: () => undefined }, newId: () => `sms-${++n}`,
    gateway: { send: (sms) => Promise.resolve(sms.text === 'bad' ? { kind: 'rejected', reason: 'HTTP 400' } : { kind: 'sent' }) } })
  await outbox.queue('13800138000', 'good', { callId: 'c-1' })
  clock.advance(1)
  await outbox.queue('13900139000', 'bad')
  await outbox.sendDue()
  clock.advance(1)
  await outbox.queue('+85291234567', 'waiting')
  return serveRouter(t, smsRoutes({ outbox }))
}

t.test('a supervisor lists the outbox newest first, or only one status', async (t) => {
  const base = await api(t)
  const all = await call(base, 'GET', '/sms', { role: 'supervisor' })
  t.equal(all.status, 200)
  t.match(all.body.messages, [{ text: 'waiting', status: 'queued', attempts: 0, sentAt: null }, { text: 'bad', status: 'failed', lastError: 'HTTP 400' }, { text: 'good', status: 'sent', callId: 'c-1', lastError: null }])
  t.match((await call(base, 'GET', '/sms?status=failed', { role: 'supervisor' })).body.messages, [{ id: 'sms-2', to: '13900139000' }])
  t.equal((await call(base, 'GET', '/sms?limit=1', { role: 'admin' })).body.messages.length, 1)
})

t.test('an unknown status or a bad limit answers 400 body-invalid', async (t) => {
  const base = await api(t)
  t.match(await call(base, 'GET', '/sms?status=lost', { role: 'supervisor' }), { status: 400, body: { error: { code: 'body-invalid', message: /query.status/ } } })
  t.match(await call(base, 'GET', '/sms?limit=0', { role: 'supervisor' }), { status: 400, body: { error: { code: 'body-invalid', message: /query.limit/ } } })
})

t.test('no token answers 401 and an agent answers 403', async (t) => {
  const base = await api(t)
  t.match(await call(base, 'GET', '/sms'), { status: 401, body: { error: { code: 'token-missing' } } })
  t.match(await call(base, 'GET', '/sms', { role: 'agent' }), { status: 403, body: { error: { code: 'forbidden' } } })
})

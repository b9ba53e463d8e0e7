import t, { type Test } from 'tap'
import { FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { call, serveRouter } from './api-harness.test-support.ts'
import { Crm, crmRoutes, seedSampleCustomers } from './index.ts'

async function api(t: Test) {
  const db = openStore({ client: 'better-sqlite3', filename: 'r.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const clock = new FakeClock()
  await seedSampleCustomers(db, clock.now())
  const crm = new Crm({ db, clock })
  return serveRouter(t, crmRoutes({ crm, openWorkOrders: (account) => Promise.resolve(account === '1234567' ? [{ reference: 'R2611020001' }] : []) }))
}

t.test('an agent finds a customer by phone in any spelling, by account, or by name fragment', async (t) => {
  const base = await api(t)
  const byPhone = await call(base, 'GET', '/customers?phone=%2B86%20138-0000-0001', { role: 'agent' })
  t.equal(byPhone.status, 200)
  t.match(byPhone.body.customers, [{ account: '1234567', tier: 'gold' }])
  t.match((await call(base, 'GET', '/customers?account=7654321', { role: 'agent' })).body.customers, [{ tier: 'diamond' }])
  t.match((await call(base, 'GET', '/customers?q=Zhang', { role: 'agent' })).body.customers, [{ account: '2345678' }])
})

t.test('a search with no criterion or a bad phone answers 400 with a code', async (t) => {
  const base = await api(t)
  t.match(await call(base, 'GET', '/customers', { role: 'agent' }), { status: 400, body: { error: { code: 'body-invalid', message: /phone, account or q/ } } })
  t.match(await call(base, 'GET', '/customers?phone=abc', { role: 'agent' }), { status: 400, body: { error: { code: 'customer-bad-phone' } } })
})

t.test('no token answers 401 and an agent on a supervisor route answers 403', async (t) => {
  const base = await api(t)
  t.match(await call(base, 'GET', '/customers?account=1234567'), { status: 401, body: { error: { code: 'token-missing' } } })
  t.match(await call(base, 'POST', '/customers', { role: 'agent', body: {} }), { status: 403, body: { error: { code: 'forbidden' } } })
  t.match(await call(base, 'POST', '/outages', { role: 'agent', body: {} }), { status: 403 })
  t.match(await call(base, 'POST', '/customers/import', { role: 'supervisor', body: 'account\n', contentType: 'text/csv' }), { status: 403 })
})

t.test('one customer comes with contact history and open work orders; an unknown one is 404', async (t) => {
  const base = await api(t)
  const added = await call(base, 'POST', '/customers/1234567/contacts', { role: 'agent', body: { channel: 'web-ticket', direction: 'inbound', summary: 'slow broadband' } })
  t.match(added, { status: 201, body: { agent: 'agent1', channel: 'web-ticket' } })
  const one = await call(base, 'GET', '/customers/1234567', { role: 'agent' })
  t.match(one.body, { customer: { name: 'Li Wei' }, contacts: [{ summary: 'slow broadband' }], openWorkOrders: [{ reference: 'R2611020001' }] })
  t.match(await call(base, 'GET', '/customers/9999999', { role: 'agent' }), { status: 404, body: { error: { code: 'customer-not-found' } } })
  t.match(await call(base, 'GET', '/customers/12x', { role: 'agent' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await call(base, 'POST', '/customers/1234567/contacts', { role: 'agent', body: { channel: 'pigeon', direction: 'inbound', summary: 'x' } }), { status: 400, body: { error: { code: 'body-invalid', message: /body.channel/ } } })
})

t.test('a supervisor creates and updates customers; bad fields and taken accounts have codes', async (t) => {
  const base = await api(t)
  const body = { account: '5550001', name: 'Sun', phones: ['139-0000-1111'], area: 'gulou', tier: 'silver', balanceFen: 500 }
  t.match(await call(base, 'POST', '/customers', { role: 'supervisor', body }), { status: 201, body: { phones: ['13900001111'], status: 'active' } })
  t.match(await call(base, 'POST', '/customers', { role: 'supervisor', body }), { status: 409, body: { error: { code: 'customer-account-taken' } } })
  t.match(await call(base, 'POST', '/customers', { role: 'supervisor', body: { ...body, account: '5550002', balanceFen: 1.5 } }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await call(base, 'POST', '/customers', { role: 'supervisor', body: { ...body, account: '55' } }), { status: 400, body: { error: { code: 'customer-bad-account' } } })
  t.match(await call(base, 'PATCH', '/customers/5550001', { role: 'supervisor', body: { tier: 'gold' } }), { status: 200, body: { tier: 'gold', name: 'Sun' } })
  t.match(await call(base, 'PATCH', '/customers/5550001', { role: 'supervisor', body: { account: '1' } }), { status: 400, body: { error: { code: 'body-invalid' } } })
})

t.test('an admin imports a BOSS export as text/csv and gets the report of rejected rows', async (t) => {
  const base = await api(t)
  const csv = '\uFEFF账号,姓名,电话,区域,等级,余额\r\n8880001,周杰,13812345678,gulou,金卡,12.30\r\n8880002,吴,bad,gulou,金卡,1\r\n'
  const r = await call(base, 'POST', '/customers/import', { role: 'admin', body: csv, contentType: 'text/csv' })
  t.match(r, { status: 200, body: { imported: 1, updated: 0, rejected: [{ line: 3, code: 'bad-phone' }] } })
  t.match((await call(base, 'GET', '/customers?phone=13812345678', { role: 'agent' })).body.customers, [{ name: '周杰', tier: 'gold', balanceFen: 1230 }])
  t.match(await call(base, 'POST', '/customers/import', { role: 'admin', body: 'foo,bar\n1,2\n', contentType: 'text/csv' }), { status: 400, body: { error: { code: 'customer-import-bad-header' } } })
  t.match(await call(base, 'POST', '/customers/import', { role: 'admin', body: { csv: 'nope' } }), { status: 400, body: { error: { code: 'body-invalid', message: /text\/csv/ } } })
})

t.test('a supervisor declares, lists and ends outages', async (t) => {
  const base = await api(t)
  const made = await call(base, 'POST', '/outages', { role: 'supervisor', body: { area: 'gulou', promptId: 'outage-gulou' } })
  t.equal(made.status, 201)
  t.same((await call(base, 'GET', '/outages?active=true', { role: 'supervisor' })).body.outages.map((o: { area: string }) => o.area).sort(), ['gulou', 'jiangning'])
  t.match(await call(base, 'POST', `/outages/${String(made.body.id)}/end`, { role: 'supervisor' }), { status: 200, body: { area: 'gulou' } })
  t.match(await call(base, 'POST', `/outages/${String(made.body.id)}/end`, { role: 'supervisor' }), { status: 409, body: { error: { code: 'outage-already-ended' } } })
  t.match(await call(base, 'POST', '/outages', { role: 'supervisor', body: { area: 'Gu Lou' } }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await call(base, 'GET', '/outages', { role: 'agent' }), { status: 403 })
})

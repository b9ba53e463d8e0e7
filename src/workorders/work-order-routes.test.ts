import t, { type Test } from 'tap'
import { FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { Crm, seedSampleCustomers } from '../crm/index.ts'
import { call, serveRouter } from '../crm/api-harness.test-support.ts'
import { WorkOrderDesk, workOrderRoutes } from './index.ts'

const H = 3_600_000
const T0 = Date.UTC(2026, 10, 22, 1, 0) // 09:00 in Nanjing

async function api(t: Test) {
  const db = openStore({ client: 'better-sqlite3', filename: 'r.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const clock = new FakeClock(T0)
  await seedSampleCustomers(db, clock.now())
  const desk = new WorkOrderDesk({ db, clock, crm: new Crm({ db, clock }) })
  return { base: await serveRouter(t, workOrderRoutes({ desk })), clock }
}

t.test('an agent files a repair, reads it by id and by reference, and moves it along', async (t) => {
  const { base } = await api(t)
  const made = await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'repair', account: '1234567', summary: 'no signal' } })
  t.match(made, { status: 201, body: { reference: 'R2611220001', status: 'new', createdBy: 'agent1', dueAt: T0 + 24 * H } })
  const id = String(made.body.id)
  t.match(await call(base, 'GET', '/work-orders/R2611220001', { role: 'agent' }), { status: 200, body: { id: made.body.id, overdue: false, followUps: [] } })
  t.match(await call(base, 'POST', `/work-orders/${id}/assign`, { role: 'supervisor', body: { assignee: 'team-3' } }), { status: 200, body: { status: 'assigned' } })
  t.match(await call(base, 'POST', `/work-orders/${id}/transition`, { role: 'agent', body: { to: 'in-progress' } }), { status: 200 })
  t.match(await call(base, 'POST', `/work-orders/${id}/transition`, { role: 'agent', body: { to: 'done' } }), { status: 200, body: { status: 'done' } })
  t.match((await call(base, 'GET', `/work-orders/${id}`, { role: 'agent' })).body.followUps, [{ dueAt: T0 + 24 * H }])
})

t.test('a work order is moved by the reference the caller reads out, as by its id', async (t) => {
  const { base } = await api(t)
  const made = await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'repair', account: '1234567', summary: 'no signal' } })
  await call(base, 'POST', `/work-orders/${String(made.body.id)}/assign`, { role: 'supervisor', body: { assignee: 'team-3' } })
  t.match(await call(base, 'POST', `/work-orders/${String(made.body.reference)}/transition`, { role: 'agent', body: { to: 'in-progress' } }), { status: 200, body: { id: made.body.id, status: 'in-progress' } })
  t.match(await call(base, 'POST', '/work-orders/R0000000000/transition', { role: 'agent', body: { to: 'done' } }), { status: 404, body: { error: { code: 'work-order-not-found' } } })
})

t.test('a caller nobody identified gets a work order in the area the agent gives', async (t) => {
  const { base } = await api(t)
  t.match(await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'repair', caller: '13700000000', summary: 'no signal' } }), { status: 400, body: { error: { code: 'work-order-area-required' } } })
  t.match(await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'repair', caller: '13700000000', area: 'gulou', summary: 'no signal' } }), { status: 201, body: { area: 'gulou', caller: '13700000000' } })
})

t.test('a forbidden move answers 409 work-order-bad-transition; unknown ids 404; bad bodies 400', async (t) => {
  const { base } = await api(t)
  const made = await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'complaint', account: '1234567' } })
  const id = String(made.body.id)
  t.match(await call(base, 'POST', `/work-orders/${id}/transition`, { role: 'agent', body: { to: 'done' } }), { status: 409, body: { error: { code: 'work-order-bad-transition' } } })
  t.match(await call(base, 'POST', `/work-orders/${id}/transition`, { role: 'agent', body: { to: 'assigned' } }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await call(base, 'POST', '/work-orders/999/transition', { role: 'agent', body: { to: 'done' } }), { status: 404, body: { error: { code: 'work-order-not-found' } } })
  t.match(await call(base, 'GET', '/work-orders/R0000000000', { role: 'agent' }), { status: 404, body: { error: { code: 'work-order-not-found' } } })
  t.match(await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'teleport', account: '1234567' } }), { status: 400, body: { error: { code: 'body-invalid', message: /body.type/ } } })
  t.match(await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'repair', account: '9999999' } }), { status: 422, body: { error: { code: 'work-order-customer-unknown' } } })
  t.match(await call(base, 'GET', '/work-orders?status=lost', { role: 'agent' }), { status: 400, body: { error: { code: 'body-invalid' } } })
})

t.test('no token is 401 and an agent may not assign (403)', async (t) => {
  const { base } = await api(t)
  t.match(await call(base, 'GET', '/work-orders'), { status: 401, body: { error: { code: 'token-missing' } } })
  t.match(await call(base, 'GET', '/slots?area=gulou'), { status: 401 })
  t.match(await call(base, 'POST', '/work-orders/1/assign', { role: 'agent', body: { assignee: 'x' } }), { status: 403, body: { error: { code: 'forbidden' } } })
})

t.test('the list filters by status, type, area, customer and overdue', async (t) => {
  const { base, clock } = await api(t)
  await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'repair', account: '1234567' } })
  await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'enquiry', account: '7654321' } })
  clock.advance(25 * H)
  const list = async (q: string) => ((await call(base, 'GET', `/work-orders${q}`, { role: 'agent' })).body.workOrders as { type: string }[]).map((o) => o.type)
  t.same(await list('?overdue=true'), ['repair'])
  t.same(await list('?area=xuanwu'), ['enquiry'])
  t.same(await list('?customer=1234567&status=new'), ['repair'])
  t.same(await list('?type=enquiry'), ['enquiry'])
  t.same(await list(''), ['enquiry', 'repair'])
})

t.test('slots: the next free ones, a booking through an installation, and slot-full when taken', async (t) => {
  const { base } = await api(t)
  const slots = await call(base, 'GET', '/slots?area=gulou&n=2', { role: 'agent' })
  t.match(slots, { status: 200, body: { slots: [{ day: '2026-11-22', slot: '13-17', free: 4 }, { slot: '18-21' }] } })
  const slot = { day: '2026-11-22', slot: '13-17' }
  for (let i = 0; i < 4; i++) t.equal((await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'installation', account: '1234567', slot } })).status, 201)
  t.match(await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'installation', account: '1234567', slot } }), { status: 409, body: { error: { code: 'slot-full' } } })
  t.match((await call(base, 'GET', '/slots?area=gulou&n=1', { role: 'agent' })).body.slots, [{ slot: '18-21' }])
  t.match(await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'installation', account: '1234567', slot: { day: '22-11-2026', slot: '13-17' } } }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'installation', account: '1234567' } }), { status: 400, body: { error: { code: 'work-order-slot-required' } } })
  t.match(await call(base, 'GET', '/slots', { role: 'agent' }), { status: 400, body: { error: { code: 'body-invalid' } } })
})

t.test('follow-ups due are listed and their outcome recorded once', async (t) => {
  const { base, clock } = await api(t)
  const made = await call(base, 'POST', '/work-orders', { role: 'agent', body: { type: 'enquiry', account: '1234567' } })
  const id = String(made.body.id)
  await call(base, 'POST', `/work-orders/${id}/assign`, { role: 'supervisor', body: { assignee: 'desk' } })
  await call(base, 'POST', `/work-orders/${id}/transition`, { role: 'agent', body: { to: 'in-progress' } })
  await call(base, 'POST', `/work-orders/${id}/transition`, { role: 'agent', body: { to: 'done' } })
  clock.advance(25 * H)
  const due = await call(base, 'GET', '/follow-ups?due=true', { role: 'agent' })
  t.equal(due.body.followUps.length, 1)
  const fid = String(due.body.followUps[0].id)
  t.match(await call(base, 'POST', `/follow-ups/${fid}/outcome`, { role: 'agent', body: { outcome: 'satisfied' } }), { status: 200 })
  t.match(await call(base, 'POST', `/follow-ups/${fid}/outcome`, { role: 'agent', body: { outcome: 'satisfied' } }), { status: 409, body: { error: { code: 'follow-up-not-pending' } } })
  t.match(await call(base, 'POST', `/follow-ups/${fid}/outcome`, { role: 'agent', body: { outcome: 'meh' } }), { status: 400, body: { error: { code: 'body-invalid' } } })
})

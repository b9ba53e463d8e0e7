import t, { type Test } from 'tap'
import { FakeClock, minutes } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { Crm, seedSampleCustomers, type OutageSuspected } from '../crm/index.ts'
import { DEFAULT_SLOT_PLAN, WorkOrderDesk } from './index.ts'

const H = 3_600_000
// 2026-11-22 09:00 in Nanjing
const T0 = Date.UTC(2026, 10, 22, 1, 0)

async function desk(t: Test, capacity = 2) {
  const db = openStore({ client: 'better-sqlite3', filename: 'wo.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const clock = new FakeClock(T0)
  await seedSampleCustomers(db, clock.now())
  const suspected: OutageSuspected[] = []
  const crm = new Crm({ db, clock, outageWatch: { threshold: 3, windowMs: minutes(30) }, onOutageSuspected: (e) => suspected.push(e) })
  return { desk: new WorkOrderDesk({ db, clock, crm, slots: { ...DEFAULT_SLOT_PLAN, defaultCapacity: capacity } }), crm, clock, suspected }
}

t.test('the IVR files a repair for a known caller: a readable reference, due in 24 h, noted in the contact history', async (t) => {
  const { desk: d, crm } = await desk(t)
  const r = await d.createWorkOrder({ type: 'repair', caller: '+86 138 0000 0001', summary: 'no signal', createdBy: 'ivr', callId: 'c-9' })
  t.match(r, { ok: true, value: { reference: 'R2611220001', order: { account: '1234567', area: 'gulou', dueAt: T0 + 24 * H, status: 'new' } } })
  const second = await d.createWorkOrder({ type: 'repair', account: '7654321', createdBy: 'lin' })
  t.match(second, { ok: true, value: { reference: 'R2611220002' } })
  t.match((await d.createWorkOrder({ type: 'complaint', account: '7654321', createdBy: 'lin' })), { ok: true, value: { reference: 'C2611220001' } })
  const [latest] = await crm.contacts('1234567')
  t.match(latest, { channel: 'call', callId: 'c-9', summary: /R2611220001.*no signal/ })
})

t.test('an unknown account, or no way to tell the area, is refused with a code', async (t) => {
  const { desk: d } = await desk(t)
  t.match(await d.createWorkOrder({ type: 'repair', account: '9999999', createdBy: 'ivr' }), { ok: false, error: { code: 'work-order-customer-unknown' } })
  t.match(await d.createWorkOrder({ type: 'repair', caller: '13999999999', createdBy: 'ivr' }), { ok: false, error: { code: 'work-order-area-required' } })
  t.match(await d.createWorkOrder({ type: 'enquiry', caller: '13999999999', area: 'xuanwu', createdBy: 'ivr' }), { ok: true, value: { order: { area: 'xuanwu' } } })
})

t.test('marking an order done schedules its follow-up call one day later', async (t) => {
  const { desk: d, clock } = await desk(t)
  const made = await d.createWorkOrder({ type: 'repair', account: '1234567', createdBy: 'lin' })
  if (!made.ok) return t.fail(made.error.message)
  const id = made.value.id
  t.ok((await d.move(id, { to: 'assigned', assignee: 'team-3' })).ok)
  t.ok((await d.move(id, { to: 'in-progress' })).ok)
  clock.advance(3 * H)
  t.match(await d.move(id, { to: 'done' }), { ok: true, value: { status: 'done', doneAt: T0 + 3 * H } })
  t.match(await d.followUps({ workOrderId: id }), [{ workOrderId: id, dueAt: T0 + 27 * H }])
  t.same(await d.followUps({ due: true }), [], 'not due yet')
  clock.advance(25 * H)
  const [due] = await d.followUps({ due: true })
  t.ok(due)
  t.ok((await d.recordFollowUp(due!.id, { outcome: 'satisfied', note: '', agent: 'mei' })).ok)
  t.match(await d.recordFollowUp(due!.id, { outcome: 'satisfied', note: '', agent: 'mei' }), { ok: false, error: { code: 'follow-up-not-pending' } })
  t.match(await d.move(id, { to: 'in-progress' }), { ok: false, error: { code: 'work-order-bad-transition' } })
  t.match(await d.move(404, { to: 'in-progress' }), { ok: false, error: { code: 'work-order-not-found' } })
})

t.test('the overdue filter lists open orders past due on the desk\'s clock', async (t) => {
  const { desk: d, clock } = await desk(t)
  await d.createWorkOrder({ type: 'repair', account: '1234567', createdBy: 'lin' })
  await d.createWorkOrder({ type: 'complaint', account: '1234567', createdBy: 'lin' })
  t.same(await d.list({ overdue: true }), [])
  clock.advance(25 * H)
  t.same((await d.list({ overdue: true })).map((o) => o.type), ['repair'])
  t.same((await d.list({ type: 'complaint', area: 'gulou' })).length, 1)
  t.same((await d.openFor('1234567')).length, 2)
})

t.test('concurrent installation bookings never overbook a slot', async (t) => {
  const { desk: d } = await desk(t, 2)
  const slot = { day: '2026-11-23', slot: '09-12' }
  const results = await Promise.all(Array.from({ length: 6 }, () => d.createWorkOrder({ type: 'installation', account: '1234567', slot, createdBy: 'ivr' })))
  t.equal(results.filter((r) => r.ok).length, 2)
  t.same(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code)), ['slot-full', 'slot-full', 'slot-full', 'slot-full'])
  t.equal((await d.list({ type: 'installation' })).length, 2, 'a refused booking leaves no order behind')
  const free = await d.nextFreeSlots('gulou', T0, 2)
  t.same(free.map((s) => `${s.day} ${s.slot} ${s.free}`), ['2026-11-22 13-17 2', '2026-11-22 18-21 2'])
  const tomorrow = await d.nextFreeSlots('gulou', Date.UTC(2026, 10, 22, 14, 0), 2)
  t.same(tomorrow.map((s) => `${s.day} ${s.slot}`), ['2026-11-23 13-17', '2026-11-23 18-21'], 'the full morning slot is skipped')
})

t.test('an installation needs a slot that has not ended yet', async (t) => {
  const { desk: d } = await desk(t)
  t.match(await d.createWorkOrder({ type: 'installation', account: '1234567', createdBy: 'ivr' }), { ok: false, error: { code: 'work-order-slot-required' } })
  t.match(await d.createWorkOrder({ type: 'installation', account: '1234567', slot: { day: '2026-11-21', slot: '09-12' }, createdBy: 'ivr' }), { ok: false, error: { code: 'slot-past' } })
})

t.test('repairs clustering in one area raise a suspected outage', async (t) => {
  const { desk: d, clock, suspected } = await desk(t)
  for (let i = 0; i < 3; i++) {
    await d.createWorkOrder({ type: 'repair', caller: '13800000003', createdBy: 'ivr' })
    clock.advance(minutes(5))
  }
  t.match(suspected, [{ area: 'jiangning', reports: 3 }])
})

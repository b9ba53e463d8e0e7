import t from 'tap'
import { Crm, seedSampleCustomers } from '../crm/index.ts'
import { FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { DEFAULT_SLOT_PLAN, ivrSlotChoice, WorkOrderDesk } from '../workorders/index.ts'
import { ivrPorts } from './ivr-ports.ts'

// 2026-11-22 23:30 in Nanjing (UTC+8): "tomorrow" is the 23rd there, still the 22nd in UTC.
const NOW = Date.UTC(2026, 10, 22, 15, 30)

t.test('the installation menu keys name tomorrow morning, tomorrow afternoon and the day after, in the center\'s time', (t) => {
  t.same(ivrSlotChoice('1', NOW, DEFAULT_SLOT_PLAN), { day: '2026-11-23', slot: '09-12' })
  t.same(ivrSlotChoice('2', NOW, DEFAULT_SLOT_PLAN), { day: '2026-11-23', slot: '13-17' })
  t.same(ivrSlotChoice('3', NOW, DEFAULT_SLOT_PLAN), { day: '2026-11-24', slot: '09-12' })
  t.equal(ivrSlotChoice('4', NOW, DEFAULT_SLOT_PLAN), undefined, 'no such key')
  t.equal(ivrSlotChoice('2', NOW, { ...DEFAULT_SLOT_PLAN, slots: DEFAULT_SLOT_PLAN.slots.slice(0, 1) }), undefined, 'a plan without an afternoon')
  t.end()
})

t.test('an installation booked in the IVR is a work order in the chosen slot, not a refusal for want of one', async (t) => {
  const db = openStore({ client: 'better-sqlite3', filename: 'ports.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const clock = new FakeClock(NOW)
  await seedSampleCustomers(db, clock.now())
  const crm = new Crm({ db, clock })
  const desk = new WorkOrderDesk({ db, clock, crm })
  const ports = ivrPorts(crm, desk, clock)
  const r = await ports.workOrders.create({ type: 'installation', account: '1234567', caller: '13800138000', details: { slot: '2' } })
  t.match(r, { ok: true, value: { reference: /^\d+$/ } })
  const [order] = await desk.list({ type: 'installation' })
  t.match(order, { account: '1234567', slot: { day: '2026-11-23', slot: '13-17' }, details: { slot: '2' } })
})

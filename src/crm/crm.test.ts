import t, { type Test } from 'tap'
import { FakeClock, minutes } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { Crm, seedSampleCustomers, type OutageSuspected } from './index.ts'

async function crmOnTempStore(t: Test, clock = new FakeClock()) {
  const db = openStore({ client: 'better-sqlite3', filename: 'crm.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const suspected: OutageSuspected[] = []
  const crm = new Crm({ db, clock, outageWatch: { threshold: 3, windowMs: minutes(30) }, onOutageSuspected: (e) => suspected.push(e) })
  return { db, crm, clock, suspected }
}

t.test('a seeded customer is found by any of its phones in any spelling, and by account', async (t) => {
  const { db, crm, clock } = await crmOnTempStore(t)
  await seedSampleCustomers(db, clock.now())
  for (const phone of ['13800000001', '+86 138-0000-0001', '025-84001234', '0086 2584001234']) {
    t.match(await crm.findCustomer({ phone }), { account: '1234567', tier: 'gold', area: 'gulou' }, phone)
  }
  t.match(await crm.findCustomer({ account: '1234567' }), { name: 'Li Wei', phones: ['13800000001', '02584001234'], balanceFen: 12850 })
  t.match(await crm.findCustomer({ phone: '13800000002' }), { tier: 'diamond' })
  t.match(await crm.findCustomer({ phone: '13800000003' }), { tier: 'standard', arrearsFen: 8800 })
  t.equal(await crm.findCustomer({ phone: '13999999999' }), null)
  t.equal(await crm.findCustomer({ phone: 'garbage' }), null, 'a withheld or odd caller id is simply unknown')
  t.equal(await crm.findCustomer({ account: '12' }), null)
  t.equal(await crm.findCustomer({}), null)
})

t.test('the sample outage in jiangning is active now and gulou has none; an ended outage is no longer active', async (t) => {
  const { db, crm, clock } = await crmOnTempStore(t)
  const { outageId } = await seedSampleCustomers(db, clock.now())
  t.match(await crm.activeOutage('jiangning', clock.now()), { id: outageId, area: 'jiangning', promptId: 'outage-jiangning' })
  t.equal(await crm.activeOutage('gulou', clock.now()), null)
  clock.advance(minutes(5))
  t.ok((await crm.endOutage(outageId)).ok)
  t.equal(await crm.activeOutage('jiangning'), null)
  t.match(await crm.endOutage(outageId), { ok: false, error: { code: 'outage-already-ended' } })
  t.match(await crm.endOutage(999), { ok: false, error: { code: 'outage-not-found' } })
  t.equal((await crm.activeOutage('jiangning', clock.now() - minutes(1)))?.id, outageId, 'still active a minute before it ended')
})

t.test('an import writes good rows, updates existing accounts, and reports the rejected ones', async (t) => {
  const { crm } = await crmOnTempStore(t)
  const csv = 'account,name,phones,area,tier,balance\r\n1234567,Li Wei,13800000001,gulou,gold,10.00\r\n7654321,Wang,bad-phone,xuanwu,diamond,0\r\n'
  t.match(await crm.importCustomers(csv), { ok: true, value: { imported: 1, updated: 0, rejected: [{ line: 3, code: 'bad-phone' }] } })
  const again = 'account,name,phones,area,tier,balance\r\n1234567,Li Wei,13800000009,gulou,diamond,20.00\r\n'
  t.match(await crm.importCustomers(again), { ok: true, value: { imported: 0, updated: 1, rejected: [] } })
  t.match(await crm.findCustomer({ account: '1234567' }), { tier: 'diamond', balanceFen: 2000, phones: ['13800000009'] })
  t.equal(await crm.findCustomer({ phone: '13800000001' }), null, 'the replaced phone no longer finds the customer')
})

t.test('an import that fails on the database writes nothing (one transaction)', async (t) => {
  const { db, crm } = await crmOnTempStore(t)
  await db.raw("CREATE TRIGGER no_xuanwu BEFORE INSERT ON customers WHEN NEW.area = 'xuanwu' BEGIN SELECT RAISE(ABORT, 'boom'); END")
  const csv = 'account,name,area\n1111111,A,gulou\n2222222,B,xuanwu\n'
  await t.rejects(crm.importCustomers(csv))
  t.equal(await crm.findCustomer({ account: '1111111' }), null)
})

t.test('create refuses a taken account; update keeps the account and validates the change', async (t) => {
  const { crm } = await crmOnTempStore(t)
  const draft = { account: '5550001', name: 'Sun', phones: ['139 0000 1111'], address: '', area: 'gulou', tier: 'silver' as const, services: [], balanceFen: 0, arrearsFen: 0, status: 'active' as const }
  t.match(await crm.create(draft), { ok: true, value: { phones: ['13900001111'] } })
  t.match(await crm.create(draft), { ok: false, error: { code: 'customer-account-taken' } })
  t.match(await crm.update('5550001', { tier: 'gold' }), { ok: true, value: { tier: 'gold', name: 'Sun' } })
  t.match(await crm.update('5550001', { phones: ['x'] }), { ok: false, error: { code: 'customer-bad-phone' } })
  t.match(await crm.update('5550001', { balanceFen: 1.5 }), { ok: false, error: { code: 'customer-bad-money' } })
  t.match(await crm.update('9999999', { tier: 'gold' }), { ok: false, error: { code: 'customer-not-found' } })
})

t.test('one contact history spans channels, newest first, with call and work-order references', async (t) => {
  const { db, crm, clock } = await crmOnTempStore(t)
  await seedSampleCustomers(db, clock.now())
  await crm.appendContact({ account: '1234567', channel: 'call', direction: 'inbound', summary: 'no signal', callId: 'c-1', agent: 'lin' })
  clock.advance(minutes(1))
  await crm.appendContact({ account: '1234567', channel: 'sms', direction: 'outbound', summary: 'repair link sent', workOrderId: 7 })
  clock.advance(minutes(1))
  await crm.appendContact({ account: '1234567', channel: 'fax', direction: 'inbound', summary: 'ID copy' })
  const history = await crm.contacts('1234567')
  t.same(history.map((c) => c.channel), ['fax', 'sms', 'call'])
  t.match(history[2], { callId: 'c-1', agent: 'lin', summary: 'no signal' })
  t.match(history[1], { workOrderId: 7 })
  t.match(await crm.appendContact({ account: '0000000', channel: 'call', direction: 'inbound', summary: 'x' }), { ok: false, error: { code: 'customer-not-found' } })
})

t.test('repair reports clustering in one area raise one suspected outage through the shell', async (t) => {
  const { crm, clock, suspected } = await crmOnTempStore(t)
  crm.faultReported('gulou')
  clock.advance(minutes(5))
  crm.faultReported('xuanwu')
  crm.faultReported('gulou')
  clock.advance(minutes(5))
  t.same(suspected, [])
  t.match(crm.faultReported('gulou'), [{ type: 'outage-suspected', area: 'gulou', reports: 3 }])
  crm.faultReported('gulou')
  t.equal(suspected.length, 1)
})

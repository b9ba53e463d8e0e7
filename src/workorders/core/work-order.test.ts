import t from 'tap'
import { DEFAULT_SLA, DEFAULT_SLOT_PLAN, dueAt, finishedLate, isOverdue, transition, type WorkOrder } from './index.ts'

const H = 3_600_000
const T0 = Date.UTC(2026, 10, 22, 1, 0) // 09:00 in Nanjing
const order = (over: Partial<WorkOrder> = {}): WorkOrder => ({
  id: 1, reference: 'R2611220001', type: 'repair', status: 'new', area: 'gulou', summary: '', details: {}, createdBy: 'ivr',
  createdAt: T0, dueAt: T0 + 24 * H, updatedAt: T0, ...over,
})
const followUp = { afterMs: 24 * H }

t.test('an order walks new → assigned → in-progress → done → closed', (t) => {
  let wo = order()
  for (const move of [{ to: 'assigned', assignee: 'team-3' }, { to: 'in-progress' }, { to: 'done' }, { to: 'closed' }] as const) {
    const r = transition(wo, move, T0 + H, followUp)
    if (!r.ok) return t.fail(r.error.message)
    wo = r.value.order
  }
  t.match(wo, { status: 'closed', assignee: 'team-3', doneAt: T0 + H, closedAt: T0 + H })
  t.end()
})

t.test('skipping or reversing a step is work-order-bad-transition, naming what is allowed', (t) => {
  const cases = [[order(), 'done'], [order(), 'in-progress'], [order({ status: 'assigned' }), 'closed'], [order({ status: 'done' }), 'in-progress'], [order({ status: 'closed' }), 'closed']] as const
  for (const [wo, to] of cases) {
    const r = transition(wo, { to }, T0, followUp)
    t.match(r, { ok: false, error: { code: 'work-order-bad-transition' } }, `${wo.status} → ${to}`)
  }
  t.match(transition(order({ status: 'closed' }), { to: 'done' }, T0, followUp), { ok: false, error: { message: /allowed: none/ } })
  t.match(transition(order(), { to: 'done' }, T0, followUp), { ok: false, error: { message: /allowed: assigned/ } })
  t.end()
})

t.test('an assigned order can be re-assigned to someone else', (t) => {
  const r = transition(order({ status: 'assigned', assignee: 'a' }), { to: 'assigned', assignee: 'b' }, T0, followUp)
  t.match(r, { ok: true, value: { order: { assignee: 'b', status: 'assigned' } } })
  t.end()
})

t.test('finishing an order schedules its return visit a day later', (t) => {
  const r = transition(order({ status: 'in-progress' }), { to: 'done' }, T0 + 5 * H, followUp)
  t.match(r, { ok: true, value: { events: [{ type: 'work-order-moved', from: 'in-progress', to: 'done' }, { type: 'follow-up-scheduled', workOrderId: 1, dueAt: T0 + 29 * H }] } })
  t.end()
})

t.test('due times follow the SLA per type; an installation is due at the end of its slot', (t) => {
  const due = (type: WorkOrder['type'], slot?: { day: string; slot: string }) => dueAt(type, T0, slot, DEFAULT_SLA, DEFAULT_SLOT_PLAN)
  t.same(due('repair'), { ok: true, value: T0 + 24 * H })
  t.same(due('complaint'), { ok: true, value: T0 + 48 * H })
  t.same(due('enquiry'), { ok: true, value: T0 + 72 * H })
  t.same(due('installation', { day: '2026-11-23', slot: '13-17' }), { ok: true, value: Date.UTC(2026, 10, 23, 9, 0) }, '17:00 Nanjing is 09:00 UTC')
  t.match(due('installation'), { ok: false, error: { code: 'work-order-slot-required' } })
  t.match(due('installation', { day: '2026-11-23', slot: '07-08' }), { ok: false, error: { code: 'slot-unknown' } })
  t.match(due('installation', { day: '2026-02-30', slot: '09-12' }), { ok: false, error: { code: 'slot-unknown' } })
  t.end()
})

t.test('an open order past its due time is overdue; a finished one never is', (t) => {
  const wo = order()
  t.equal(isOverdue(wo, T0 + 24 * H), false, 'due exactly now is not yet late')
  t.equal(isOverdue(wo, T0 + 24 * H + 1), true)
  t.equal(isOverdue({ ...wo, status: 'in-progress' }, T0 + 30 * H), true)
  t.equal(isOverdue({ ...wo, status: 'done' }, T0 + 30 * H), false)
  t.equal(isOverdue({ ...wo, status: 'closed' }, T0 + 99 * H), false)
  t.equal(finishedLate({ doneAt: T0 + 30 * H, dueAt: wo.dueAt }), true)
  t.end()
})

import t from 'tap'
import { judgeOverflowQueue } from './overflow-queue.ts'

const FLOWS = new Set(['general', 'billing', 'repair', 'sales'])

t.test('an overflow queue the ACD has passes, whatever the flows say', (t) => {
  t.same(judgeOverflowQueue({ queue: 'night-desk', declared: FLOWS, existing: new Set(['night-desk']) }), { status: 'pass', detail: 'night-desk: an ACD queue' })
  t.same(judgeOverflowQueue({ queue: 'general', declared: undefined, existing: new Set(['general']) }).status, 'pass')
  t.end()
})

t.test('an overflow queue the flows declare passes on a fresh database: start creates it', (t) => {
  t.match(judgeOverflowQueue({ queue: 'general', declared: FLOWS, existing: undefined }), { status: 'pass', detail: /general: declared in the IVR flows; `hotline start` creates it/ })
  t.match(judgeOverflowQueue({ queue: 'general', declared: FLOWS, existing: new Set() }), { status: 'pass' })
  t.end()
})

t.test('an overflow queue neither declared nor in the ACD fails, naming it and the queues to choose from', (t) => {
  const v = judgeOverflowQueue({ queue: 'night-desk', declared: FLOWS, existing: new Set(['vip']) })
  t.equal(v.status, 'fail')
  t.equal(v.detail, 'ivr.overflowQueue night-desk is no ACD queue (not declared under queues: in the flows): callers who find the IVR full are refused')
  t.match(v.hint, /^Declare night-desk under queues: in ivr-scripts\/hotline\.yaml .*PUT \/api\/v1\/queues\/night-desk, or set ivr\.overflowQueue to one of billing, general, repair, sales, vip\.$/)
  t.end()
})

t.test('with flows that do not load and no database, the declared queue is not counted on', (t) => {
  const v = judgeOverflowQueue({ queue: 'general', declared: undefined, existing: undefined })
  t.match(v, { status: 'fail', detail: /the flows do not load, so `hotline start` creates none of their queues/, hint: /set ivr\.overflowQueue to a queue that exists\.$/ })
  t.end()
})

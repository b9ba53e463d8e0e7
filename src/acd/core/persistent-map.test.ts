import t from 'tap'
import { PersistentMap } from './persistent-map.ts'
import { estimatedWaitSeconds } from './estimate.ts'
import { EMPTY_LINE } from './queue-line.ts'
import { queue } from './test-builders.ts'

t.test('a persistent map write leaves every earlier version as it was', (t) => {
  const ids = Array.from({ length: 500 }, (_, i) => `agent-${i}`)
  const m1 = PersistentMap.of(ids.map((id, i) => [id, i] as const))
  const m2 = m1.set('agent-7', -1).delete('agent-8').set('new', 99)
  t.equal(m1.get('agent-7'), 7)
  t.equal(m1.has('agent-8'), true)
  t.equal(m1.size, 500)
  t.equal(m2.get('agent-7'), -1)
  t.equal(m2.has('agent-8'), false)
  t.equal(m2.size, 500)
  t.equal([...m2.values()].length, 500)
  t.equal(m2.delete('absent'), m2, 'deleting a missing key returns the same map')
  t.end()
})

t.test('the estimated wait is position × average handle time / staffed agents, and unknown with nobody staffed', (t) => {
  const q = queue('q', { defaultHandleTime: 180_000 })
  t.equal(estimatedWaitSeconds({ ...EMPTY_LINE, staffed: 3 }, q, 4), 240)
  t.equal(estimatedWaitSeconds({ ...EMPTY_LINE, staffed: 2, recentHandle: [60_000, 100_000] }, q, 3), 120)
  t.equal(estimatedWaitSeconds(EMPTY_LINE, q, 1), undefined)
  t.end()
})

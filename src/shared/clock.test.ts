import t from 'tap'
import { FakeClock } from './clock.ts'

t.test('a fake clock fires due timers in order, and never a cancelled one', (t) => {
  const clock = new FakeClock(0)
  const fired: string[] = []
  clock.setTimer(300, () => fired.push('c'))
  const b = clock.setTimer(200, () => fired.push('b'))
  clock.setTimer(100, () => {
    fired.push('a')
    clock.setTimer(50, () => fired.push('a2'))
  })
  b.cancel()
  clock.advance(250)
  t.same(fired, ['a', 'a2'])
  t.equal(clock.now(), 250)
  clock.advance(100)
  t.same(fired, ['a', 'a2', 'c'])
  t.equal(clock.pendingTimers, 0)
  t.end()
})

import t from 'tap'
import { FakeClock, shiftedClock } from './clock.ts'

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

t.test('a shifted clock reads from its start and moves and fires with the clock under it', (t) => {
  const base = new FakeClock(Date.UTC(2026, 10, 22, 14, 0, 0))
  const start = Date.UTC(2026, 10, 23, 2, 0, 0)
  const clock = shiftedClock(start, base)
  t.equal(clock.now(), start)
  let fired = 0
  clock.setTimer(5_000, () => fired++)
  base.advance(4_999)
  t.equal(fired, 0)
  base.advance(1)
  t.equal(fired, 1, 'timers keep real durations')
  t.equal(clock.now(), start + 5_000)
  t.end()
})

import t from 'tap'
import { FakeClock, minutes } from '../../shared/index.ts'
import { LoginThrottle } from './login-throttle.ts'
import { SlidingWindow } from './sliding-window.ts'

const policy = { maxFailures: 3, windowMs: minutes(10) }

t.test('attempts are allowed until the failures in the window reach the limit', (t) => {
  const clock = new FakeClock()
  const w = new SlidingWindow(clock, policy)
  for (let i = 0; i < 3; i++) {
    t.same(w.admit('lin'), { allowed: true })
    w.recordFailure('lin')
    clock.advance(minutes(1))
  }
  // Failures at 0, 1 and 2 min; now 3 min: the one at 0 leaves the window at 10 min.
  t.same(w.admit('lin'), { allowed: false, retryAfterMs: minutes(7) })
  t.same(w.admit('mei'), { allowed: true }, 'other keys are counted apart')
  t.end()
})

t.test('the window slides: each old failure that leaves it frees one attempt', (t) => {
  const clock = new FakeClock()
  const w = new SlidingWindow(clock, policy)
  w.recordFailure('lin')
  clock.advance(minutes(5))
  w.recordFailure('lin')
  w.recordFailure('lin')
  clock.advance(minutes(5) - 1)
  t.equal(w.admit('lin').allowed, false, 'a millisecond before the first failure ages out')
  clock.advance(1)
  t.equal(w.admit('lin').allowed, true)
  w.recordFailure('lin')
  t.same(w.admit('lin'), { allowed: false, retryAfterMs: minutes(5) }, 'now limited by the failures at 5 min')
  t.end()
})

t.test('forget clears a key, and old keys are not kept forever', (t) => {
  const clock = new FakeClock()
  const w = new SlidingWindow(clock, policy)
  for (let i = 0; i < 3; i++) w.recordFailure('lin')
  w.forget('lin')
  t.same(w.admit('lin'), { allowed: true })
  for (let i = 0; i < 10_000; i++) w.recordFailure(`guess-${i}`)
  clock.advance(minutes(11))
  w.recordFailure('late')
  t.equal(w.size, 1, 'a sweep dropped the keys whose failures aged out')
  t.end()
})

t.test('a login is refused while either its username or its client is over the limit', (t) => {
  const clock = new FakeClock()
  const throttle = new LoginThrottle(clock, { perUsername: policy, perClient: { maxFailures: 5, windowMs: minutes(10) } })
  for (let i = 0; i < 3; i++) throttle.failed('lin', '10.0.0.1')
  t.equal(throttle.admit('lin', '10.0.0.2').allowed, false, 'the account is limited from any address')
  t.equal(throttle.admit('mei', '10.0.0.1').allowed, true, 'the address is still under its own limit')
  for (let i = 0; i < 2; i++) throttle.failed(`user${i}`, '10.0.0.1')
  t.equal(throttle.admit('mei', '10.0.0.1').allowed, false, 'now the address is over its limit')
  t.end()
})

t.test('a successful login clears its username\'s failures but not its client\'s', (t) => {
  const clock = new FakeClock()
  const throttle = new LoginThrottle(clock, { perUsername: policy, perClient: policy })
  throttle.failed('lin', '10.0.0.1')
  throttle.failed('lin', '10.0.0.1')
  throttle.succeeded('lin')
  throttle.failed('lin', '10.0.0.9')
  t.equal(throttle.admit('lin', '10.0.0.9').allowed, true, 'lin starts again from one failure')
  throttle.failed('other', '10.0.0.1')
  t.equal(throttle.admit('x', '10.0.0.1').allowed, false, 'the client kept its two failures')
  t.end()
})

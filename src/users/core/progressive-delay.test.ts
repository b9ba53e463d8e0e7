import t from 'tap'
import { FakeClock } from '../../shared/index.ts'
import { LoginThrottle, type ThrottlePolicy } from './login-throttle.ts'
import { delayAfter, ProgressiveDelay, type DelayPolicy } from './progressive-delay.ts'

const policy: DelayPolicy = { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000 }

t.test('free failures cost nothing; then each failure doubles the wait, up to the cap', (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => delayAfter(n, policy)), [0, 0, 0, 0, 1000, 2000, 4000, 8000, 8000, 8000])
  t.end()
})

t.test('an attempt inside the wait is refused with the time left; after it, allowed again — never a lock', (t) => {
  const clock = new FakeClock()
  const d = new ProgressiveDelay(clock, policy)
  for (let i = 0; i < 4; i++) {
    t.same(d.admit('lin'), { allowed: true })
    d.recordFailure('lin')
  }
  t.same(d.admit('lin'), { allowed: false, retryAfterMs: 1000 })
  clock.advance(999)
  t.same(d.admit('lin'), { allowed: false, retryAfterMs: 1 })
  clock.advance(1)
  t.same(d.admit('lin'), { allowed: true })
  d.recordFailure('lin')
  t.same(d.admit('lin'), { allowed: false, retryAfterMs: 2000 })
  t.same(d.admit('chen'), { allowed: true }, 'other keys are not held')
  t.end()
})

t.test('failures are forgotten after a quiet spell, and forget() clears a key at once', (t) => {
  const clock = new FakeClock()
  const d = new ProgressiveDelay(clock, policy)
  for (let i = 0; i < 6; i++) d.recordFailure('lin')
  clock.advance(60_000)
  t.same(d.admit('lin'), { allowed: true })
  t.equal(d.size, 0, 'its entry is gone')
  for (let i = 0; i < 6; i++) d.recordFailure('chen')
  d.forget('chen')
  t.same(d.admit('chen'), { allowed: true })
  t.end()
})

const throttle: ThrottlePolicy = {
  perPair: { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 300_000, forgetAfterMs: 900_000 },
  perUsername: { freeFailures: 5, firstDelayMs: 1000, maxDelayMs: 15_000, forgetAfterMs: 900_000 },
  perClient: { freeFailures: 50, firstDelayMs: 1000, maxDelayMs: 300_000, forgetAfterMs: 900_000 },
}

t.test("an attacker hammering the admin from one address is slowed to minutes; the admin at another address waits at most 15 s", (t) => {
  const clock = new FakeClock()
  const th = new LoginThrottle(clock, throttle)
  let guesses = 0
  // An hour of guessing, as fast as the throttle lets through.
  for (const end = clock.now() + 3_600_000; clock.now() < end;) {
    const a = th.admit('admin', '203.0.113.9')
    if (a.allowed) {
      th.failed('admin', '203.0.113.9')
      guesses++
    } else clock.advance(a.retryAfterMs)
  }
  t.ok(guesses < 30, `the attacker got ${guesses} guesses in an hour`)
  const owner = th.admit('admin', '10.0.0.5')
  t.ok(owner.allowed || owner.retryAfterMs <= 15_000, `the owner waits ${owner.allowed ? 0 : owner.retryAfterMs} ms at most`)
  t.end()
})

t.test('one address failing across many accounts (a NAT floor) is free for its first 50, then slowed', (t) => {
  const clock = new FakeClock()
  const th = new LoginThrottle(clock, throttle)
  for (let i = 0; i < 51; i++) {
    t.same(th.admit(`agent${i}`, '10.0.0.1'), { allowed: true })
    th.failed(`agent${i}`, '10.0.0.1')
  }
  t.same(th.admit('agent99', '10.0.0.1'), { allowed: false, retryAfterMs: 1000 })
  t.same(th.admit('agent99', '10.0.0.2'), { allowed: true }, 'another address is not held')
  t.end()
})

t.test("a successful login clears its username's and its pair's failures, not its client's", (t) => {
  const clock = new FakeClock()
  const th = new LoginThrottle(clock, { ...throttle, perClient: { ...throttle.perClient, freeFailures: 2 } })
  for (let i = 0; i < 3; i++) th.failed('lin', '10.0.0.1')
  clock.advance(10_000)
  th.succeeded('lin', '10.0.0.1')
  th.failed('lin', '10.0.0.1')
  t.match(th.admit('chen', '10.0.0.1'), { allowed: false }, 'the client keeps its count')
  t.same(th.admit('lin', '10.0.0.3'), { allowed: true }, 'the username starts over')
  t.end()
})

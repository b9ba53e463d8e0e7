import t from 'tap'
import { seconds } from '../../shared/index.ts'
import { decide } from './decide.ts'
import { nextDeadline } from './deadlines.ts'
import { acd, activityOf, agent, agentId, at, callId, callQueued, offerOf, play, presenceOf, queue, rings, tick } from './test-builders.ts'

const policy = { noAnswerDelay: seconds(10), busyDelay: seconds(60), rejectDelay: seconds(15), unreachableDelay: seconds(90), maxNoAnswer: 2 }

t.test('an unanswered offer goes to the next agent when the ring times out, and the first agent rests', (t) => {
  const s0 = acd([queue('q', { ringTimeout: seconds(20), noAnswer: policy })], [agent('a', {}, { idleSince: at(-100) }), agent('b', {}, { idleSince: at(-10) })])
  const r1 = decide(s0, callQueued('c1'), at(0))
  t.same(rings(r1.effects), [{ call: 'c1', agent: 'a' }])
  t.equal(nextDeadline(r1.state), at(20))
  t.same(decide(r1.state, tick, at(20) - 1).effects, [])
  const r2 = decide(r1.state, tick, at(20))
  t.match(r2.effects, [{ kind: 'cancel-ring', agent: 'a', reason: 'ring-timeout' }, { kind: 'ring-agent', call: 'c1', agent: 'b' }])
  t.match(r2.state.agents.get(agentId('a'))?.activity, { kind: 'resting', until: at(30) })
  t.end()
})

t.test('after N unanswered offers in a row the agent goes not-ready for missed calls', (t) => {
  const s0 = acd([queue('q', { noAnswer: policy })], [agent('a')])
  let s = decide(s0, callQueued('c1'), at(0)).state
  s = decide(s, { kind: 'offer-failed', offer: offerOf(s, 'a'), cause: 'no-answer' }, at(5)).state
  t.equal(activityOf(s, 'a'), 'resting')
  s = decide(s, tick, at(15)).state // rest over: c1 rings a again
  s = decide(s, { kind: 'offer-failed', offer: offerOf(s, 'a'), cause: 'no-answer' }, at(20)).state
  t.match(presenceOf(s, 'a'), { kind: 'not-ready', reason: 'missed-calls' })
  t.equal(activityOf(s, 'a'), 'idle')
  t.equal(s.calls.get(callId('c1'))?.phase.kind, 'waiting')
  t.end()
})

t.test('busy and rejected offers rest the agent for their own delays, then the agent is offered again', (t) => {
  const s0 = acd([queue('q', { noAnswer: policy })], [agent('a')])
  let s = decide(s0, callQueued('c1'), at(0)).state
  s = decide(s, { kind: 'offer-failed', offer: offerOf(s, 'a'), cause: 'busy' }, at(1)).state
  t.equal(nextDeadline(s), at(61))
  t.same(rings(decide(s, tick, at(60)).effects), [])
  s = decide(s, tick, at(61)).state
  s = decide(s, { kind: 'offer-failed', offer: offerOf(s, 'a'), cause: 'rejected' }, at(62)).state
  t.match(s.agents.get(agentId('a'))?.activity, { kind: 'resting', until: at(77) })
  t.same(rings(decide(s, tick, at(77)).effects), [{ call: 'c1', agent: 'a' }])
  t.end()
})

t.test('after a call the agent wraps up for the queue wrap-up time, then takes the next caller', (t) => {
  const s0 = acd([queue('q', { wrapUp: seconds(30) })], [agent('a')])
  let s = play(s0, [[callQueued('c1'), at(0)], [callQueued('c2'), at(1)]]).state
  const answered = decide(s, { kind: 'offer-answered', offer: offerOf(s, 'a') }, at(2))
  t.match(answered.effects, [{ kind: 'bridge', call: 'c1', agent: 'a' }])
  s = decide(answered.state, { kind: 'agent-call-ended', agent: agentId('a'), call: callId('c1') }, at(100)).state
  t.match(s.agents.get(agentId('a'))?.activity, { kind: 'wrap-up', call: 'c1', until: at(130) })
  t.same(rings(decide(s, tick, at(129)).effects), [])
  t.same(rings(decide(s, tick, at(130)).effects), [{ call: 'c2', agent: 'a' }])
  t.end()
})

t.test('an agent who extends wrap-up is not offered a call until the extension ends', (t) => {
  const s0 = acd([queue('q', { wrapUp: seconds(30) })], [agent('a')])
  let s = play(s0, [[callQueued('c1'), at(0)], [callQueued('c2'), at(1)]]).state
  s = decide(s, { kind: 'offer-answered', offer: offerOf(s, 'a') }, at(2)).state
  s = decide(s, { kind: 'agent-call-ended', agent: agentId('a'), call: callId('c1') }, at(100)).state
  s = decide(s, { kind: 'wrap-up-extended', agent: agentId('a'), by: seconds(60) }, at(120)).state
  t.equal(nextDeadline(s), at(190))
  t.same(rings(decide(s, tick, at(189)).effects), [])
  t.same(rings(decide(s, tick, at(190)).effects), [{ call: 'c2', agent: 'a' }])
  t.end()
})

t.test('a caller who hangs up while an agent rings cancels that ring at once', (t) => {
  const s0 = acd([queue('q')], [agent('a', {}, { idleSince: at(-50) })])
  const s = decide(s0, callQueued('c1'), at(0)).state
  const offer = offerOf(s, 'a')
  const r = decide(s, { kind: 'call-abandoned', call: callId('c1') }, at(3))
  t.same(r.effects, [{ kind: 'cancel-ring', offer, agent: 'a', reason: 'caller-hung-up' }])
  t.same(r.state.agents.get(agentId('a'))?.activity, { kind: 'idle', since: at(-50) }, 'the agent keeps its idle place')
  t.equal(r.state.calls.size, 0)
  t.equal(nextDeadline(r.state), undefined)
  t.end()
})

t.test('an unregistered agent is never offered a call, and is offered one as soon as the phone registers', (t) => {
  const s0 = acd([queue('q')], [agent('a', {}, { registered: false })])
  const r1 = decide(s0, callQueued('c1'), at(0))
  t.same(rings(r1.effects), [])
  const r2 = decide(r1.state, { kind: 'agent-registered', agent: agentId('a') }, at(5))
  t.same(rings(r2.effects), [{ call: 'c1', agent: 'a' }])
  const r3 = decide(r2.state, { kind: 'agent-unregistered', agent: agentId('a') }, at(6))
  t.match(r3.effects, [{ kind: 'cancel-ring', agent: 'a', reason: 'agent-unregistered' }])
  t.equal(r3.state.calls.get(callId('c1'))?.phase.kind, 'waiting')
  t.end()
})

t.test('ring-all rings every matching agent; the first answer wins and the other legs are cancelled', (t) => {
  const s0 = acd([queue('q', { strategy: 'ring-all' })], [agent('a', { tv: 1 }), agent('b', { tv: 1 }), agent('c', {})])
  const r1 = decide(s0, callQueued('c1', { skills: { tv: 1 } }), at(0))
  t.same(rings(r1.effects).map((r) => r.agent).sort(), ['a', 'b'])
  const r2 = decide(r1.state, { kind: 'offer-answered', offer: offerOf(r1.state, 'b') }, at(4))
  t.match(r2.effects, [{ kind: 'cancel-ring', agent: 'a', reason: 'answered-elsewhere' }, { kind: 'bridge', call: 'c1', agent: 'b' }])
  t.equal(activityOf(r2.state, 'a'), 'idle')
  t.equal(activityOf(r2.state, 'b'), 'on-call')
  t.end()
})

t.test('going not-ready while ringing cancels the ring and the caller goes to the next agent', (t) => {
  const s0 = acd([queue('q')], [agent('a', {}, { idleSince: at(-100) }), agent('b')])
  const s = decide(s0, callQueued('c1'), at(0)).state
  const r = decide(s, { kind: 'agent-went-not-ready', agent: agentId('a'), reason: 'break' }, at(2))
  t.match(r.effects, [{ kind: 'cancel-ring', agent: 'a', reason: 'agent-not-ready' }, { kind: 'ring-agent', call: 'c1', agent: 'b' }])
  t.end()
})

t.test('stale inputs change nothing: a late answer, a failure after timeout, the end of another call', (t) => {
  const s0 = acd([queue('q', { ringTimeout: seconds(20) })], [agent('a', {}, { idleSince: at(-100) }), agent('b')])
  const s1 = decide(s0, callQueued('c1'), at(0)).state
  const first = offerOf(s1, 'a')
  const s2 = decide(s1, tick, at(20)).state // timed out: now ringing b
  for (const input of [
    { kind: 'offer-answered', offer: first },
    { kind: 'offer-failed', offer: first, cause: 'no-answer' },
    { kind: 'agent-call-ended', agent: agentId('b'), call: callId('c9') },
    { kind: 'wrap-up-extended', agent: agentId('b'), by: seconds(5) },
    { kind: 'call-abandoned', call: callId('c9') },
    { kind: 'callback-outcome', call: callId('c1'), outcome: 'answered' },
    { kind: 'agent-went-ready', agent: agentId('b') },
    { kind: 'agent-registered', agent: agentId('b') },
    { kind: 'agent-logged-in', agent: agentId('b') },
    { kind: 'tick' },
  ] as const) {
    const r = decide(s2, input, at(21))
    t.same([r.effects, r.events], [[], []], input.kind)
    t.equal(r.state.agents, s2.agents, `${input.kind}: agents untouched`)
    t.equal(r.state.calls, s2.calls, `${input.kind}: callers untouched`)
  }
  t.end()
})

t.test('decide never changes the state it was given', (t) => {
  const s0 = acd([queue('q')], [agent('a')])
  const before = JSON.stringify([...s0.agents.values()])
  decide(s0, callQueued('c1'), at(0))
  t.equal(JSON.stringify([...s0.agents.values()]), before)
  t.equal(s0.calls.size, 0)
  t.end()
})

t.test('an unreachable desk phone puts the agent not-ready (phone-unreachable) and the caller rings the next agent at once', (t) => {
  const s0 = acd([queue('q', { noAnswer: policy })], [agent('a', {}, { idleSince: at(-100) }), agent('b', {}, { idleSince: at(-10) })])
  const r1 = decide(s0, callQueued('c1'), at(0))
  t.same(rings(r1.effects), [{ call: 'c1', agent: 'a' }])
  const r2 = decide(r1.state, { kind: 'offer-failed', offer: offerOf(r1.state, 'a'), cause: 'unreachable' }, at(0.2))
  t.same(rings(r2.effects), [{ call: 'c1', agent: 'b' }], 'no wait: the next agent rings in the same decision')
  t.match(presenceOf(r2.state, 'a'), { kind: 'not-ready', reason: 'phone-unreachable', since: at(0.2) })
  t.ok(r2.events.some((e) => e.kind === 'offer-missed' && e.agent === 'a' && e.cause === 'unreachable'))
  t.ok(r2.events.some((e) => e.kind === 'agent-state-changed' && e.agent === 'a' && e.presence.kind === 'not-ready'))
  t.end()
})

t.test('an agent whose phone is unreachable is not offered again, however long callers wait, until the phone registers', (t) => {
  const s0 = acd([queue('q', { noAnswer: policy })], [agent('a')])
  let s = decide(s0, callQueued('c1'), at(0)).state
  s = decide(s, { kind: 'offer-failed', offer: offerOf(s, 'a'), cause: 'unreachable' }, at(0)).state
  t.equal(nextDeadline(s), undefined, 'no rest to wait out: nothing is due')
  for (const when of [5, 60, 91, 600, 3600]) t.same(rings(decide(s, tick, at(when)).effects), [], `no offer at ${when} s`)
  t.same(rings(decide(s, callQueued('c2'), at(30)).effects), [], 'nor to a new caller')
  t.end()
})

t.test('the phone registering again (or refreshing its registration) makes the agent ready and the waiting caller rings it', (t) => {
  const s0 = acd([queue('q', { noAnswer: policy })], [agent('a')])
  let s = decide(s0, callQueued('c1'), at(0)).state
  s = decide(s, { kind: 'offer-failed', offer: offerOf(s, 'a'), cause: 'unreachable' }, at(0)).state
  t.equal(s.agents.get(agentId('a'))?.registered, true, 'still registered as far as the switch told us')
  const back = decide(s, { kind: 'agent-registered', agent: agentId('a') }, at(120))
  t.match(presenceOf(back.state, 'a'), { kind: 'ready', since: at(120) })
  t.same(rings(back.effects), [{ call: 'c1', agent: 'a' }])
  // Unregistered first and registered later: the same.
  let u = decide(s, { kind: 'agent-unregistered', agent: agentId('a') }, at(10)).state
  t.match(presenceOf(u, 'a'), { kind: 'not-ready', reason: 'phone-unreachable' })
  u = decide(u, { kind: 'agent-registered', agent: agentId('a') }, at(20)).state
  t.match(presenceOf(u, 'a'), { kind: 'ready' })
  t.end()
})

t.test("a registration leaves a not-ready reason the agent chose alone", (t) => {
  const s0 = acd([queue('q', { noAnswer: policy })], [agent('a', {}, { presence: { kind: 'not-ready', reason: 'lunch', since: at(0) } })])
  const r = decide(s0, { kind: 'agent-registered', agent: agentId('a') }, at(10))
  t.match(presenceOf(r.state, 'a'), { kind: 'not-ready', reason: 'lunch' })
  t.same(r.events, [])
  t.end()
})

t.test('an unreachable remote (PSTN) agent rests for unreachableDelay: no registration will bring it back', (t) => {
  const s0 = acd([queue('q', { noAnswer: policy })], [agent('a', {}, { contact: { kind: 'pstn', number: '13800138000' } })])
  let s = decide(s0, callQueued('c1'), at(0)).state
  s = decide(s, { kind: 'offer-failed', offer: offerOf(s, 'a'), cause: 'unreachable' }, at(1)).state
  t.match(s.agents.get(agentId('a'))?.activity, { kind: 'resting', until: at(91) })
  t.match(presenceOf(s, 'a'), { kind: 'ready' })
  t.end()
})

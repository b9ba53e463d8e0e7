import t from 'tap'
import { seconds } from '../../shared/index.ts'
import { decide } from './decide.ts'
import { nextDeadline } from './deadlines.ts'
import { acd, activityOf, agent, agentId, at, callId, callQueued, offerOf, play, queue, queueId, rings } from './test-builders.ts'

/** c1 answered by a: a is on the call. */
function talking() {
  const s0 = acd([queue('q', { wrapUp: seconds(10) })], [agent('a', {}, { idleSince: at(-100) }), agent('b', {}, { idleSince: at(-10) })])
  let s = decide(s0, callQueued('c1'), at(0)).state
  s = decide(s, { kind: 'offer-answered', offer: offerOf(s, 'a') }, at(2)).state
  return s
}

t.test('holding a call marks the agent on hold and tells everyone; resuming clears it; the call goes on', (t) => {
  const s = talking()
  const held = decide(s, { kind: 'call-held', agent: agentId('a'), call: callId('c1') }, at(10))
  t.match(held.state.agents.get(agentId('a'))?.activity, { kind: 'on-call', call: 'c1', held: true })
  t.match(held.events, [{ kind: 'agent-state-changed', agent: 'a' }, { kind: 'call-held', call: 'c1', agent: 'a' }])
  t.same(held.effects, [])
  t.same(decide(held.state, { kind: 'call-held', agent: agentId('a'), call: callId('c1') }, at(11)).events, [], 'holding twice says nothing')
  const resumed = decide(held.state, { kind: 'call-resumed', agent: agentId('a'), call: callId('c1') }, at(20))
  t.match(resumed.state.agents.get(agentId('a'))?.activity, { kind: 'on-call', held: false, since: at(2) })
  t.match(resumed.events.at(-1), { kind: 'call-resumed', call: 'c1', agent: 'a' })
  t.end()
})

t.test('an agent cannot hold a call they are not on', (t) => {
  const s = talking()
  const r = decide(s, { kind: 'call-held', agent: agentId('b'), call: callId('c1') }, at(10))
  t.same(r.events, [{ kind: 'input-rejected', input: 'call-held', code: 'agent-not-on-call' }])
  t.equal(activityOf(r.state, 'b'), 'idle')
  t.end()
})

t.test('a transfer target is on the call at once, so no waiting caller is offered to them while their phone rings', (t) => {
  let s = talking()
  const joined = decide(s, { kind: 'agent-call-joined', agent: agentId('b'), call: callId('c1'), queue: queueId('q') }, at(10))
  t.match(joined.state.agents.get(agentId('b'))?.activity, { kind: 'on-call', call: 'c1', since: at(10) })
  t.match(joined.events.at(-1), { kind: 'call-joined', call: 'c1', agent: 'b', queue: 'q' })
  s = joined.state
  const next = decide(s, callQueued('c2'), at(11))
  t.same(rings(next.effects), [], 'b is reserved and a is talking: c2 waits')
  t.equal(next.state.calls.get(callId('c2'))?.phase.kind, 'waiting')
  t.end()
})

t.test('a transfer reaches only an available agent', (t) => {
  const s = talking()
  const r = decide(s, { kind: 'agent-call-joined', agent: agentId('a'), call: callId('c9'), queue: queueId('q') }, at(10))
  t.same(r.events, [{ kind: 'input-rejected', input: 'agent-call-joined', code: 'agent-unavailable' }])
  const notReady = decide(decide(s, { kind: 'agent-went-not-ready', agent: agentId('b'), reason: 'lunch' }, at(3)).state, { kind: 'agent-call-joined', agent: agentId('b'), call: callId('c1'), queue: queueId('q') }, at(10))
  t.match(notReady.events, [{ kind: 'input-rejected', code: 'agent-unavailable' }])
  const unknownQueue = decide(s, { kind: 'agent-call-joined', agent: agentId('b'), call: callId('c1'), queue: queueId('nope') }, at(10))
  t.match(unknownQueue.events, [{ kind: 'input-rejected', code: 'queue-unknown' }])
  t.equal(activityOf(unknownQueue.state, 'b'), 'idle')
  t.end()
})

t.test('a transfer that never began releases the target with no wrap-up, and a waiting caller is offered to them at once', (t) => {
  let s = talking()
  s = decide(s, { kind: 'agent-call-joined', agent: agentId('b'), call: callId('c1'), queue: queueId('q') }, at(10)).state
  s = decide(s, callQueued('c2'), at(11)).state
  const r = decide(s, { kind: 'agent-call-released', agent: agentId('b'), call: callId('c1') }, at(30))
  t.same(rings(r.effects), [{ call: 'c2', agent: 'b' }])
  t.equal(r.state.agents.get(agentId('b'))?.callsHandled, 0, 'not a handled call')
  t.equal(decide(s, { kind: 'agent-call-released', agent: agentId('b'), call: callId('c7') }, at(30)).events.length, 0, 'another call: nothing')
  t.end()
})

t.test('after a completed transfer the first agent wraps up and the target stays on the call until it ends', (t) => {
  const r = play(talking(), [
    [{ kind: 'agent-call-joined', agent: agentId('b'), call: callId('c1'), queue: queueId('q') }, at(10)],
    [{ kind: 'agent-call-ended', agent: agentId('a'), call: callId('c1') }, at(15)],
  ])
  t.match(r.state.agents.get(agentId('a'))?.activity, { kind: 'wrap-up', call: 'c1', until: at(25) })
  t.equal(activityOf(r.state, 'b'), 'on-call')
  t.equal(nextDeadline(r.state), at(25))
  const ended = decide(r.state, { kind: 'agent-call-ended', agent: agentId('b'), call: callId('c1') }, at(60))
  t.match(ended.state.agents.get(agentId('b'))?.activity, { kind: 'wrap-up', call: 'c1', until: at(70) })
  t.end()
})

t.test('a hand-over to the agent on the call is told once, before the first agent wraps up', (t) => {
  const s = decide(talking(), { kind: 'agent-call-joined', agent: agentId('b'), call: callId('c1'), queue: queueId('q') }, at(10)).state
  const handed = { kind: 'call-transferred', agent: agentId('a'), call: callId('c1'), to: agentId('b'), how: 'blind' } as const
  const r = decide(s, handed, at(15))
  t.same(r.events.filter((e) => e.kind !== 'agent-state-changed'), [{ kind: 'call-transferred', call: 'c1', from: 'a', to: 'b', queue: 'q', how: 'blind' }])
  t.equal(r.events[0]?.kind, 'call-transferred', 'the receiving console hears first')
  t.match(r.state.agents.get(agentId('a'))?.activity, { kind: 'wrap-up', call: 'c1', until: at(25) })
  t.same(decide(r.state, handed, at(16)).events, [{ kind: 'input-rejected', input: 'call-transferred', code: 'agent-not-on-call' }], 'said twice: told once')
  t.end()
})

t.test('a hand-over to an agent not on the call changes nothing', (t) => {
  const s = talking()
  const r = decide(s, { kind: 'call-transferred', agent: agentId('a'), call: callId('c1'), to: agentId('b'), how: 'consulted' }, at(15))
  t.same(r.events, [{ kind: 'input-rejected', input: 'call-transferred', code: 'agent-not-on-call' }])
  t.equal(activityOf(r.state, 'a'), 'on-call')
  t.equal(decide(s, { kind: 'call-transferred', agent: agentId('a'), call: callId('c1'), to: agentId('a'), how: 'blind' }, at(15)).events[0]?.kind, 'input-rejected', 'not to oneself')
  t.end()
})

t.test("a blind transfer's agent who answers is told talking once the shell says so, with her queue; nothing else changes", (t) => {
  const joined = decide(talking(), { kind: 'agent-call-joined', agent: agentId('b'), call: callId('c1'), queue: queueId('q') }, at(10)).state
  const s = decide(joined, { kind: 'call-transferred', agent: agentId('a'), call: callId('c1'), to: agentId('b'), how: 'blind' }, at(11)).state
  const r = decide(s, { kind: 'transfer-answered', agent: agentId('b'), call: callId('c1') }, at(18))
  t.same(r.events, [{ kind: 'transfer-answered', call: 'c1', agent: 'b', queue: 'q' }])
  t.same(r.effects, [])
  t.same(r.state.agents.get(agentId('b')), s.agents.get(agentId('b')), 'on the call since the join: handle time counts from there')
  t.end()
})

t.test('a transfer answered by an agent not on that call is refused and tells no answer', (t) => {
  const s = talking()
  t.same(decide(s, { kind: 'transfer-answered', agent: agentId('b'), call: callId('c1') }, at(18)).events, [{ kind: 'input-rejected', input: 'transfer-answered', code: 'agent-not-on-call' }])
  t.same(decide(s, { kind: 'transfer-answered', agent: agentId('a'), call: callId('c9') }, at(18)).events, [{ kind: 'input-rejected', input: 'transfer-answered', code: 'agent-not-on-call' }])
  t.match(decide(s, { kind: 'transfer-answered', agent: agentId('ghost'), call: callId('c1') }, at(18)).events, [{ kind: 'input-rejected', code: 'agent-unknown' }])
  t.end()
})

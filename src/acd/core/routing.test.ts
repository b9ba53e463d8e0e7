import t from 'tap'
import { seconds } from '../../shared/index.ts'
import { decide } from './decide.ts'
import { nextDeadline } from './deadlines.ts'
import { T0, acd, agent, agentId, at, callQueued, offerOf, play, queue, queueId, rings, tick } from './test-builders.ts'

t.test('a VIP caller is served before a standard caller who has waited longer', (t) => {
  const s0 = acd([queue('q')], [agent('ann', {}, { presence: { kind: 'not-ready', reason: 'lunch', since: T0 } })])
  const { state } = play(s0, [[callQueued('std'), at(1)], [callQueued('vip', { tier: 'gold' }), at(2)]])
  const r = decide(state, { kind: 'agent-went-ready', agent: agentId('ann') }, at(3))
  t.same(rings(r.effects), [{ call: 'vip', agent: 'ann' }])
  t.end()
})

t.test('within a tier the longest waiting caller goes first', (t) => {
  const s0 = acd([queue('q')], [agent('ann', {}, { presence: { kind: 'not-ready', reason: 'lunch', since: T0 } })])
  const { state } = play(s0, [[callQueued('first', { tier: 'silver' }), at(1)], [callQueued('second', { tier: 'silver' }), at(5)]])
  t.same(rings(decide(state, { kind: 'agent-went-ready', agent: agentId('ann') }, at(6)).effects), [{ call: 'first', agent: 'ann' }])
  t.end()
})

t.test('a gold caller goes to the level-3 billing agent, not the longer-idle level-1 agent', (t) => {
  const state = acd([queue('billing')], [
    agent('lin', { billing: 1 }, { queues: ['billing'], idleSince: at(-1200) }),
    agent('mei', { billing: 3 }, { queues: ['billing'], idleSince: at(-60) }),
  ])
  const { effects } = decide(state, callQueued('c1', { queue: 'billing', tier: 'gold', skills: { billing: 1 } }), at(0))
  t.match(effects, [{ kind: 'ring-agent', call: 'c1', agent: 'mei', contact: { kind: 'sip', user: 'mei' }, ringFor: seconds(30), purpose: 'call' }])
  t.equal(effects.length, 1)
  t.end()
})

t.test('a standard caller goes to the agent idle the longest, whatever the levels', (t) => {
  const state = acd([queue('billing')], [
    agent('lin', { billing: 1 }, { queues: ['billing'], idleSince: at(-1200) }),
    agent('mei', { billing: 3 }, { queues: ['billing'], idleSince: at(-60) }),
  ])
  t.same(rings(decide(state, callQueued('c1', { queue: 'billing', skills: { billing: 1 } }), at(0)).effects), [{ call: 'c1', agent: 'lin' }])
  t.end()
})

t.test('an agent below the required level is never offered the caller', (t) => {
  const state = acd([queue('q')], [agent('lin', { billing: 1 })])
  const r = decide(state, callQueued('c1', { skills: { billing: 2 } }), at(0))
  t.same(rings(r.effects), [])
  t.equal(r.state.calls.size, 1)
  t.end()
})

t.test('most-skilled gives even a standard caller the best level, longest idle breaking ties', (t) => {
  const state = acd([queue('q', { strategy: 'most-skilled' })], [
    agent('a', { tv: 2 }, { idleSince: at(-900) }), agent('b', { tv: 4 }, { idleSince: at(-10) }), agent('c', { tv: 4 }, { idleSince: at(-100) }),
  ])
  t.same(rings(decide(state, callQueued('c1', { skills: { tv: 1 } }), at(0)).effects), [{ call: 'c1', agent: 'c' }])
  t.end()
})

t.test('fewest-calls gives the caller to the agent with the fewest calls handled', (t) => {
  const state = acd([queue('q', { strategy: 'fewest-calls' })], [
    agent('a', {}, { callsHandled: 7, idleSince: at(-900) }), agent('b', {}, { callsHandled: 2, idleSince: at(-10) }),
  ])
  t.same(rings(decide(state, callQueued('c1'), at(0)).effects), [{ call: 'c1', agent: 'b' }])
  t.end()
})

t.test('round-robin gives the caller to the agent offered least recently', (t) => {
  const state = acd([queue('q', { strategy: 'round-robin' })], [
    agent('a', {}, { lastOfferAt: at(-30), idleSince: at(-900) }), agent('b', {}, { lastOfferAt: at(-300), idleSince: at(-10) }),
  ])
  t.same(rings(decide(state, callQueued('c1'), at(0)).effects), [{ call: 'c1', agent: 'b' }])
  t.end()
})

t.test('relaxation happens at the exact second of the step, not a millisecond earlier', (t) => {
  const q = queue('q', { escalation: [{ after: seconds(30), action: { kind: 'relax-skills', by: 2 } }] })
  const s0 = play(acd([q], [agent('lin', { billing: 2 })]), [[callQueued('c1', { skills: { billing: 4 } }), at(0)]]).state
  t.equal(nextDeadline(s0), at(30))
  t.same(rings(decide(s0, tick, at(30) - 1).effects), [])
  const r = decide(s0, tick, at(30))
  t.same(rings(r.effects), [{ call: 'c1', agent: 'lin' }])
  t.ok(r.events.some((e) => e.kind === 'call-escalated' && e.step === 1))
  t.end()
})

t.test('widening lets any agent of the queue take the caller, skills or not', (t) => {
  const q = queue('q', { escalation: [{ after: seconds(20), action: { kind: 'widen' } }] })
  const s0 = play(acd([q], [agent('lin', {})]), [[callQueued('c1', { skills: { french: 3 } }), at(0)]]).state
  t.same(rings(decide(s0, tick, at(19)).effects), [])
  t.same(rings(decide(s0, tick, at(20)).effects), [{ call: 'c1', agent: 'lin' }])
  t.end()
})

t.test('overflow moves the caller to the other queue at the exact second, keeping its place', (t) => {
  const sales = queue('sales', { escalation: [{ after: seconds(60), action: { kind: 'overflow', to: queueId('general') } }] })
  const general = queue('general')
  const s0 = play(acd([sales, general], [agent('gus', {}, { queues: ['general'], presence: { kind: 'not-ready', reason: 'x', since: T0 } })]), [
    [callQueued('c1', { queue: 'sales' }), at(0)],
    [callQueued('g1', { queue: 'general' }), at(10)],
  ]).state
  t.same(decide(s0, tick, at(59)).effects, [])
  const r = decide(s0, tick, at(60))
  t.same(r.effects, [{ kind: 'move-call', call: 'c1', queue: 'general' }])
  t.ok(r.events.some((e) => e.kind === 'call-overflowed' && e.from === 'sales' && e.to === 'general'))
  // c1 entered the ACD at 0 s, before g1 at 10 s: it is ahead in the new queue too.
  t.same(rings(decide(r.state, { kind: 'agent-went-ready', agent: agentId('gus') }, at(61)).effects), [{ call: 'c1', agent: 'gus' }])
  t.end()
})

t.test('at the maximum wait the caller leaves by the configured exit', (t) => {
  const q = queue('q', { maxWait: { after: seconds(300), exit: { kind: 'message', sound: 'closed.wav' } } })
  const s0 = play(acd([q]), [[callQueued('c1'), at(0)]]).state
  t.same(decide(s0, tick, at(299)).effects, [])
  const r = decide(s0, tick, at(300))
  t.same(r.effects, [{ kind: 'exit-queue', call: 'c1', exit: { kind: 'message', sound: 'closed.wav' } }])
  t.equal(r.state.calls.size, 0)
  t.equal(nextDeadline(r.state), undefined)
  t.end()
})

t.test('a maximum wait with a callback exit turns the caller into a callback, or plays the message if the number is withheld', (t) => {
  const q = queue('q', { maxWait: { after: seconds(60), exit: { kind: 'callback', otherwise: 'sorry.wav' } } })
  const s0 = play(acd([q]), [[callQueued('known', { callerNumber: '5551234' }), at(0)], [callQueued('hidden'), at(1)]]).state
  const r = play(s0, [[tick, at(61)]])
  t.same(r.effects, [
    { kind: 'exit-queue', call: 'known', exit: { kind: 'callback-confirmed', number: '5551234' } },
    { kind: 'exit-queue', call: 'hidden', exit: { kind: 'message', sound: 'sorry.wav' } },
  ])
  t.equal(r.state.calls.size, 1)
  t.end()
})

t.test('announcements tell the caller its position and an estimated wait from live data', (t) => {
  const q = queue('q', { announceEvery: seconds(45), defaultHandleTime: seconds(120) })
  const busy = agent('ann', {}, { presence: { kind: 'not-ready', reason: 'x', since: T0 } })
  const s0 = play(acd([q], [busy]), [
    [{ kind: 'agent-went-ready', agent: agentId('ann') }, at(0)],
    [callQueued('c1'), at(1)],
    [callQueued('c2'), at(2)],
  ]).state
  // ann rings for c1; c2 waits at position 2. One staffed agent, AHT 120 s → 2 × 120 / 1 = 240 s.
  t.equal(nextDeadline(s0), at(31)) // c1's ring timeout comes first
  const r = play(s0, [[{ kind: 'offer-failed', offer: offerOf(s0, 'ann'), cause: 'busy' }, at(3)], [tick, at(47)]])
  const said = r.effects.filter((e) => e.kind === 'play-announcement')
  t.same(said, [
    { kind: 'play-announcement', call: 'c1', position: 1, estimatedWaitSeconds: 120 },
    { kind: 'play-announcement', call: 'c2', position: 2, estimatedWaitSeconds: 240 },
  ])
  t.end()
})

t.test('an unknown queue or agent is rejected with a stable code and changes nothing', (t) => {
  const s0 = acd([queue('q')])
  const r1 = decide(s0, callQueued('c1', { queue: 'nope' }), at(0))
  t.same(r1.events, [{ kind: 'input-rejected', input: 'call-queued', code: 'queue-unknown' }])
  t.equal(r1.state.calls.size, 0)
  const r2 = decide(s0, { kind: 'agent-went-ready', agent: agentId('ghost') }, at(0))
  t.same(r2.events, [{ kind: 'input-rejected', input: 'agent-went-ready', code: 'agent-unknown' }])
  t.end()
})

t.test('a queued caller is told waiting, with tier and place in line, before any offer', (t) => {
  const s0 = acd([queue('q')], [agent('ann', {}, { presence: { kind: 'not-ready', reason: 'lunch', since: T0 } })])
  const { state } = play(s0, [[callQueued('std'), at(1)]])
  const gold = decide(state, callQueued('vip', { tier: 'gold' }), at(2))
  t.same(gold.events.filter((e) => e.kind === 'call-waiting'), [{ kind: 'call-waiting', call: 'vip', queue: 'q', tier: 'gold', position: 1 }], 'gold goes ahead of the standard caller')
  const ready = acd([queue('q')], [agent('ann')])
  const kinds = decide(ready, callQueued('c1', { tier: 'silver' }), at(0)).events.map((e) => e.kind)
  t.ok(kinds.includes('call-offered') && kinds.indexOf('call-waiting') < kinds.indexOf('call-offered'), `waiting first, then the offer the screen-pop follows: ${kinds.join(', ')}`)
  t.same(decide(gold.state, callQueued('vip', { tier: 'gold' }), at(3)).events, [], 'a repeated enqueue tells nothing')
  t.end()
})

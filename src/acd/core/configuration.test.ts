import t from 'tap'
import { seconds } from '../../shared/index.ts'
import { configureQueue, removeAgent, removeQueue } from './configuration.ts'
import { decide } from './decide.ts'
import { T0, acd, activityOf, agent, agentId, at, callId, callQueued, queue, queueId, rings, tick } from './test-builders.ts'

t.test('a queue added while running takes callers and rings its agents who are already ready', (t) => {
  const s = configureQueue(acd([queue('q')], [agent('lin', {}, { queues: ['q', 'new'] })]), queue('new'))
  const r = decide(s, callQueued('c1', { queue: 'new' }), at(1))
  t.same(rings(r.effects), [{ call: 'c1', agent: 'lin' }])
  t.end()
})

t.test('a queue switched to fewest-calls orders its available agents by calls handled', (t) => {
  const agents = [agent('busy', {}, { idleSince: T0 - seconds(60), callsHandled: 9 }), agent('fresh', {}, { idleSince: T0, callsHandled: 0 })]
  const before = decide(acd([queue('q')], agents), callQueued('c1'), at(1))
  t.same(rings(before.effects), [{ call: 'c1', agent: 'busy' }], 'longest idle first')
  const after = decide(configureQueue(acd([queue('q')], agents), queue('q', { strategy: 'fewest-calls' })), callQueued('c1'), at(1))
  t.same(rings(after.effects), [{ call: 'c1', agent: 'fresh' }], 'fewest calls first')
  t.end()
})

t.test('a queue with a caller waiting cannot be removed; an empty one can', (t) => {
  const s = acd([queue('q'), queue('spare')])
  const waiting = decide(s, callQueued('c1'), at(1)).state
  t.equal(removeQueue(waiting, queueId('q')), undefined)
  t.notOk(removeQueue(waiting, queueId('spare'))?.queues.has(queueId('spare')))
  t.end()
})

t.test('a ringing agent cannot be removed; an idle one leaves every index', (t) => {
  const s = decide(acd([queue('q')], [agent('lin')]), callQueued('c1'), at(1)).state
  t.equal(removeAgent(s, agentId('lin')), undefined)
  const idle = removeAgent(acd([queue('q')], [agent('mei')]), agentId('mei'))!
  t.equal(idle.agents.get(agentId('mei')), undefined)
  t.same(rings(decide(idle, callQueued('c2'), at(1)).effects), [], 'nobody left to ring')
  t.end()
})

t.test('an agent restored on a call after a restart is not offered another caller until the call ends', (t) => {
  let s = acd([queue('q', { wrapUp: seconds(10) })], [agent('lin')])
  s = decide(s, { kind: 'agent-call-restored', agent: agentId('lin'), call: callId('old'), queue: queueId('q'), since: at(0) }, at(1)).state
  t.equal(activityOf(s, 'lin'), 'on-call')
  const r = decide(s, callQueued('c1'), at(2))
  t.same(rings(r.effects), [])
  s = decide(r.state, { kind: 'agent-call-ended', agent: agentId('lin'), call: callId('old') }, at(30)).state
  t.equal(activityOf(s, 'lin'), 'wrap-up')
  const next = decide(s, tick, at(40))
  t.same(rings(next.effects), [{ call: 'c1', agent: 'lin' }])
  t.end()
})

t.test('restoring a call for an agent the core had ringing cancels that ring and re-queues its caller', (t) => {
  let s = acd([queue('q')], [agent('lin')])
  s = decide(s, callQueued('c1'), at(1)).state
  const r = decide(s, { kind: 'agent-call-restored', agent: agentId('lin'), call: callId('other'), queue: queueId('q'), since: at(0) }, at(2))
  t.match(r.effects, [{ kind: 'cancel-ring', agent: 'lin' }])
  t.equal(activityOf(r.state, 'lin'), 'on-call')
  t.equal(r.state.calls.get(callId('c1'))?.phase.kind, 'waiting')
  t.end()
})

import t from 'tap'
import { seconds } from '../../shared/index.ts'
import { decide } from './decide.ts'
import { nextDeadline } from './deadlines.ts'
import type { AcdState } from './state.ts'
import type { AcdInput } from './messages.ts'
import { T0, acd, activityOf, agent, agentId, at, callId, callQueued, offerOf, play, queue, tick } from './test-builders.ts'

const notReady = { presence: { kind: 'not-ready', reason: 'lunch', since: T0 } } as const
const cb = { maxAttempts: 2, retryDelay: seconds(120) }

/** Three callers waiting, nobody to take them; the first asks for a callback. */
function threeWaitingFirstCallsBack(): AcdState {
  const s0 = acd([queue('q', { callback: cb })], [agent('ann', {}, notReady)])
  return play(s0, [
    [callQueued('first'), at(0)],
    [callQueued('second'), at(10)],
    [callQueued('third'), at(20)],
    [{ kind: 'callback-requested', call: callId('first'), number: '5550001' }, at(30)],
  ]).state
}

t.test('a callback keeps the caller\'s place: the freed agent is connected to it first', (t) => {
  const s = threeWaitingFirstCallsBack()
  const r = decide(s, { kind: 'agent-went-ready', agent: agentId('ann') }, at(40))
  t.match(r.effects, [{ kind: 'ring-agent', call: 'first', agent: 'ann', purpose: 'callback' }])
  t.end()
})

t.test('requesting a callback confirms it to the caller, whose leg then leaves the line', (t) => {
  const s0 = acd([queue('q')])
  const s = decide(s0, callQueued('c1', { callerNumber: '5551111' }), at(0)).state
  const r = decide(s, { kind: 'callback-requested', call: callId('c1') }, at(5))
  t.same(r.effects, [{ kind: 'exit-queue', call: 'c1', exit: { kind: 'callback-confirmed', number: '5551111' } }])
  t.match(r.events, [{ kind: 'callback-scheduled', call: 'c1', number: '5551111' }])
  t.equal(decide(r.state, { kind: 'call-abandoned', call: callId('c1') }, at(6)).state.calls.size, 1, 'the hangup that follows does not drop the callback')
  t.end()
})

t.test('the agent answers first, then the customer is dialled; an answered callback is finished', (t) => {
  let s = decide(threeWaitingFirstCallsBack(), { kind: 'agent-went-ready', agent: agentId('ann') }, at(40)).state
  const r1 = decide(s, { kind: 'offer-answered', offer: offerOf(s, 'ann') }, at(42))
  t.same(r1.effects, [{ kind: 'dial-callback', call: 'first', agent: 'ann', number: '5550001', attempt: 1 }])
  s = r1.state
  const r2 = decide(s, { kind: 'callback-outcome', call: callId('first'), outcome: 'answered' }, at(50))
  t.match(r2.events, [{ kind: 'callback-finished', call: 'first', outcome: 'answered', attempts: 1 }])
  t.equal(activityOf(r2.state, 'ann'), 'on-call')
  t.equal(r2.state.calls.has(callId('first')), false)
  t.end()
})

t.test('an unanswered callback is retried later from the same place, and given up after the last attempt', (t) => {
  let s = decide(threeWaitingFirstCallsBack(), { kind: 'agent-went-ready', agent: agentId('ann') }, at(40)).state
  s = decide(s, { kind: 'offer-answered', offer: offerOf(s, 'ann') }, at(42)).state
  const miss = decide(s, { kind: 'callback-outcome', call: callId('first'), outcome: 'no-answer' }, at(60))
  // The agent is released and takes the next caller while the callback waits for its retry.
  t.match(miss.effects, [{ kind: 'release-agent', agent: 'ann', call: 'first' }, { kind: 'ring-agent', call: 'second', agent: 'ann' }])
  s = decide(miss.state, { kind: 'offer-answered', offer: offerOf(miss.state, 'ann') }, at(62)).state
  s = decide(s, { kind: 'agent-call-ended', agent: agentId('ann'), call: callId('second') }, at(100)).state
  s = decide(s, tick, at(110)).state // wrap-up over; only third is dispatchable
  t.equal(s.calls.get(callId('third'))?.phase.kind, 'offered')
  s = decide(s, { kind: 'offer-answered', offer: offerOf(s, 'ann') }, at(111)).state
  s = decide(s, { kind: 'agent-call-ended', agent: agentId('ann'), call: callId('third') }, at(150)).state
  t.equal(nextDeadline(s), at(160))
  s = decide(s, tick, at(160)).state // wrap-up over; retry not due until 180
  t.equal(activityOf(s, 'ann'), 'idle')
  const retry = decide(s, tick, at(180))
  t.match(retry.effects, [{ kind: 'ring-agent', call: 'first', agent: 'ann', purpose: 'callback' }])
  s = decide(retry.state, { kind: 'offer-answered', offer: offerOf(retry.state, 'ann') }, at(182)).state
  const last = decide(s, { kind: 'callback-outcome', call: callId('first'), outcome: 'busy' }, at(190))
  t.match(last.events.filter((e) => e.kind === 'callback-finished'), [{ call: 'first', outcome: 'busy', attempts: 2 }])
  t.equal(activityOf(last.state, 'ann'), 'idle', 'the agent is released')
  t.equal(last.state.calls.size, 0)
  t.end()
})

const keyQueue = (o = {}) => queue('q', { callbackKey: '1', announceEvery: seconds(30), ...o })
const pressed = (call: string, digit: string) => ({ kind: 'caller-pressed' as const, call: callId(call), digit })

t.test('a waiting caller who presses the queue\'s callback key becomes a callback to their own number, keeping the place', (t) => {
  const s = decide(acd([keyQueue()]), callQueued('c1', { callerNumber: '13800000001' }), at(0)).state
  const r = decide(s, pressed('c1', '1'), at(12))
  t.same(r.effects, [{ kind: 'exit-queue', call: 'c1', exit: { kind: 'callback-confirmed', number: '13800000001' } }])
  t.match(r.events, [{ kind: 'callback-scheduled', call: 'c1', number: '13800000001' }])
  t.equal(r.state.calls.get(callId('c1'))?.enqueuedAt, at(0), 'same place')
  t.end()
})

t.test('another key, a queue without a callback key, or a withheld number: the key changes nothing', (t) => {
  const s = decide(acd([keyQueue()]), callQueued('c1', { callerNumber: '13800000001' }), at(0)).state
  t.same(decide(s, pressed('c1', '2'), at(5)).effects, [], 'not the callback key')
  const none = decide(acd([queue('q')]), callQueued('c1', { callerNumber: '13800000001' }), at(0)).state
  t.same(decide(none, pressed('c1', '1'), at(5)).effects, [], 'no key configured')
  const withheld = decide(acd([keyQueue()]), callQueued('c1'), at(0)).state
  t.same(decide(withheld, pressed('c1', '1'), at(5)).effects, [], 'nobody to call back')
  t.same(decide(s, pressed('nobody', '1'), at(5)).effects, [], 'an unknown call')
  t.end()
})

t.test('the key while an agent rings cancels the ring: the caller asked to hang up', (t) => {
  const s0 = acd([keyQueue()], [agent('ann')])
  const s = decide(s0, callQueued('c1', { callerNumber: '13800000001' }), at(0)).state
  t.equal(activityOf(s, 'ann'), 'ringing')
  const r = decide(s, pressed('c1', '1'), at(3))
  t.match(r.effects, [{ kind: 'cancel-ring', agent: 'ann', reason: 'callback-requested' }, { kind: 'exit-queue', exit: { kind: 'callback-confirmed' } }])
  t.end()
})

t.test('the announcement offers the callback key only to a caller whose number is known', (t) => {
  const known = decide(acd([keyQueue()], [agent('ann', {}, notReady)]), callQueued('c1', { callerNumber: '13800000001' }), at(0)).state
  t.match(decide(known, tick, at(30)).effects, [{ kind: 'play-announcement', call: 'c1', position: 1, callbackKey: '1' }])
  const withheld = decide(acd([keyQueue()], [agent('ann', {}, notReady)]), callQueued('c1'), at(0)).state
  const [e] = decide(withheld, tick, at(30)).effects
  t.equal(e?.kind === 'play-announcement' && 'callbackKey' in e, false)
  t.end()
})

t.test('a caller queued as a callback (the IVR\'s callback node) is one at once; with a withheld number it waits instead', (t) => {
  const r = decide(acd([queue('q')]), { ...callQueued('c1', { callerNumber: '13800000001' }), callback: true } as AcdInput, at(0))
  t.same(r.effects, [{ kind: 'exit-queue', call: 'c1', exit: { kind: 'callback-confirmed', number: '13800000001' } }])
  t.match(r.state.calls.get(callId('c1')), { callback: { number: '13800000001', attempts: 0 } })
  const withheld = decide(acd([queue('q')]), { ...callQueued('c2'), callback: true } as AcdInput, at(0))
  t.same(withheld.effects, [])
  t.equal(withheld.state.calls.get(callId('c2'))?.callback, undefined, 'waits in the line')
  t.end()
})

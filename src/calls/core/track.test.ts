import t from 'tap'
import { channelUuid, type ChannelUuid } from '../../shared/index.ts'
import { emptyCalls, track, type CallEffect, type CallEvent, type CallsState, type ChannelFact } from './index.ts'

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0)
const caller = channelUuid('cust-1')
const agent = channelUuid('agent-1')

function run(facts: ChannelFact[], state: CallsState = emptyCalls()) {
  const events: CallEvent[] = []
  const effects: CallEffect[] = []
  let s = state
  facts.forEach((f, i) => {
    const r = track(s, f, T0 + i * 1000)
    s = r.state
    events.push(...r.events)
    effects.push(...r.effects)
  })
  return { state: s, events, effects }
}

const parked = (leg: ChannelUuid, vars: Record<string, string>, answered = false): ChannelFact => ({
  kind: 'parked', leg, name: 'loopback/96200-b', answered, caller: { number: '13800000001', name: 'Li Lei' }, destination: '96200', vars,
})

t.test('a parked channel with hotline_entry is a new call, and its id is stamped on the channel', (t) => {
  const { events, effects } = run([parked(caller, { hotline_entry: '96200', hotline_region: 'nanjing' })])
  t.equal(events.length, 1)
  const ev = events[0]!
  t.equal(ev.type, 'call-arrived')
  if (ev.type === 'call-arrived') {
    t.equal(ev.call.entry, '96200')
    t.equal(ev.call.region, 'nanjing')
    t.equal(ev.call.caller.number, '13800000001')
    t.equal(ev.recovered, false)
  }
  t.same(effects, [{ type: 'stamp-call-id', leg: caller, callId: 'cust-1' }])
  t.end()
})

t.test('a parked channel without hotline_entry is not a call', (t) => {
  t.same(run([parked(caller, {})]).events, [])
  t.end()
})

t.test('a channel already carrying hotline_call_id is recovered under that id, not re-stamped', (t) => {
  const { events, effects } = run([parked(caller, { hotline_entry: '96200', hotline_call_id: 'c-77', hotline_arrived_at: String(T0 - 30_000) }, true)])
  const ev = events[0]!
  t.equal(ev.type, 'call-arrived')
  if (ev.type === 'call-arrived') {
    t.equal(ev.call.id, 'c-77')
    t.equal(ev.recovered, true)
    t.equal(ev.call.arrivedAt, T0 - 30_000, 'the wait is counted from the first arrival')
  }
  t.same(effects, [])
  t.end()
})

t.test('caller reaches an agent: answered, bridged, agent hangs up, caller re-parks, then ends', (t) => {
  const { events } = run([
    parked(caller, { hotline_entry: '96200' }),
    { kind: 'answered', leg: caller, vars: {} },
    { kind: 'created', leg: agent, name: 'sofia/internal/1005', vars: { hotline_offer_id: 'o1', hotline_call_id: 'cust-1' } },
    { kind: 'answered', leg: agent, vars: {} },
    { kind: 'parked', leg: agent, name: 'sofia/internal/1005', answered: true, caller: { number: '', name: '' }, destination: '', vars: { hotline_offer_id: 'o1' } },
    { kind: 'bridged', a: caller, b: agent },
    { kind: 'unbridged', a: caller, b: agent },
    { kind: 'hungup', leg: agent, cause: 'NORMAL_CLEARING', vars: {} },
    parked(caller, { hotline_entry: '96200', hotline_call_id: 'cust-1' }, true),
    { kind: 'hungup', leg: caller, cause: 'NORMAL_CLEARING', vars: {} },
  ])
  t.same(events.map((e) => e.type), [
    'call-arrived', 'call-answered', 'agent-leg-answered', 'call-bridged', 'call-unbridged', 'agent-leg-ended', 'customer-reparked', 'call-ended',
  ])
  const end = events.at(-1)!
  if (end.type === 'call-ended') {
    t.equal(end.call.ended?.cause, 'NORMAL_CLEARING')
    t.equal(end.call.agentLeg, agent)
    t.equal(end.call.answeredAt, T0 + 1000)
  }
  t.end()
})

t.test('a caller who hangs up in the first second still ends the call exactly once', (t) => {
  const { events, state } = run([
    parked(caller, { hotline_entry: '96200' }),
    { kind: 'hungup', leg: caller, cause: 'ORIGINATOR_CANCEL', vars: {} },
    { kind: 'hungup', leg: caller, cause: 'ORIGINATOR_CANCEL', vars: {} },
  ])
  t.same(events.map((e) => e.type), ['call-arrived', 'call-ended'])
  t.equal(state.calls.size, 0)
  t.equal(state.legs.size, 0)
  t.end()
})

t.test('an agent leg that fails before answer reports its offer and cause', (t) => {
  const { events } = run([
    { kind: 'created', leg: agent, name: 'sofia/internal/1004', vars: { hotline_offer_id: 'o9' } },
    { kind: 'hungup', leg: agent, cause: 'NO_ANSWER', vars: {} },
  ])
  t.same(events, [{ type: 'agent-leg-ended', offerId: 'o9', leg: agent, cause: 'NO_ANSWER', callId: undefined }])
  t.end()
})

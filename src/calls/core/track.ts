/**
 * The pure call tracker: channel facts in, call events out. FreeSWITCH is the truth for channels,
 * Hotline for calls (ARCHITECTURE principle 3): a customer call is a parked channel carrying
 * `hotline_entry` (set by our dialplan); an agent leg is a channel carrying `hotline_offer_id`
 * (set in the originate's {vars}). A stale or foreign fact is a no-op.
 */
import { callId as toCallId, offerId as toOfferId, type Instant } from '../../shared/index.ts'
import type { Call, CallEffect, CallsState, ChannelFact, HotlineVars, Leg, TrackResult } from './model.ts'

export function track(state: CallsState, fact: ChannelFact, now: Instant): TrackResult {
  switch (fact.kind) {
    case 'created':
      return created(state, fact)
    case 'parked':
      return parked(state, fact, now)
    case 'answered':
      return answered(state, fact, now)
    case 'bridged':
      return bridged(state, fact)
    case 'unbridged':
      return unbridged(state, fact)
    case 'hungup':
      return hungup(state, fact, now)
    case 'pressed': {
      const leg = state.legs.get(fact.leg)
      if (leg?.role !== 'customer' || !leg.callId) return nothing(state)
      return { state, events: [{ type: 'caller-pressed', callId: leg.callId, digit: fact.digit }], effects: [] }
    }
  }
}

const nothing = (state: CallsState): TrackResult => ({ state, events: [], effects: [] })

function agentLeg(uuid: Leg['uuid'], name: string, vars: HotlineVars): Leg | undefined {
  const offer = vars['hotline_offer_id']
  if (!offer) return undefined
  const call = vars['hotline_call_id']
  return { uuid, name, role: 'agent', callId: call ? toCallId(call) : undefined, offerId: toOfferId(offer), answered: false, parked: false, bridgedTo: undefined }
}

function created(state: CallsState, f: Extract<ChannelFact, { kind: 'created' }>): TrackResult {
  if (state.legs.has(f.leg)) return nothing(state)
  const leg = agentLeg(f.leg, f.name, f.vars)
  return leg ? { state: withLeg(state, leg), events: [], effects: [] } : nothing(state)
}

function parked(state: CallsState, f: Extract<ChannelFact, { kind: 'parked' }>, now: Instant): TrackResult {
  const known = state.legs.get(f.leg)
  if (known) {
    const leg: Leg = { ...known, parked: true, bridgedTo: undefined, answered: known.answered || f.answered }
    const s = withLeg(state, leg)
    if (known.role === 'agent' && known.offerId) {
      // First park of an originated agent leg is the `&park()` after answer; a later one is
      // park_after_bridge keeping the agent's phone up for wrap-up (fact 12).
      return known.parked || known.bridgedTo ? { state: s, events: [{ type: 'agent-leg-reparked', offerId: known.offerId, leg: f.leg }], effects: [] } : { state: s, events: [], effects: [] }
    }
    if (known.role === 'customer' && known.callId) return { state: s, events: [{ type: 'customer-reparked', callId: known.callId, leg: f.leg }], effects: [] }
    return { state: s, events: [], effects: [] }
  }
  const asAgent = agentLeg(f.leg, f.name, f.vars)
  if (asAgent) return { state: withLeg(state, { ...asAgent, parked: true, answered: f.answered }), events: [], effects: [] }
  const entry = f.vars['hotline_entry']
  if (!entry) return nothing(state)
  return arrived(state, f, entry, now)
}

function arrived(state: CallsState, f: Extract<ChannelFact, { kind: 'parked' }>, entry: string, now: Instant): TrackResult {
  const stamped = f.vars['hotline_call_id']
  // The customer leg's uuid is unique and stable, so it makes a fine call id; once stamped on the
  // channel it survives transfers, a Hotline restart and an ESL reconnect.
  const id = toCallId(stamped ?? f.leg)
  const since = Number(f.vars['hotline_arrived_at'])
  const call: Call = {
    id,
    customerLeg: f.leg,
    entry,
    did: f.vars['hotline_did'] ?? f.destination,
    region: f.vars['hotline_region'],
    caller: f.caller,
    arrivedAt: Number.isFinite(since) && since > 0 ? since : now,
    answeredAt: f.answered ? now : undefined,
    agentLeg: undefined,
    ended: undefined,
    vars: f.vars,
  }
  const leg: Leg = { uuid: f.leg, name: f.name, role: 'customer', callId: id, offerId: undefined, answered: f.answered, parked: true, bridgedTo: undefined }
  const calls = new Map(state.calls).set(id, call)
  const effects: CallEffect[] = stamped ? [] : [{ type: 'stamp-call-id', leg: f.leg, callId: id }]
  return { state: { legs: new Map(state.legs).set(f.leg, leg), calls }, events: [{ type: 'call-arrived', call, recovered: stamped !== undefined }], effects }
}

function answered(state: CallsState, f: Extract<ChannelFact, { kind: 'answered' }>, now: Instant): TrackResult {
  const leg = state.legs.get(f.leg)
  if (!leg || leg.answered) return nothing(state)
  const s = withLeg(state, { ...leg, answered: true })
  if (leg.role === 'agent' && leg.offerId) return { state: s, events: [{ type: 'agent-leg-answered', offerId: leg.offerId, leg: f.leg, callId: leg.callId }], effects: [] }
  const call = leg.callId ? state.calls.get(leg.callId) : undefined
  if (!call) return { state: s, events: [], effects: [] }
  return { state: withCall(s, { ...call, answeredAt: call.answeredAt ?? now }), events: [{ type: 'call-answered', callId: call.id }], effects: [] }
}

function bridged(state: CallsState, f: Extract<ChannelFact, { kind: 'bridged' }>): TrackResult {
  const a = state.legs.get(f.a)
  const b = state.legs.get(f.b)
  // uuid_bridge fires one CHANNEL_BRIDGE on the first uuid's channel (fact 10); either order works here.
  const customer = a?.role === 'customer' ? a : b?.role === 'customer' ? b : undefined
  const agentUuid = customer === a ? f.b : f.a
  const agent = state.legs.get(agentUuid)
  if (!customer?.callId) return nothing(state)
  let s = withLeg(state, { ...customer, parked: false, bridgedTo: agentUuid })
  if (agent) s = withLeg(s, { ...agent, parked: false, bridgedTo: customer.uuid, callId: agent.callId ?? customer.callId })
  const call = s.calls.get(customer.callId)
  if (call) s = withCall(s, { ...call, agentLeg: agentUuid })
  return { state: s, events: [{ type: 'call-bridged', callId: customer.callId, customerLeg: customer.uuid, agentLeg: agentUuid }], effects: [] }
}

function unbridged(state: CallsState, f: Extract<ChannelFact, { kind: 'unbridged' }>): TrackResult {
  const a = state.legs.get(f.a)
  const customer = a?.role === 'customer' ? a : f.b ? state.legs.get(f.b) : undefined
  if (customer?.role !== 'customer' || !customer.callId || !customer.bridgedTo) return nothing(state)
  const agentUuid = customer.bridgedTo
  let s = withLeg(state, { ...customer, bridgedTo: undefined })
  const agent = s.legs.get(agentUuid)
  if (agent) s = withLeg(s, { ...agent, bridgedTo: undefined })
  return { state: s, events: [{ type: 'call-unbridged', callId: customer.callId, customerLeg: customer.uuid, agentLeg: agentUuid }], effects: [] }
}

function hungup(state: CallsState, f: Extract<ChannelFact, { kind: 'hungup' }>, now: Instant): TrackResult {
  const leg = state.legs.get(f.leg)
  if (!leg) return nothing(state)
  const legs = new Map(state.legs)
  legs.delete(f.leg)
  if (leg.role === 'agent' && leg.offerId) {
    return { state: { ...state, legs }, events: [{ type: 'agent-leg-ended', offerId: leg.offerId, leg: f.leg, cause: f.cause, callId: leg.callId }], effects: [] }
  }
  const call = leg.callId ? state.calls.get(leg.callId) : undefined
  if (!call || call.ended) return { state: { ...state, legs }, events: [], effects: [] }
  const ended: Call = { ...call, ended: { at: now, cause: f.cause } }
  const calls = new Map(state.calls)
  calls.delete(call.id)
  return { state: { legs, calls }, events: [{ type: 'call-ended', call: ended }], effects: [] }
}

function withLeg(state: CallsState, leg: Leg): CallsState {
  return { ...state, legs: new Map(state.legs).set(leg.uuid, leg) }
}

function withCall(state: CallsState, call: Call): CallsState {
  return { ...state, calls: new Map(state.calls).set(call.id, call) }
}

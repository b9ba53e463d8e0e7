/** An offer's end: answered, failed, timed out, or cancelled. Stale results are no-ops. */
import { assertNever, type OfferId } from '../../shared/index.ts'
import type { CancelReason } from './messages.ts'
import type { Agent, NoAnswerPolicy, Offer, OfferFailure } from './model.ts'
import { catchUp } from './waiting.ts'
import type { Draft } from './state.ts'

/** The not-ready reason the ACD itself gives an agent whose desk phone cannot be reached. */
export const PHONE_UNREACHABLE = 'phone-unreachable'

const idleAgain = (a: Agent, since: number): Agent => ({ ...a, activity: { kind: 'idle', since } })

function rest(agent: Agent, now: number, delay: number): Agent {
  return delay > 0 ? { ...agent, activity: { kind: 'resting', until: now + delay, since: now } } : idleAgain(agent, now)
}

/** mod_callcenter's delays: busy / rejected / unanswered offers rest the agent; N misses → not ready. */
export function afterOfferFailed(agent: Agent, cause: OfferFailure, now: number, p: NoAnswerPolicy): Agent {
  switch (cause) {
    case 'busy':
      return rest(agent, now, p.busyDelay)
    case 'rejected':
      return rest(agent, now, p.rejectDelay)
    case 'unreachable':
      // A desk phone the switch cannot reach (SUBSCRIBER_ABSENT, USER_NOT_REGISTERED …) fails every
      // offer at once: resting and retrying would cost each waiting caller a failed offer every
      // unreachableDelay. Like mod_callcenter's "too many failures → On Break", the agent goes
      // not-ready with a system reason, and the phone registering again brings it back
      // (presence.ts register). A remote (PSTN) agent has no registration to wait for: it rests.
      if (agent.contact.kind === 'pstn') return rest(agent, now, p.unreachableDelay)
      return { ...idleAgain(agent, now), presence: { kind: 'not-ready', reason: PHONE_UNREACHABLE, since: now } }
    case 'lost':
      // No fault of the agent's that we know of: as before the ring, with its idle place.
      return agent.activity.kind === 'ringing' ? idleAgain(agent, agent.activity.idleSince) : idleAgain(agent, now)
    case 'no-answer': {
      const missed = agent.missedInARow + 1
      if (missed < p.maxNoAnswer) return { ...rest(agent, now, p.noAnswerDelay), missedInARow: missed }
      return { ...idleAgain(agent, now), missedInARow: 0, presence: { kind: 'not-ready', reason: 'missed-calls', since: now } }
    }
    default:
      return assertNever(cause)
  }
}

/** Forget the offer; a caller left with no offer is waiting again and catches up on its deadlines. */
function release(d: Draft, o: Offer): void {
  d.offers = d.offers.delete(o.id)
  const call = d.calls.get(o.call)
  if (!call || call.phase.kind !== 'offered') return
  const offers = call.phase.offers.filter((id) => id !== o.id)
  if (offers.length > 0) d.putCall({ ...call, phase: { kind: 'offered', offers } }, false)
  else catchUp(d, { ...call, phase: { kind: 'waiting' } }, true)
}

/** Stop a ring through no fault of the agent: the agent gets its idle place back. */
export function cancelOffer(d: Draft, id: OfferId, reason: CancelReason, agentAfter?: (a: Agent) => Agent): void {
  const o = d.offers.get(id)
  if (!o) return
  const a = d.agents.get(o.agent)
  if (a && a.activity.kind === 'ringing' && a.activity.offer === id) {
    const idle = idleAgain(a, a.activity.idleSince)
    d.putAgent(agentAfter ? agentAfter(idle) : idle)
  }
  d.effects.push({ kind: 'cancel-ring', offer: id, agent: o.agent, reason })
  d.events.push({ kind: 'offer-cancelled', offer: id, call: o.call, agent: o.agent, reason })
  release(d, o)
}

export function failOffer(d: Draft, id: OfferId, cause: OfferFailure): void {
  const o = d.offers.get(id)
  const a = o && d.agents.get(o.agent)
  if (!o || !a || a.activity.kind !== 'ringing' || a.activity.offer !== id) return
  const policy = d.queues.get(o.queue)?.noAnswer
  d.putAgent(policy ? afterOfferFailed(a, cause, d.now, policy) : idleAgain(a, d.now))
  d.events.push({ kind: 'offer-missed', offer: id, call: o.call, agent: o.agent, cause })
  release(d, o)
}

/** Ring timeout: the core is authoritative, so it cancels the leg itself and counts a no-answer. */
export function expireOffer(d: Draft, id: OfferId): void {
  const o = d.offers.get(id)
  if (!o) return
  d.effects.push({ kind: 'cancel-ring', offer: id, agent: o.agent, reason: 'ring-timeout' })
  failOffer(d, id, 'no-answer')
}

export function answerOffer(d: Draft, id: OfferId): void {
  const o = d.offers.get(id)
  const a = o && d.agents.get(o.agent)
  const call = o && d.calls.get(o.call)
  if (!o || !a || !call || a.activity.kind !== 'ringing' || a.activity.offer !== id) return
  // Ring-all: the first answer wins; the other legs are cancelled before anything else happens.
  if (call.phase.kind === 'offered') {
    for (const other of call.phase.offers) if (other !== id) cancelOffer(d, other, 'answered-elsewhere')
  }
  d.offers = d.offers.delete(id)
  d.putAgent({ ...a, missedInARow: 0, activity: { kind: 'on-call', call: call.id, queue: call.queue, since: d.now } })
  if (call.callback) {
    const attempt = call.callback.attempts + 1
    d.putCall({ ...call, phase: { kind: 'connecting', agent: a.id, since: d.now }, callback: { ...call.callback, attempts: attempt } }, false)
    d.effects.push({ kind: 'dial-callback', call: call.id, agent: a.id, number: call.callback.number, attempt })
    return
  }
  d.dropCall(call.id)
  d.effects.push({ kind: 'bridge', call: call.id, agent: a.id, offer: id })
  d.events.push({ kind: 'call-answered', call: call.id, agent: a.id, queue: call.queue, waited: d.now - call.enqueuedAt })
}

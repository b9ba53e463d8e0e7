/**
 * Matching, event-driven: only agents who just became available and callers who just became
 * dispatchable are looked at (the rest were already matched as far as they could be). Callers go
 * in service order (tier, then longest waiting), each to the best agent for it.
 */
import { offerId } from '../../shared/index.ts'
import type { Agent, Offer, QueuedCall } from './model.ts'
import { comparePlaces } from './queue-line.ts'
import { isAvailable, isDispatchable, matches, placeOf, skillFirst, skillScore } from './rank.ts'
import type { Draft } from './state.ts'

export function settle(d: Draft): void {
  for (;;) {
    const call = nextCaller(d)
    if (!call) return
    d.freshCalls.delete(call.id)
    const agents = agentsFor(d, call)
    if (agents.length > 0) offer(d, call, agents)
  }
}

/** The first in service order among fresh callers and the callers fresh agents could take. */
function nextCaller(d: Draft): QueuedCall | undefined {
  let best: QueuedCall | undefined
  const consider = (c: QueuedCall): void => {
    if (!best || comparePlaces(placeOf(c), placeOf(best)) < 0) best = c
  }
  for (const id of d.freshCalls) {
    const c = d.calls.get(id)
    if (c && isDispatchable(c)) consider(c)
    else d.freshCalls.delete(id)
  }
  for (const id of d.freshAgents) {
    const a = d.agents.get(id)
    const c = a && isAvailable(a) ? bestCallerFor(d, a) : undefined
    if (c) consider(c)
    else d.freshAgents.delete(id)
  }
  return best
}

/** The caller this agent should take: across its queues, the first in service order it can serve. */
export function bestCallerFor(d: Draft, agent: Agent): QueuedCall | undefined {
  let best: QueuedCall | undefined
  for (const qid of agent.queues) {
    for (const place of d.line(qid).waiting) {
      if (best && comparePlaces(place, placeOf(best)) >= 0) break
      const c = d.calls.get(place.call)
      if (c && isDispatchable(c) && matches(agent, c)) {
        best = c
        break
      }
    }
  }
  return best
}

/** Available agents in strategy order; ring-all takes them all, skill-first the best score. */
export function agentsFor(d: Draft, call: QueuedCall): readonly Agent[] {
  const q = d.queue(call.queue)
  const ringAll = q.strategy === 'ring-all'
  const byScore = !ringAll && skillFirst(call, q.strategy)
  const top = 5 * call.skills.length
  const found: Agent[] = []
  let bestScore = -1
  for (const slot of d.line(call.queue).available) {
    const a = d.agents.get(slot.agent)
    if (!a || !matches(a, call)) continue
    if (ringAll) found.push(a)
    else if (!byScore) return [a]
    else {
      const score = skillScore(a, call)
      if (score > bestScore) {
        bestScore = score
        found[0] = a
        if (score >= top) break
      }
    }
  }
  return found
}

function offer(d: Draft, call: QueuedCall, agents: readonly Agent[]): void {
  const q = d.queue(call.queue)
  const ids = agents.map((a) => {
    const o: Offer = { id: offerId(`${call.id}/${d.nextSeq()}`), call: call.id, agent: a.id, queue: q.id, deadline: d.now + q.ringTimeout }
    d.offers = d.offers.set(o.id, o)
    const idleSince = a.activity.kind === 'idle' ? a.activity.since : d.now
    d.putAgent({ ...a, lastOfferAt: d.now, activity: { kind: 'ringing', offer: o.id, call: call.id, deadline: o.deadline, idleSince, since: d.now } })
    d.freshAgents.delete(a.id)
    d.effects.push({ kind: 'ring-agent', offer: o.id, call: call.id, agent: a.id, contact: a.contact, ringFor: q.ringTimeout, purpose: call.callback ? 'callback' : 'call' })
    d.events.push({ kind: 'call-offered', offer: o.id, call: call.id, agent: a.id, queue: q.id })
    return o.id
  })
  d.putCall({ ...call, phase: { kind: 'offered', offers: ids } }, false)
}

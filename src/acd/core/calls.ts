/** A caller's life in the ACD: queued, abandoned, callback requested, callback outcome, call ended. */
import type { AgentId, CallId, QueueId } from '../../shared/index.ts'
import type { AcdInput, CallbackOutcome } from './messages.ts'
import type { Agent, QueuedCall } from './model.ts'
import { cancelOffer } from './offers.ts'
import { comparePlaces, positionIn, withHandleTime } from './queue-line.ts'
import { placeOf } from './rank.ts'
import type { Draft } from './state.ts'
import { catchUp, toCallback } from './waiting.ts'

export function queueCall(d: Draft, i: Extract<AcdInput, { kind: 'call-queued' }>): void {
  if (d.calls.has(i.call)) return // a repeated enqueue (e.g. replayed after reconnect) changes nothing
  const q = d.queue(i.queue)
  const enqueuedAt = i.enqueuedAt ?? d.now
  const call: QueuedCall = {
    id: i.call, queue: i.queue, skills: i.skills ?? [], tier: i.tier ?? 'standard',
    enqueuedAt, queuedAt: enqueuedAt, seq: d.nextSeq(), step: 0, relax: 0, widened: false,
    phase: { kind: 'waiting' },
    nextAnnouncementAt: q.announceEvery !== undefined ? enqueuedAt + q.announceEvery : undefined,
    callerNumber: i.callerNumber, callback: undefined,
  }
  catchUp(d, i.callback && i.callerNumber !== undefined ? toCallback(d, call, i.callerNumber) : call, true)
  // Told before any offer (dispatch runs after this input): the screen-pop learns the tier and
  // looks the customer up while no phone rings yet. A caller max-wait already moved on is not here.
  const placed = d.calls.get(i.call)
  if (placed) {
    const position = positionIn(d.line(placed.queue).waiting, placeOf(placed), comparePlaces) ?? 1
    d.events.push({ kind: 'call-waiting', call: placed.id, queue: placed.queue, tier: placed.tier, position })
  }
}

/** The caller hung up: every ring for it stops at once, before anything else. */
export function abandonCall(d: Draft, id: CallId): void {
  const c = d.calls.get(id)
  if (!c || c.callback) return // a callback's caller is already gone; its outcome comes by dialling
  d.dropCall(id)
  if (c.phase.kind === 'offered') for (const o of c.phase.offers) cancelOffer(d, o, 'caller-hung-up')
  d.events.push({ kind: 'call-abandoned', call: id, queue: c.queue, waited: d.now - c.enqueuedAt })
}

export function requestCallback(d: Draft, id: CallId, number: string | undefined): void {
  const c = d.calls.get(id)
  const to = number ?? c?.callerNumber
  if (!c || c.callback || to === undefined || c.phase.kind === 'connecting') return
  if (c.phase.kind === 'offered') for (const o of c.phase.offers) cancelOffer(d, o, 'callback-requested')
  const now = d.calls.get(id) ?? c
  catchUp(d, toCallback(d, { ...now, phase: { kind: 'waiting' } }, to), true)
}

/**
 * A key from a caller on the line (waiting, or while an agent rings): only the queue's callback
 * key means anything, and only with a number to call back. Any other key is no input.
 */
export function keyPressed(d: Draft, id: CallId, digit: string): void {
  const c = d.calls.get(id)
  if (!c || c.callback || c.callerNumber === undefined) return
  if (d.queue(c.queue).callbackKey !== digit) return
  requestCallback(d, id, undefined)
}

export function callbackOutcome(d: Draft, id: CallId, outcome: CallbackOutcome): void {
  const c = d.calls.get(id)
  if (!c?.callback || c.phase.kind !== 'connecting') return
  const agent = d.agents.get(c.phase.agent)
  const attempts = c.callback.attempts
  if (outcome !== 'answered') releaseAgent(d, agent, id)
  if (outcome === 'answered' || attempts >= d.queue(c.queue).callback.maxAttempts) {
    d.dropCall(id)
    d.events.push({ kind: 'callback-finished', call: id, outcome, attempts })
    return
  }
  const retryAt = d.now + d.queue(c.queue).callback.retryDelay
  catchUp(d, { ...c, phase: { kind: 'waiting' }, callback: { ...c.callback, retryAt } }, false)
}

function releaseAgent(d: Draft, a: Agent | undefined, call: CallId): void {
  if (!a || a.activity.kind !== 'on-call' || a.activity.call !== call) return
  d.effects.push({ kind: 'release-agent', agent: a.id, call })
  d.putAgent({ ...a, activity: { kind: 'idle', since: d.now } })
}

/** The agent's call is over: wrap-up per queue, and the handle time feeds the estimated wait. */
export function endAgentCall(d: Draft, a: Agent, call: CallId): void {
  if (a.activity.kind !== 'on-call' || a.activity.call !== call) return
  const pending = d.calls.get(call)
  if (pending?.phase.kind === 'connecting' && pending.phase.agent === a.id) return callbackOutcome(d, call, 'failed')
  const qid: QueueId = a.activity.queue
  const wrapUp = d.queues.get(qid)?.wrapUp ?? 0
  d.setLine(qid, withHandleTime(d.line(qid), d.now - a.activity.since + wrapUp))
  const activity = wrapUp > 0 ? { kind: 'wrap-up' as const, call, until: d.now + wrapUp, since: d.now } : { kind: 'idle' as const, since: d.now }
  d.putAgent({ ...a, callsHandled: a.callsHandled + 1, activity })
}

export function resetCounters(d: Draft): void {
  const ids: AgentId[] = []
  for (const a of d.agents.values()) if (a.callsHandled !== 0) ids.push(a.id)
  for (const id of ids) {
    const a = d.agents.get(id)
    if (a) d.putAgent({ ...a, callsHandled: 0 })
  }
}

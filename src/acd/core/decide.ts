/** `decide(state, input, now) → { state, effects, events }`: the whole ACD, pure. */
import { assertNever, type AgentId, type Instant } from '../../shared/index.ts'
import { abandonCall, callbackOutcome, endAgentCall, keyPressed, queueCall, requestCallback, resetCounters } from './calls.ts'
import { tick } from './deadlines.ts'
import { settle } from './dispatch.ts'
import type { AcdInput, Decision } from './messages.ts'
import type { Agent } from './model.ts'
import { answerOffer, failOffer } from './offers.ts'
import { extendWrapUp, goNotReady, goReady, logIn, logOut, register } from './presence.ts'
import { restoreAgentCall } from './restore.ts'
import { configureAgent } from './setup.ts'
import { applyControl } from './controls.ts'
import { Draft, type AcdState } from './state.ts'

export function decide(state: AcdState, input: AcdInput, now: Instant): Decision<AcdState> {
  const d = new Draft(state, now)
  apply(d, input)
  settle(d)
  return { state: d.finish(), effects: d.effects, events: d.events }
}

function apply(d: Draft, i: AcdInput): void {
  switch (i.kind) {
    case 'call-queued':
      if (!d.queues.has(i.queue)) return reject(d, i, 'queue-unknown')
      return queueCall(d, i)
    case 'call-abandoned':
      return abandonCall(d, i.call)
    case 'callback-requested':
      return requestCallback(d, i.call, i.number)
    case 'caller-pressed':
      return keyPressed(d, i.call, i.digit)
    case 'callback-outcome':
      return callbackOutcome(d, i.call, i.outcome)
    case 'offer-answered':
      return answerOffer(d, i.offer)
    case 'offer-failed':
      return failOffer(d, i.offer, i.cause)
    case 'agent-configured':
      return configureAgent(d, i.profile)
    case 'counters-reset':
      return resetCounters(d)
    case 'tick':
      return tick(d)
    case 'agent-logged-in':
    case 'agent-logged-out':
    case 'agent-went-ready':
    case 'agent-went-not-ready':
    case 'agent-registered':
    case 'agent-unregistered':
    case 'agent-call-ended':
    case 'wrap-up-extended':
    case 'agent-call-restored':
    case 'call-held':
    case 'call-resumed':
    case 'agent-call-joined':
    case 'agent-call-released':
    case 'call-transferred':
    case 'transfer-answered':
      return applyToAgent(d, i)
    default:
      return assertNever(i)
  }
}

type AgentInput = Extract<AcdInput, { agent: AgentId }>

function applyToAgent(d: Draft, i: AgentInput): void {
  const a: Agent | undefined = d.agents.get(i.agent)
  if (!a) return reject(d, i, 'agent-unknown')
  switch (i.kind) {
    case 'agent-logged-in':
      return logIn(d, a)
    case 'agent-logged-out':
      return logOut(d, a)
    case 'agent-went-ready':
      return goReady(d, a)
    case 'agent-went-not-ready':
      return goNotReady(d, a, i.reason)
    case 'agent-registered':
      return register(d, a, true)
    case 'agent-unregistered':
      return register(d, a, false)
    case 'agent-call-ended':
      return endAgentCall(d, a, i.call)
    case 'wrap-up-extended':
      return extendWrapUp(d, a, i.by)
    case 'agent-call-restored':
      return restoreAgentCall(d, a, i)
    case 'call-held':
    case 'call-resumed':
    case 'agent-call-joined':
    case 'agent-call-released':
    case 'call-transferred':
    case 'transfer-answered':
      return applyControl(d, a, i)
    default:
      return assertNever(i)
  }
}

function reject(d: Draft, i: AcdInput, code: 'agent-unknown' | 'queue-unknown'): void {
  d.events.push({ kind: 'input-rejected', input: i.kind, code })
}

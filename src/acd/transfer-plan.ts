/**
 * Who a call may be transferred to, and the leg that reaches them. Pure: call-controls.ts runs it.
 */
import { err, failure, ok, type AgentId, type CallId, type ChannelUuid, type Failure, type QueueId, type Result } from '../shared/index.ts'
import type { OriginateSpec } from '../calls/index.ts'
import { isAvailable, type AcdState, type Contact } from './core/index.ts'
import { dialString, type DialPlan } from './offer-dial.ts'

export type TransferTarget =
  | { readonly kind: 'agent'; readonly agent: AgentId }
  | { readonly kind: 'queue'; readonly queue: QueueId }
  | { readonly kind: 'number'; readonly number: string }

export type CallControlCode =
  | 'call-unknown' | 'agent-not-on-call' | 'agent-unknown' | 'queue-unknown' | 'call-already-held' | 'call-not-held'
  | 'transfer-in-progress' | 'transfer-none' | 'transfer-target-invalid' | 'transfer-target-unavailable'
  | 'transfer-no-answer' | 'call-control-failed'

const no = (code: CallControlCode, message: string): { ok: false; error: Failure<CallControlCode> } => err(failure(code, message))

/** A queue takes a blind transfer only; an agent must be free (ready, registered, idle); a number is digits. */
export function checkTarget(state: AcdState, from: AgentId, to: TransferTarget, kind: 'blind' | 'consulted'): Result<void, Failure<CallControlCode>> {
  switch (to.kind) {
    case 'queue':
      if (kind === 'consulted') return no('transfer-target-invalid', 'a queue cannot be consulted: transfer blind')
      return state.queues.has(to.queue) ? ok(undefined) : no('queue-unknown', `no queue ${to.queue}`)
    case 'agent': {
      const a = state.agents.get(to.agent)
      if (!a) return no('agent-unknown', `no agent ${to.agent}`)
      if (a.id === from) return no('transfer-target-invalid', 'the call is already yours')
      return isAvailable(a) ? ok(undefined) : no('transfer-target-unavailable', `agent ${a.id} is not free (${a.presence.kind}, ${a.activity.kind})`)
    }
    case 'number':
      return /^\+?\d{3,20}$/.test(to.number) ? ok(undefined) : no('transfer-target-invalid', 'a number is 3-20 digits, optionally with a leading +')
  }
}

export interface TransferLeg {
  readonly call: CallId
  readonly uuid: ChannelUuid
  readonly ring: number
  readonly caller: { readonly number: string; readonly name: string } | undefined
  /** The agent's contact, for an agent target. */
  readonly target: Contact | undefined
}

/**
 * Our uuid and ids in the {vars} (fact 9); the offer-like id makes the call tracker follow the leg
 * (answer, park, hangup); park_after_bridge keeps it when the agent leaves it (fact 12).
 */
export function transferLeg(to: TransferTarget, l: TransferLeg, p: DialPlan): OriginateSpec | undefined {
  const dial = to.kind === 'number' ? `sofia/gateway/${p.pstnGateway}/${to.number}` : to.kind === 'agent' && l.target ? dialString(l.target, p) : undefined
  if (!dial) return undefined
  const vars: Record<string, string> = {
    hotline_offer_id: `transfer-${l.uuid}`, hotline_call_id: l.call, park_after_bridge: 'true', ignore_early_media: 'true', originate_timeout: String(l.ring),
  }
  if (to.kind === 'agent') {
    vars['hotline_agent'] = to.agent
    if (l.caller) {
      vars['origination_caller_id_number'] = l.caller.number
      vars['origination_caller_id_name'] = l.caller.name || l.caller.number
    }
  }
  return { uuid: l.uuid, dial, vars, app: '&park()' }
}

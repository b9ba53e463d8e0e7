/**
 * How an offer becomes an originate, and how the switch's answer becomes an offer result.
 * Pure: the shell runs them through CallControl.
 */
import type { AgentId, CallId, ChannelUuid, OfferId } from '../shared/index.ts'
import type { Contact, OfferFailure } from './core/index.ts'
import type { OriginateSpec } from '../calls/index.ts'

export interface DialPlan {
  /** The internal profile's domain: `user/<sip user>@<domain>`. */
  readonly sipDomain: string
  /** The gateway remote (PSTN) agents are reached through: `sofia/gateway/<trunk>/<number>`. */
  readonly pstnGateway: string
}

export function dialString(c: Contact, p: DialPlan): string {
  switch (c.kind) {
    case 'sip':
      return `user/${c.user}@${p.sipDomain}`
    case 'pstn':
      return `sofia/gateway/${p.pstnGateway}/${c.number}`
  }
}

export interface OfferLeg {
  readonly uuid: ChannelUuid
  readonly offer: OfferId
  readonly call: CallId
  readonly agent: AgentId
  readonly ringFor: number
  readonly contact: Contact
  readonly caller: { readonly number: string; readonly name: string } | undefined
}

/**
 * The agent leg. Our uuid and ids go in the {vars} so nothing is looked up later and a restart
 * finds the leg again (fact 9). park_after_bridge keeps the agent's phone up when the caller hangs
 * up, for wrap-up (fact 12). The core owns the ring timeout; originate_timeout is a safety net a
 * little later, so a dead Hotline never leaves a phone ringing for ever.
 */
export function offerOriginate(o: OfferLeg, p: DialPlan): OriginateSpec {
  const vars: Record<string, string> = {
    hotline_offer_id: o.offer,
    hotline_call_id: o.call,
    hotline_agent: o.agent,
    originate_timeout: String(Math.ceil(o.ringFor / 1000) + 5),
    park_after_bridge: 'true',
    ignore_early_media: 'true',
  }
  if (o.caller) {
    vars['origination_caller_id_number'] = o.caller.number
    vars['origination_caller_id_name'] = o.caller.name || o.caller.number
  }
  return { uuid: o.uuid, dial: dialString(o.contact, p), vars, app: '&park()' }
}

/**
 * The hangup cause of a failed originate (`-ERR <cause>`, fact 13) as an offer failure.
 * ORIGINATOR_CANCEL is only ours when we cancelled; the shell checks that before asking.
 */
export function offerFailure(cause: string | undefined): OfferFailure {
  switch (cause) {
    case 'NO_ANSWER':
    case 'NO_USER_RESPONSE':
    case 'ORIGINATOR_CANCEL':
    case 'ALLOTTED_TIMEOUT':
      return 'no-answer'
    case 'USER_BUSY':
    case 'NORMAL_CIRCUIT_CONGESTION':
      return 'busy'
    case 'CALL_REJECTED':
    case 'NORMAL_CLEARING': // a phone that declines with 603 / hangs up while ringing
      return 'rejected'
    default:
      // USER_NOT_REGISTERED, SUBSCRIBER_ABSENT, UNALLOCATED_NUMBER, NO_ROUTE_DESTINATION …
      return 'unreachable'
  }
}

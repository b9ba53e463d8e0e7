/** What goes into `decide` (past-tense facts) and what comes out (effects to run, events to tell). */
import type { AgentId, CallId, OfferId, QueueId } from '../../shared/index.ts'
import type { AgentProfile } from './setup.ts'
import type { Activity, Contact, EscalationAction, OfferFailure, Presence, QueueExit, SkillNeed, Tier } from './model.ts'

/** How a call reached another agent: sent straight to them, or after the agents spoke. */
export type TransferHow = 'blind' | 'consulted'

export type CallbackOutcome = 'answered' | 'no-answer' | 'busy' | 'failed'

export type AcdInput =
  | {
      readonly kind: 'call-queued'
      readonly call: CallId
      readonly queue: QueueId
      readonly skills?: readonly SkillNeed[]
      readonly tier?: Tier
      readonly callerNumber?: string
      /** Rebuilding after a restart: the caller keeps the place stamped on the channel. */
      readonly enqueuedAt?: number
      /** Asked for a callback on the way in (the IVR): with a caller number it is one at once; without, the caller waits. */
      readonly callback?: boolean
    }
  /** The caller hung up (or was hung up) before being bridged. */
  | { readonly kind: 'call-abandoned'; readonly call: CallId }
  | { readonly kind: 'agent-logged-in'; readonly agent: AgentId }
  | { readonly kind: 'agent-logged-out'; readonly agent: AgentId }
  | { readonly kind: 'agent-went-ready'; readonly agent: AgentId }
  | { readonly kind: 'agent-went-not-ready'; readonly agent: AgentId; readonly reason: string }
  | { readonly kind: 'agent-registered'; readonly agent: AgentId }
  | { readonly kind: 'agent-unregistered'; readonly agent: AgentId }
  | { readonly kind: 'offer-answered'; readonly offer: OfferId }
  | { readonly kind: 'offer-failed'; readonly offer: OfferId; readonly cause: OfferFailure }
  | { readonly kind: 'agent-call-ended'; readonly agent: AgentId; readonly call: CallId }
  | { readonly kind: 'wrap-up-extended'; readonly agent: AgentId; readonly by: number }
  /** A callback asked for (the IVR, an agent or supervisor): leave the line, keep the place. */
  | { readonly kind: 'callback-requested'; readonly call: CallId; readonly number?: string }
  /** A waiting caller pressed a key (DTMF on the parked leg): the queue's callbackKey asks for a callback. */
  | { readonly kind: 'caller-pressed'; readonly call: CallId; readonly digit: string }
  | { readonly kind: 'callback-outcome'; readonly call: CallId; readonly outcome: CallbackOutcome }
  /** An agent added, or its contact, skills or queues changed (REST CRUD). */
  | { readonly kind: 'agent-configured'; readonly profile: AgentProfile }
  /**
   * Rebuilding after a restart: the agent's leg is still bridged to this caller on the switch, so
   * the agent is on that call (ended later by `agent-call-ended`, like any other call).
   */
  | { readonly kind: 'agent-call-restored'; readonly agent: AgentId; readonly call: CallId; readonly queue: QueueId; readonly since: number }
  /** The agent on this call put the caller on hold / took the caller back (no effect: the shell moved the legs). */
  | { readonly kind: 'call-held'; readonly agent: AgentId; readonly call: CallId }
  | { readonly kind: 'call-resumed'; readonly agent: AgentId; readonly call: CallId }
  /**
   * A transfer or consultation reaches this available agent: the agent is on that call from now
   * (reserved while the shell rings the phone), so no offer reaches them meanwhile.
   */
  | { readonly kind: 'agent-call-joined'; readonly agent: AgentId; readonly call: CallId; readonly queue: QueueId }
  /** The agent's part in a call ended before it began (a transfer not answered, a consultation cancelled): idle, no wrap-up. */
  | { readonly kind: 'agent-call-released'; readonly agent: AgentId; readonly call: CallId }
  /**
   * `agent` handed the call to `to`, who is on it already (reserved by `agent-call-joined`): a blind
   * transfer to an agent, or a consultation completed. `agent`'s part ends (wrap-up).
   */
  | { readonly kind: 'call-transferred'; readonly agent: AgentId; readonly call: CallId; readonly to: AgentId; readonly how: TransferHow }
  /**
   * The agent a blind transfer rang (reserved by `agent-call-joined`) answered, and the caller is
   * bridged to her phone: she is talking to the caller from now. Accepted only while she is on
   * that call (else `agent-not-on-call`); no state changes (she was on the call since the join).
   */
  | { readonly kind: 'transfer-answered'; readonly agent: AgentId; readonly call: CallId }
  /** Start of a new day for fewest-calls. */
  | { readonly kind: 'counters-reset' }
  /** Time passed: whatever deadline is due now is handled. */
  | { readonly kind: 'tick' }

export type CancelReason =
  | 'caller-hung-up'
  | 'answered-elsewhere'
  | 'ring-timeout'
  | 'agent-not-ready'
  | 'agent-logged-out'
  | 'agent-unregistered'
  | 'callback-requested'

export type AcdEffect =
  | {
      readonly kind: 'ring-agent'
      readonly offer: OfferId
      readonly call: CallId
      readonly agent: AgentId
      readonly contact: Contact
      readonly ringFor: number
      /** 'callback': the agent is connected first, then the customer is dialled. */
      readonly purpose: 'call' | 'callback'
    }
  | { readonly kind: 'cancel-ring'; readonly offer: OfferId; readonly agent: AgentId; readonly reason: CancelReason }
  | { readonly kind: 'bridge'; readonly call: CallId; readonly agent: AgentId; readonly offer: OfferId }
  /** `callbackKey`: the announcement offers this key for a callback (the caller's number is known). */
  | { readonly kind: 'play-announcement'; readonly call: CallId; readonly position: number; readonly estimatedWaitSeconds: number | undefined; readonly callbackKey?: string }
  /** Restamp hotline_queue on the parked channel so a restart rebuilds the caller in the right queue. */
  | { readonly kind: 'move-call'; readonly call: CallId; readonly queue: QueueId }
  /** The caller leaves the line: play the message, or confirm the callback, then hang up or move on. */
  | { readonly kind: 'exit-queue'; readonly call: CallId; readonly exit: QueueExit | { readonly kind: 'callback-confirmed'; readonly number: string } }
  | { readonly kind: 'dial-callback'; readonly call: CallId; readonly agent: AgentId; readonly number: string; readonly attempt: number }
  /** Hang up the agent's leg: the callback customer was not reached. */
  | { readonly kind: 'release-agent'; readonly agent: AgentId; readonly call: CallId }

export type AcdEvent =
  | { readonly kind: 'call-waiting'; readonly call: CallId; readonly queue: QueueId; readonly tier: Tier; readonly position: number }
  | { readonly kind: 'call-offered'; readonly offer: OfferId; readonly call: CallId; readonly agent: AgentId; readonly queue: QueueId }
  | { readonly kind: 'offer-cancelled'; readonly offer: OfferId; readonly call: CallId; readonly agent: AgentId; readonly reason: CancelReason }
  | { readonly kind: 'offer-missed'; readonly offer: OfferId; readonly call: CallId; readonly agent: AgentId; readonly cause: OfferFailure }
  | { readonly kind: 'call-answered'; readonly call: CallId; readonly agent: AgentId; readonly queue: QueueId; readonly waited: number }
  | { readonly kind: 'call-abandoned'; readonly call: CallId; readonly queue: QueueId; readonly waited: number }
  | { readonly kind: 'call-escalated'; readonly call: CallId; readonly queue: QueueId; readonly step: number; readonly action: EscalationAction }
  | { readonly kind: 'call-overflowed'; readonly call: CallId; readonly from: QueueId; readonly to: QueueId }
  | { readonly kind: 'call-exited'; readonly call: CallId; readonly queue: QueueId; readonly exit: QueueExit }
  | { readonly kind: 'callback-scheduled'; readonly call: CallId; readonly queue: QueueId; readonly number: string }
  | { readonly kind: 'callback-finished'; readonly call: CallId; readonly outcome: CallbackOutcome; readonly attempts: number }
  | { readonly kind: 'call-held'; readonly call: CallId; readonly agent: AgentId }
  | { readonly kind: 'call-resumed'; readonly call: CallId; readonly agent: AgentId }
  /** A transfer or consultation reached this agent, who is now on the call. */
  | { readonly kind: 'call-joined'; readonly call: CallId; readonly agent: AgentId; readonly queue: QueueId }
  /**
   * The call passed from one agent to another without an offer: the receiving agent's screen-pop
   * (`to`), the first agent's wrap-up (`from`). Told once, when the hand-over is decided.
   */
  | { readonly kind: 'call-transferred'; readonly call: CallId; readonly from: AgentId; readonly to: AgentId; readonly queue: QueueId; readonly how: TransferHow }
  /**
   * The agent a blind transfer rang answered and is talking to the caller (her screen-pop goes
   * from ringing to answered). Not a queue answer: no offer, no wait, not `call-answered`, which
   * counts in the queue's figures and the CDR. A consulted transfer tells none: its agent was on
   * the line before `call-transferred`.
   */
  | { readonly kind: 'transfer-answered'; readonly call: CallId; readonly agent: AgentId; readonly queue: QueueId }
  /** An input naming an agent or queue the ACD does not know: nothing else happened. */
  | { readonly kind: 'input-rejected'; readonly input: AcdInput['kind']; readonly code: AcdRejection }
  | {
      readonly kind: 'agent-state-changed'
      readonly agent: AgentId
      readonly presence: Presence
      readonly activity: Activity
      readonly registered: boolean
    }

export type AcdRejection = 'agent-unknown' | 'queue-unknown' | 'agent-unavailable' | 'agent-not-on-call'

export interface Decision<S> {
  readonly state: S
  readonly effects: readonly AcdEffect[]
  readonly events: readonly AcdEvent[]
}

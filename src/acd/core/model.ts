/**
 * The ACD's vocabulary (after mod_callcenter, esl-captures fact 19): what an agent *chose*
 * (presence) is kept apart from what the system is *doing* with the agent (activity).
 * Times are epoch milliseconds (Instant); durations are milliseconds.
 */
import type { AgentId, CallId, Instant, OfferId, QueueId } from '../../shared/index.ts'

export type Tier = 'diamond' | 'gold' | 'silver' | 'standard'
export const TIERS: readonly Tier[] = ['diamond', 'gold', 'silver', 'standard']
/** Lower is served first. */
export const tierRank = (t: Tier): number => TIERS.indexOf(t)

export type Strategy = 'longest-idle' | 'most-skilled' | 'fewest-calls' | 'round-robin' | 'ring-all'

/** A SIP user of the internal profile, or a PSTN number through the trunk for remote agents. */
export type Contact = { readonly kind: 'sip'; readonly user: string } | { readonly kind: 'pstn'; readonly number: string }

export type Presence =
  | { readonly kind: 'logged-out'; readonly since: Instant }
  | { readonly kind: 'ready'; readonly since: Instant }
  | { readonly kind: 'not-ready'; readonly reason: string; readonly since: Instant }

/** Every activity but idle and on-call carries its deadline; on-call ends by an event. Each says since when (the wallboard's time in state). */
export type Activity =
  | { readonly kind: 'idle'; readonly since: Instant }
  /** `idleSince` is given back if the ring is cancelled through no fault of the agent. */
  | { readonly kind: 'ringing'; readonly offer: OfferId; readonly call: CallId; readonly deadline: Instant; readonly idleSince: Instant; readonly since: Instant }
  /** `held`: the agent put the caller on hold (music); the call goes on (call-controls, shell). */
  | { readonly kind: 'on-call'; readonly call: CallId; readonly queue: QueueId; readonly since: Instant; readonly held?: boolean }
  | { readonly kind: 'wrap-up'; readonly call: CallId; readonly until: Instant; readonly since: Instant }
  | { readonly kind: 'resting'; readonly until: Instant; readonly since: Instant }

export interface Agent {
  readonly id: AgentId
  readonly contact: Contact
  /** skill → level 1..5 */
  readonly skills: ReadonlyMap<string, number>
  readonly queues: readonly QueueId[]
  readonly presence: Presence
  readonly activity: Activity
  /** Phone registration (sofia::register / unregister / expire). PSTN agents count as registered. */
  readonly registered: boolean
  readonly missedInARow: number
  /** For fewest-calls; reset by `counters-reset`. */
  readonly callsHandled: number
  /** For round-robin: the least recently offered agent goes next. */
  readonly lastOfferAt: Instant | undefined
}

/** `lost`: the ring's result went with an ESL connection and the leg is gone: nobody knows why. */
export type OfferFailure = 'no-answer' | 'busy' | 'rejected' | 'unreachable' | 'lost'

export interface NoAnswerPolicy {
  readonly noAnswerDelay: number
  readonly busyDelay: number
  readonly rejectDelay: number
  readonly unreachableDelay: number
  /** This many no-answers in a row put the agent not-ready with reason 'missed-calls'. */
  readonly maxNoAnswer: number
}

export type EscalationAction =
  | { readonly kind: 'relax-skills'; readonly by: number }
  | { readonly kind: 'widen' }
  | { readonly kind: 'overflow'; readonly to: QueueId }

/** Applied when the caller has waited `after` ms in this queue. Steps are sorted by `after`. */
export interface EscalationStep {
  readonly after: number
  readonly action: EscalationAction
}

export type QueueExit =
  | { readonly kind: 'message'; readonly sound: string }
  /** `otherwise`: the message played when the caller's number is withheld. */
  | { readonly kind: 'callback'; readonly otherwise: string }
  | { readonly kind: 'queue'; readonly to: QueueId }

export interface QueueConfig {
  readonly id: QueueId
  readonly strategy: Strategy
  readonly ringTimeout: number
  readonly wrapUp: number
  readonly noAnswer: NoAnswerPolicy
  readonly escalation: readonly EscalationStep[]
  readonly maxWait: { readonly after: number; readonly exit: QueueExit } | undefined
  /** Period of the position / estimated-wait announcement; undefined = none. */
  readonly announceEvery: number | undefined
  readonly callback: { readonly maxAttempts: number; readonly retryDelay: number }
  /**
   * The key (0-9) a waiting caller presses to be called back instead, keeping the place; offered
   * in the announcements. Undefined: no key (a callback only by max wait, the IVR or the API).
   */
  readonly callbackKey: string | undefined
  /** Handle time assumed until the queue has live data. */
  readonly defaultHandleTime: number
}

export interface SkillNeed {
  readonly skill: string
  readonly min: number
}

export interface CallbackPlan {
  readonly number: string
  readonly attempts: number
  /** Waiting for a retry: not offered before this instant. */
  readonly retryAt: Instant | undefined
}

export type CallPhase =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'offered'; readonly offers: readonly OfferId[] }
  /** Callback only: the agent answered and the customer is being dialled. Ends by callback-outcome. */
  | { readonly kind: 'connecting'; readonly agent: AgentId; readonly since: Instant }

export interface QueuedCall {
  readonly id: CallId
  readonly queue: QueueId
  readonly skills: readonly SkillNeed[]
  readonly tier: Tier
  /** First entry into the ACD: the caller's place (kept across overflow and callback). */
  readonly enqueuedAt: Instant
  /** Entry into the current queue: escalation and max wait count from here. */
  readonly queuedAt: Instant
  /** Tie-break for callers queued in the same millisecond. */
  readonly seq: number
  /** Escalation steps of the current queue already applied. */
  readonly step: number
  readonly relax: number
  readonly widened: boolean
  readonly phase: CallPhase
  readonly nextAnnouncementAt: Instant | undefined
  readonly callerNumber: string | undefined
  readonly callback: CallbackPlan | undefined
}

export interface Offer {
  readonly id: OfferId
  readonly call: CallId
  readonly agent: AgentId
  readonly queue: QueueId
  readonly deadline: Instant
}

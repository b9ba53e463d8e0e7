/** The ACD's pure core: model, decide, deadlines, estimated wait. No I/O, no clock. */
export type {
  Activity, Agent, CallbackPlan, CallPhase, Contact, EscalationAction, EscalationStep, NoAnswerPolicy, Offer,
  OfferFailure, Presence, QueueConfig, QueueExit, QueuedCall, SkillNeed, Strategy, Tier,
} from './model.ts'
export { TIERS, tierRank } from './model.ts'
export type { AcdEffect, AcdEvent, AcdInput, AcdRejection, CallbackOutcome, CancelReason, Decision, TransferHow } from './messages.ts'
export type { AcdState } from './state.ts'
export type { QueueLine } from './queue-line.ts'
export { PersistentMap } from './persistent-map.ts'
export { decide } from './decide.ts'
export { nextDeadline, activityDeadline } from './deadlines.ts'
export { callDeadline } from './waiting.ts'
export { averageHandleTime, estimatedWaitSeconds } from './estimate.ts'
export { isAvailable, isDispatchable, isStaffed, matches } from './rank.ts'
export { createAcdState, newAgent, queueConfig, type AgentProfile } from './setup.ts'
export { queueSnapshot, type QueueSnapshot } from './snapshot.ts'
export { configureQueue, removeQueue, removeAgent } from './configuration.ts'
export { PHONE_UNREACHABLE } from './offers.ts'

import type { Brand } from './brand.ts'

/** Unique-ID of one FreeSWITCH leg. */
export type ChannelUuid = Brand<string, 'ChannelUuid'>
/** Hotline's id for the whole customer call (all its legs). */
export type CallId = Brand<string, 'CallId'>
/** One offer of a call to an agent (the agent leg carries it as hotline_offer_id). */
export type OfferId = Brand<string, 'OfferId'>
export type AgentId = Brand<string, 'AgentId'>
export type QueueId = Brand<string, 'QueueId'>
/** Job-UUID of a bgapi command. */
export type JobUuid = Brand<string, 'JobUuid'>

export const channelUuid = (s: string): ChannelUuid => s as ChannelUuid
export const callId = (s: string): CallId => s as CallId
export const offerId = (s: string): OfferId => s as OfferId
export const agentId = (s: string): AgentId => s as AgentId
export const queueId = (s: string): QueueId => s as QueueId
export const jobUuid = (s: string): JobUuid => s as JobUuid

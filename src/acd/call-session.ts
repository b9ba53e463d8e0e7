/**
 * An agent's session on a call they control: the customer leg and the agent leg the ACD bridged,
 * whether the customer is on hold, and the consultation leg while one is up. CallControls
 * (call-controls.ts) owns the sessions; the transfers (call-transfers.ts) move them on.
 */
import { err, failure, type AgentId, type CallId, type ChannelUuid, type Failure, type QueueId, type Result } from '../shared/index.ts'
import type { AcdState } from './core/index.ts'
import type { CallControlCode, TransferTarget } from './transfer-plan.ts'

export interface CallControlView {
  readonly call: CallId
  readonly agent: AgentId
  readonly held: boolean
  readonly consulting: TransferTarget | undefined
}

export interface CallSession {
  readonly call: CallId
  readonly agent: AgentId
  readonly queue: QueueId
  readonly customerLeg: ChannelUuid
  readonly agentLeg: ChannelUuid
  held: boolean
  consult: { readonly leg: ChannelUuid; readonly target: TransferTarget } | undefined
}

export type Outcome<T = CallControlView> = Promise<Result<T, Failure<CallControlCode>>>

export const no = (code: CallControlCode, message: string): { ok: false; error: Failure<CallControlCode> } => err(failure(code, message))

export function onCall(state: AcdState, call: CallId): { readonly agent: AgentId; readonly queue: QueueId } | undefined {
  for (const a of state.agents.values()) if (a.activity.kind === 'on-call' && a.activity.call === call) return { agent: a.id, queue: a.activity.queue }
  return undefined
}

export const viewOf = (s: CallSession): CallControlView => ({ call: s.call, agent: s.agent, held: s.held, consulting: s.consult?.target })

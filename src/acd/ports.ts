/**
 * What the ACD shell needs from the rest of the system. The store implements the repositories
 * (knex-acd-store.ts); tests may use in-memory ones.
 */
import type { AgentId, CallId, Instant, QueueId } from '../shared/index.ts'
import type { Activity, AgentProfile, Presence, QueueConfig, SkillNeed, Tier } from './core/index.ts'

/** An agent as configured (REST CRUD); presence and activity live in the ACD and the presence log. */
export interface AgentRecord extends AgentProfile {
  readonly name: string
}

export interface AgentRepository {
  list(): Promise<AgentRecord[]>
  get(id: AgentId): Promise<AgentRecord | undefined>
  save(a: AgentRecord): Promise<void>
  remove(id: AgentId): Promise<boolean>
}

export interface QueueRepository {
  list(): Promise<QueueConfig[]>
  get(id: QueueId): Promise<QueueConfig | undefined>
  save(q: QueueConfig): Promise<void>
  remove(id: QueueId): Promise<boolean>
}

/** One row of the append-only presence log: what the agent chose and what the system was doing. */
export interface PresenceEntry {
  readonly agent: AgentId
  readonly presence: Presence['kind']
  readonly reason: string | undefined
  readonly activity: Activity['kind']
  readonly at: Instant
}

export interface PresenceLog {
  append(e: PresenceEntry): Promise<void>
  /** The latest entry of each agent: what a restarted Hotline gives back to them. */
  latest(): Promise<Map<AgentId, PresenceEntry>>
  /** Entries of one agent, oldest first (reports). */
  history(agent: AgentId, from: Instant, to: Instant): Promise<PresenceEntry[]>
}

/** A callback waiting to be made, as kept across restarts. */
export interface SavedCallback {
  readonly call: CallId
  readonly queue: QueueId
  readonly skills: readonly SkillNeed[]
  readonly tier: Tier
  /** The caller's first place in the line, kept. */
  readonly enqueuedAt: Instant
  readonly number: string
  readonly requestedAt: Instant
}

export interface CallbackStore {
  /** Recorded when the callback is scheduled; a repeat changes nothing. */
  save(c: SavedCallback): Promise<void>
  finish(call: CallId, outcome: string, attempts: number, at: Instant): Promise<void>
  /** Every callback not finished, oldest place first. */
  waiting(): Promise<SavedCallback[]>
}

/** The CDR's part the ACD writes (CdrRecorder fits). */
export interface CdrPatchPort {
  patch(callId: string, p: {
    readonly queue?: string
    readonly tier?: string
    readonly queuedAt?: number
    readonly answeredAt?: number
    readonly agentId?: string
    /** `agent:<id>`, `queue:<id>` or `number:<digits>` (CallControls). */
    readonly transferredTo?: string
    readonly outcome?: 'callback' | 'transferred'
  }): void
}

export interface AcdLog {
  info(o: object, msg: string): void
  warn(o: object, msg: string): void
}

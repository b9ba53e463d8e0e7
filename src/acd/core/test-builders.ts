/** Builders for scenario tests and the bench: read a test as a story on a fake clock. */
import { agentId, callId, queueId, seconds, type Instant, type OfferId } from '../../shared/index.ts'
import type { AcdEffect, AcdEvent, AcdInput } from './messages.ts'
import type { Agent, Contact, Presence, QueueConfig, SkillNeed, Tier } from './model.ts'
import { decide } from './decide.ts'
import { createAcdState, queueConfig } from './setup.ts'
import type { AcdState } from './state.ts'

/** 09:00:00 on the day of the tests. */
export const T0: Instant = Date.UTC(2026, 10, 2, 9, 0, 0)
/** T0 plus s seconds. */
export const at = (s: number): Instant => T0 + seconds(s)

export const queue = (id: string, o: Partial<Omit<QueueConfig, 'id'>> = {}): QueueConfig => queueConfig(queueId(id), o)

export interface AgentOptions {
  readonly queues?: readonly string[]
  readonly idleSince?: Instant
  readonly presence?: Presence
  readonly registered?: boolean
  readonly contact?: Contact
  readonly callsHandled?: number
  readonly lastOfferAt?: Instant
}

/** A ready, registered, idle agent (idle since T0 unless told) in queue 'q' unless told. */
export function agent(id: string, skills: Record<string, number> = {}, o: AgentOptions = {}): Agent {
  return {
    id: agentId(id),
    contact: o.contact ?? { kind: 'sip', user: id },
    skills: new Map(Object.entries(skills)),
    queues: (o.queues ?? ['q']).map(queueId),
    presence: o.presence ?? { kind: 'ready', since: T0 },
    activity: { kind: 'idle', since: o.idleSince ?? T0 },
    registered: o.registered ?? true,
    missedInARow: 0,
    callsHandled: o.callsHandled ?? 0,
    lastOfferAt: o.lastOfferAt,
  }
}

export const acd = (queues: readonly QueueConfig[], agents: readonly Agent[] = []): AcdState => createAcdState(queues, agents)

export interface CallOptions {
  readonly queue?: string
  readonly tier?: Tier
  readonly skills?: Record<string, number>
  readonly callerNumber?: string
}

export function callQueued(id: string, o: CallOptions = {}): AcdInput {
  const skills: SkillNeed[] = Object.entries(o.skills ?? {}).map(([skill, min]) => ({ skill, min }))
  return {
    kind: 'call-queued', call: callId(id), queue: queueId(o.queue ?? 'q'), skills, tier: o.tier ?? 'standard',
    ...(o.callerNumber !== undefined ? { callerNumber: o.callerNumber } : {}),
  }
}

/** Feed inputs in order; collect everything that came out. */
export function play(state: AcdState, steps: readonly (readonly [AcdInput, Instant])[]): { state: AcdState; effects: AcdEffect[]; events: AcdEvent[] } {
  let s = state
  const effects: AcdEffect[] = []
  const events: AcdEvent[] = []
  for (const [input, now] of steps) {
    const r = decide(s, input, now)
    s = r.state
    effects.push(...r.effects)
    events.push(...r.events)
  }
  return { state: s, effects, events }
}

export const rings = (effects: readonly AcdEffect[]): { call: string; agent: string }[] =>
  effects.flatMap((e) => (e.kind === 'ring-agent' ? [{ call: e.call, agent: e.agent }] : []))

/** The offer now ringing this agent (throws in a test if none). */
export function offerOf(state: AcdState, id: string): OfferId {
  const a = state.agents.get(agentId(id))
  if (a?.activity.kind !== 'ringing') throw new Error(`${id} is not ringing`)
  return a.activity.offer
}

export const activityOf = (state: AcdState, id: string): string => state.agents.get(agentId(id))?.activity.kind ?? 'unknown'
export const presenceOf = (state: AcdState, id: string): Presence | undefined => state.agents.get(agentId(id))?.presence
export const tick: AcdInput = { kind: 'tick' }
export { agentId, callId, queueId }

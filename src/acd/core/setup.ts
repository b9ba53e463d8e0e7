/** Building the ACD's state: queues with sensible defaults, agents from their profiles. */
import type { AgentId, Instant, QueueId } from '../../shared/index.ts'
import { seconds } from '../../shared/index.ts'
import type { Agent, Contact, QueueConfig } from './model.ts'
import { Draft, emptyState, type AcdState } from './state.ts'

export interface AgentProfile {
  readonly id: AgentId
  readonly contact: Contact
  readonly skills: ReadonlyMap<string, number>
  readonly queues: readonly QueueId[]
}

/** Defaults after mod_callcenter's: 30 s ring, 10 s wrap-up, rest 10 s after a miss, 3 misses. */
export function queueConfig(id: QueueId, overrides: Partial<Omit<QueueConfig, 'id'>> = {}): QueueConfig {
  return {
    id,
    strategy: 'longest-idle',
    ringTimeout: seconds(30),
    wrapUp: seconds(10),
    noAnswer: { noAnswerDelay: seconds(10), busyDelay: seconds(60), rejectDelay: seconds(10), unreachableDelay: seconds(60), maxNoAnswer: 3 },
    escalation: [],
    maxWait: undefined,
    announceEvery: undefined,
    callback: { maxAttempts: 3, retryDelay: seconds(120) },
    callbackKey: undefined,
    defaultHandleTime: seconds(180),
    ...overrides,
  }
}

/** A new agent is logged out and idle; a SIP phone counts once it registers, a PSTN number at once. */
export function newAgent(p: AgentProfile, now: Instant): Agent {
  return {
    ...p,
    presence: { kind: 'logged-out', since: now },
    activity: { kind: 'idle', since: now },
    registered: p.contact.kind === 'pstn',
    missedInARow: 0,
    callsHandled: 0,
    lastOfferAt: undefined,
  }
}

/** A state with these queues and agents, indices built. Nobody is waiting yet, so nothing to match. */
export function createAcdState(queues: readonly QueueConfig[], agents: readonly Agent[] = []): AcdState {
  const d = new Draft(emptyState(queues), 0)
  for (const a of agents) d.putAgent(a)
  return d.finish()
}

/** Add an agent or change its contact, skills or queues; what it chose and is doing is kept. */
export function configureAgent(d: Draft, p: AgentProfile): void {
  const prev = d.agents.get(p.id)
  if (!prev) return d.putAgent(newAgent(p, d.now))
  d.forgetAgent(prev)
  d.putAgent({ ...prev, ...p })
}

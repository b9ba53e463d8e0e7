/** What the ACD tells the rest of Hotline (screen-pop, wallboard, SSE): each core event, timed. */
import type { Bus, Instant } from '../shared/index.ts'
import type { AcdEvent } from './core/index.ts'

export interface AcdNotice {
  readonly at: Instant
  readonly event: AcdEvent
}

export type AcdBus = Bus<AcdNotice>

/** The agent a notice is about, for the agent's own stream (undefined: queue-wide). */
export function agentOfNotice(n: AcdNotice): string | undefined {
  const e = n.event
  // A transfer is the receiving agent's news (their screen-pop); the first agent sees its own wrap-up.
  if (e.kind === 'call-transferred') return e.to
  return 'agent' in e ? e.agent : undefined
}

/** Who may take which caller, and in what order (ARCHITECTURE: "acd/core: rank"). */
import type { Agent, QueuedCall, Strategy } from './model.ts'
import { tierRank } from './model.ts'
import type { Place, Slot } from './queue-line.ts'

/** Ready, phone registered, and the system has nothing else for the agent (not resting). */
export const isAvailable = (a: Agent): boolean =>
  a.presence.kind === 'ready' && a.registered && a.activity.kind === 'idle'

/** Counted in the estimated wait: ready and reachable, busy or not. */
export const isStaffed = (a: Agent): boolean => a.presence.kind === 'ready' && a.registered

/** Waiting for an agent now: not being offered, not connecting, not between callback attempts. */
export const isDispatchable = (c: QueuedCall): boolean =>
  c.phase.kind === 'waiting' && c.callback?.retryAt === undefined

/** Each required skill at its minimum level, less the relaxation earned by waiting (never below 1). */
export function matches(agent: Agent, call: QueuedCall): boolean {
  if (call.widened) return true
  for (const need of call.skills) {
    const level = agent.skills.get(need.skill) ?? 0
    if (level < Math.max(1, need.min - call.relax)) return false
  }
  return true
}

/** Sum of the agent's levels in the skills the caller needs. */
export function skillScore(agent: Agent, call: QueuedCall): number {
  let score = 0
  for (const need of call.skills) score += agent.skills.get(need.skill) ?? 0
  return score
}

/**
 * VIP tiers are served "by the best agents" (PRODUCT.md): any tier above standard, and every
 * caller of a most-skilled queue, goes to the highest skill score; the queue's strategy breaks ties.
 */
export const skillFirst = (call: QueuedCall, strategy: Strategy): boolean =>
  strategy === 'most-skilled' || call.tier !== 'standard'

export const placeOf = (c: QueuedCall): Place => ({ call: c.id, rank: tierRank(c.tier), at: c.enqueuedAt, seq: c.seq })

/** The strategy's order for available agents; idle.since breaks ties (longest idle first). */
export function slotOf(a: Agent, strategy: Strategy): Slot {
  const idleSince = a.activity.kind === 'idle' ? a.activity.since : 0
  switch (strategy) {
    case 'fewest-calls':
      return { agent: a.id, k1: a.callsHandled, k2: idleSince }
    case 'round-robin':
      return { agent: a.id, k1: a.lastOfferAt ?? -Infinity, k2: idleSince }
    case 'longest-idle':
    case 'most-skilled':
    case 'ring-all':
      return { agent: a.id, k1: idleSince, k2: 0 }
  }
}

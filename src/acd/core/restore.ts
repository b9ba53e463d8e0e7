/**
 * Rebuilding after a Hotline restart. FreeSWITCH kept the channels (esl-captures fact 16); the
 * shell finds an agent leg still bridged to a caller and tells the core the agent is on that call,
 * so the agent is not offered a second caller while talking, and its wrap-up starts when the call ends.
 */
import type { AcdInput } from './messages.ts'
import type { Agent } from './model.ts'
import { cancelOffer } from './offers.ts'
import type { Draft } from './state.ts'

export function restoreAgentCall(d: Draft, a: Agent, i: Extract<AcdInput, { kind: 'agent-call-restored' }>): void {
  if (a.activity.kind === 'on-call') return // already known (a reconnect, not a restart)
  // The switch is the truth for channels: a ring the core still holds for this agent is over.
  if (a.activity.kind === 'ringing') cancelOffer(d, a.activity.offer, 'answered-elsewhere')
  // The caller is talking, not waiting: any ring for it stops, and it leaves the line.
  const c = d.calls.get(i.call)
  if (c?.phase.kind === 'offered') for (const o of c.phase.offers) cancelOffer(d, o, 'answered-elsewhere')
  if (c && c.phase.kind !== 'connecting') d.dropCall(i.call)
  const now = d.agents.get(a.id) ?? a
  d.putAgent({ ...now, activity: { kind: 'on-call', call: i.call, queue: i.queue, since: Math.min(i.since, d.now) } })
}

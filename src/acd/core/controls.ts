/**
 * The agent's call controls as the core sees them (the shell moves the legs, call-controls.ts):
 * hold and resume mark the agent's call; a transfer or consultation reserves the target agent on
 * the call so no offer reaches them while their phone rings, and releases them if it never began;
 * the hand-over itself (`call-transferred`) ends the first agent's part and is told once, so the
 * receiving agent's console pops the caller as a queue offer would (screenpop); a blind target's
 * answer (`transfer-answered`) moves that pop from ringing to answered.
 */
import type { AcdInput, AcdRejection } from './messages.ts'
import type { Agent } from './model.ts'
import { endAgentCall } from './calls.ts'
import { isAvailable } from './rank.ts'
import type { Draft } from './state.ts'

type ControlInput = Extract<AcdInput, { kind: 'call-held' | 'call-resumed' | 'agent-call-joined' | 'agent-call-released' | 'call-transferred' | 'transfer-answered' }>

const refuse = (d: Draft, i: ControlInput, code: AcdRejection): void => void d.events.push({ kind: 'input-rejected', input: i.kind, code })

export function applyControl(d: Draft, a: Agent, i: ControlInput): void {
  switch (i.kind) {
    case 'call-held':
    case 'call-resumed': {
      if (a.activity.kind !== 'on-call' || a.activity.call !== i.call) return refuse(d, i, 'agent-not-on-call')
      const held = i.kind === 'call-held'
      if ((a.activity.held ?? false) === held) return // said twice: nothing new
      d.putAgent({ ...a, activity: { ...a.activity, held } })
      d.events.push({ kind: held ? 'call-held' : 'call-resumed', call: i.call, agent: a.id })
      return
    }
    case 'agent-call-joined':
      // Only an agent free to take a call: ringing, talking, wrap-up and rest keep their meaning.
      if (!isAvailable(a)) return refuse(d, i, 'agent-unavailable')
      if (!d.queues.has(i.queue)) return refuse(d, i, 'queue-unknown')
      d.putAgent({ ...a, missedInARow: 0, lastOfferAt: d.now, activity: { kind: 'on-call', call: i.call, queue: i.queue, since: d.now } })
      d.events.push({ kind: 'call-joined', call: i.call, agent: a.id, queue: i.queue })
      return
    case 'agent-call-released':
      if (a.activity.kind !== 'on-call' || a.activity.call !== i.call) return
      // Not a handled call: no wrap-up, no handle time, matched again at once if still ready.
      d.putAgent({ ...a, activity: { kind: 'idle', since: d.now } })
      return
    case 'call-transferred':
      return handOver(d, a, i)
    case 'transfer-answered':
      // She has been on the call since the join; only her console learns she is talking now.
      if (a.activity.kind !== 'on-call' || a.activity.call !== i.call) return refuse(d, i, 'agent-not-on-call')
      d.events.push({ kind: 'transfer-answered', call: i.call, agent: a.id, queue: a.activity.queue })
      return
  }
}

/** Both agents must be on the call: a repeat (the first agent already wrapping up) tells nothing again. */
function handOver(d: Draft, from: Agent, i: Extract<ControlInput, { kind: 'call-transferred' }>): void {
  const to = d.agents.get(i.to)
  if (from.activity.kind !== 'on-call' || from.activity.call !== i.call) return refuse(d, i, 'agent-not-on-call')
  if (to?.activity.kind !== 'on-call' || to.activity.call !== i.call || to.id === from.id) return refuse(d, i, 'agent-not-on-call')
  // Told before the first agent's wrap-up: the receiving console learns who is calling first.
  d.events.push({ kind: 'call-transferred', call: i.call, from: from.id, to: to.id, queue: to.activity.queue, how: i.how })
  endAgentCall(d, from, i.call)
}

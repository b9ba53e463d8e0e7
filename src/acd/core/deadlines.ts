/**
 * Deadlines are data (ARCHITECTURE principle 2): ringing, wrap-up and resting carry theirs, a
 * waiting caller's come from its queue. The shell arms one timer at `nextDeadline` and feeds
 * `tick` when it fires. On-call and a callback's customer dial have none: they end by an event,
 * and after a restart the shell rebuilds them from the channels FreeSWITCH still has.
 */
import type { Instant } from '../../shared/index.ts'
import type { Activity, Agent } from './model.ts'
import { expireOffer } from './offers.ts'
import type { AcdState, Draft } from './state.ts'
import { callDeadline, catchUp } from './waiting.ts'

export function activityDeadline(a: Activity): Instant | undefined {
  switch (a.kind) {
    case 'ringing':
      return a.deadline
    case 'wrap-up':
    case 'resting':
      return a.until
    case 'idle':
    case 'on-call':
      return undefined
  }
}

/** The earliest instant at which `tick` has something to do. */
export function nextDeadline(state: AcdState): Instant | undefined {
  let at = Infinity
  for (const a of state.agents.values()) {
    const t = activityDeadline(a.activity)
    if (t !== undefined && t < at) at = t
  }
  for (const c of state.calls.values()) {
    const q = state.queues.get(c.queue)
    const t = q && callDeadline(c, q)
    if (t !== undefined && t < at) at = t
  }
  return at === Infinity ? undefined : at
}

/** Agents first (a freed agent may take a caller whose step is also due), then callers. */
export function tick(d: Draft): void {
  const due: Agent[] = []
  for (const a of d.agents.values()) {
    const t = activityDeadline(a.activity)
    if (t !== undefined && t <= d.now) due.push(a)
  }
  for (const a of due) endActivity(d, a)
  const calls = []
  for (const c of d.calls.values()) {
    const q = d.queues.get(c.queue)
    const t = q && callDeadline(c, q)
    if (t !== undefined && t <= d.now) calls.push(c)
  }
  for (const c of calls) {
    const current = d.calls.get(c.id)
    if (current) catchUp(d, current, false)
  }
}

function endActivity(d: Draft, a: Agent): void {
  switch (a.activity.kind) {
    case 'ringing':
      return expireOffer(d, a.activity.offer)
    case 'wrap-up':
    case 'resting':
      // Idle since the deadline, not since the tick: a late timer does not cost the agent its place.
      return d.putAgent({ ...a, activity: { kind: 'idle', since: a.activity.until } })
    case 'idle':
    case 'on-call':
      return
  }
}

/** A waiting caller's own deadlines: escalation steps, maximum wait, announcements, callback retries. */
import type { Instant } from '../../shared/index.ts'
import type { EscalationStep, QueueConfig, QueueExit, QueuedCall } from './model.ts'
import { comparePlaces, positionIn } from './queue-line.ts'
import { estimatedWaitSeconds } from './estimate.ts'
import { placeOf } from './rank.ts'
import type { Draft } from './state.ts'

/** The earliest instant something is due for this caller; none while offered or connecting. */
export function callDeadline(c: QueuedCall, q: QueueConfig): Instant | undefined {
  if (c.phase.kind !== 'waiting') return undefined
  let at = Infinity
  const step = q.escalation[c.step]
  if (step) at = Math.min(at, c.queuedAt + step.after)
  if (c.callback) {
    if (c.callback.retryAt !== undefined) at = Math.min(at, c.callback.retryAt)
  } else {
    if (q.maxWait) at = Math.min(at, c.queuedAt + q.maxWait.after)
    if (c.nextAnnouncementAt !== undefined) at = Math.min(at, c.nextAnnouncementAt)
  }
  return at === Infinity ? undefined : at
}

/** Guards against a configuration whose overflows chase each other with zero waits. */
const MAX_STEPS = 64

/**
 * Apply whatever is due at `now`, in order, and store the caller. `fresh`: look for an agent
 * afterwards (a caller back from a failed offer, or one whose requirements just loosened).
 */
export function catchUp(d: Draft, call: QueuedCall, fresh: boolean): void {
  let c = call
  let loosened = fresh
  for (let guard = 0; guard < MAX_STEPS; guard++) {
    const q = d.queue(c.queue)
    const step = q.escalation[c.step]
    if (step && c.queuedAt + step.after <= d.now) {
      c = escalate(d, c, step)
      loosened = true
      continue
    }
    if (!c.callback && q.maxWait && c.queuedAt + q.maxWait.after <= d.now) {
      const next = exitQueue(d, c, q.maxWait.exit)
      if (!next) return
      c = next
      loosened = true
      continue
    }
    break
  }
  if (c.callback?.retryAt !== undefined && c.callback.retryAt <= d.now) {
    c = { ...c, callback: { ...c.callback, retryAt: undefined } }
    loosened = true
  }
  d.putCall(c, loosened)
  announceIfDue(d, c)
}

function escalate(d: Draft, c: QueuedCall, step: EscalationStep): QueuedCall {
  const n = c.step + 1
  d.events.push({ kind: 'call-escalated', call: c.id, queue: c.queue, step: n, action: step.action })
  switch (step.action.kind) {
    case 'relax-skills':
      return { ...c, step: n, relax: c.relax + step.action.by }
    case 'widen':
      return { ...c, step: n, widened: true }
    case 'overflow':
      return move(d, { ...c, step: n }, step.action.to)
  }
}

/** Into another queue: the place (tier, first entry) is kept; the new queue's steps start over. */
function move(d: Draft, c: QueuedCall, to: QueuedCall['queue']): QueuedCall {
  const q = d.queues.get(to)
  if (!q) return c // unknown target: validated at configuration time, so stay put rather than drop
  d.events.push({ kind: 'call-overflowed', call: c.id, from: c.queue, to })
  d.effects.push({ kind: 'move-call', call: c.id, queue: to })
  const nextAnnouncementAt = q.announceEvery !== undefined && !c.callback ? d.now + q.announceEvery : undefined
  return { ...c, queue: to, queuedAt: d.now, step: 0, relax: 0, widened: false, nextAnnouncementAt }
}

/** Maximum wait reached: returns the caller if it stays in the ACD (moved, or now a callback). */
function exitQueue(d: Draft, c: QueuedCall, exit: QueueExit): QueuedCall | undefined {
  d.events.push({ kind: 'call-exited', call: c.id, queue: c.queue, exit })
  switch (exit.kind) {
    case 'queue':
      return move(d, c, exit.to)
    case 'callback':
      if (c.callerNumber !== undefined) return toCallback(d, c, c.callerNumber)
      d.effects.push({ kind: 'exit-queue', call: c.id, exit: { kind: 'message', sound: exit.otherwise } })
      d.dropCall(c.id)
      return undefined
    case 'message':
      d.effects.push({ kind: 'exit-queue', call: c.id, exit })
      d.dropCall(c.id)
      return undefined
  }
}

/** The caller hangs up and keeps the place: same tier, same first entry, same queue. */
export function toCallback(d: Draft, c: QueuedCall, number: string): QueuedCall {
  d.effects.push({ kind: 'exit-queue', call: c.id, exit: { kind: 'callback-confirmed', number } })
  d.events.push({ kind: 'callback-scheduled', call: c.id, queue: c.queue, number })
  return { ...c, callback: { number, attempts: 0, retryAt: undefined }, nextAnnouncementAt: undefined }
}

function announceIfDue(d: Draft, c: QueuedCall): void {
  const q = d.queues.get(c.queue)
  if (!q || c.callback || q.announceEvery === undefined || c.phase.kind !== 'waiting') return
  if (c.nextAnnouncementAt === undefined || c.nextAnnouncementAt > d.now) return
  const line = d.line(c.queue)
  const position = positionIn(line.waiting, placeOf(c), comparePlaces) ?? line.waiting.length
  const key = q.callbackKey !== undefined && c.callerNumber !== undefined ? { callbackKey: q.callbackKey } : {}
  d.effects.push({ kind: 'play-announcement', call: c.id, position, estimatedWaitSeconds: estimatedWaitSeconds(line, q, position), ...key })
  d.putCall({ ...c, nextAnnouncementAt: d.now + q.announceEvery }, false)
}

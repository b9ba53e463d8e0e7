/** What the agent chose (log in/out, ready, not ready) and whether the phone is registered. */
import type { CancelReason } from './messages.ts'
import type { Agent, Presence } from './model.ts'
import { cancelOffer, PHONE_UNREACHABLE } from './offers.ts'
import type { Draft } from './state.ts'

/** A ring the agent can no longer take is cancelled at once; the caller goes back to waiting. */
function change(d: Draft, a: Agent, next: (a: Agent) => Agent, reason: CancelReason): void {
  if (a.activity.kind === 'ringing') cancelOffer(d, a.activity.offer, reason, next)
  else d.putAgent(next(a))
}

const withPresence = (p: Presence) => (a: Agent): Agent => ({ ...a, presence: p })

export function logIn(d: Draft, a: Agent): void {
  if (a.presence.kind !== 'logged-out') return
  d.putAgent({ ...a, missedInARow: 0, presence: { kind: 'ready', since: d.now } })
}

export function logOut(d: Draft, a: Agent): void {
  if (a.presence.kind === 'logged-out') return
  change(d, a, withPresence({ kind: 'logged-out', since: d.now }), 'agent-logged-out')
}

export function goReady(d: Draft, a: Agent): void {
  if (a.presence.kind === 'ready') return
  d.putAgent({ ...a, missedInARow: 0, presence: { kind: 'ready', since: d.now } })
}

export function goNotReady(d: Draft, a: Agent, reason: string): void {
  if (a.presence.kind === 'not-ready' && a.presence.reason === reason) return
  change(d, a, withPresence({ kind: 'not-ready', reason, since: d.now }), 'agent-not-ready')
}

/**
 * A registration (or a refresh of one) of an agent the ACD put not-ready for an unreachable phone
 * makes it ready again: the phone is back, and the agent had not chosen to stop. Any reason the
 * agent chose is left alone.
 */
export function register(d: Draft, a: Agent, registered: boolean): void {
  const comesBack = registered && isPhoneUnreachable(a)
  if (a.registered === registered && !comesBack) return
  if (!registered) return change(d, a, (x) => ({ ...x, registered }), 'agent-unregistered')
  d.putAgent({ ...a, registered, ...(comesBack ? { missedInARow: 0, presence: { kind: 'ready', since: d.now } } : {}) })
}

export const isPhoneUnreachable = (a: Agent): boolean => a.presence.kind === 'not-ready' && a.presence.reason === PHONE_UNREACHABLE

export function extendWrapUp(d: Draft, a: Agent, by: number): void {
  if (a.activity.kind !== 'wrap-up' || by <= 0) return
  d.putAgent({ ...a, activity: { ...a.activity, until: a.activity.until + by } })
}

/**
 * The ACD's part of rebuilding after a restart or reconnect (ARCHITECTURE principle 3, facts
 * 16-17): the queue state stamped on customer legs and the offer ids on agent legs become inputs.
 * Pure: the shell issues `show channels as json`, `show bridged_calls as json` and one `eval` per
 * channel, then runs the plan.
 *
 * Ringing offers are not restored: their legs are cancelled (uuid_kill … ORIGINATOR_CANCEL) and
 * the caller, rebuilt with its original entry time, is at the head of its tier and is offered again
 * at once. That is simpler than re-arming a half-known ring and can never leave a phone ringing
 * for an offer the core does not hold.
 *
 * A caller on hold is stamped with the agent leg that holds it (`hotline_held_leg`, call-controls.ts):
 * their two legs are parked apart, so no bridge pairs them. With the agent's leg still up, both are
 * restored on hold and the agent can resume; a consultation the agent had open is hung up (its
 * target is not stamped) and the agent is back with the held caller. With the agent's leg gone,
 * the caller goes back to the head of its queue (its original entry time) rather than hear music
 * for ever.
 */
import { agentId, callId, queueId, type ChannelUuid } from '../shared/index.ts'
import { TIERS, type AcdInput, type SkillNeed, type Tier } from './core/index.ts'

export const RECOVERY_VARS = [
  'hotline_call_id', 'hotline_queue', 'hotline_tier', 'hotline_skills', 'hotline_enqueued_at',
  'hotline_offer_id', 'hotline_agent', 'hotline_callback', 'hotline_bridged_at', 'hotline_held_leg',
] as const
const FIELDS = ['Answer-State', 'Caller-Caller-ID-Number'] as const

/** `eval uuid:<uuid> <this>`: channel variables need the `variable_` prefix (fact 6). */
export function recoveryExpression(): string {
  return [...RECOVERY_VARS.map((v) => `\${variable_${v}}`), ...FIELDS.map((f) => `\${${f}}`)].join('|')
}

export interface AcdChannel {
  readonly uuid: ChannelUuid
  readonly vars: Readonly<Partial<Record<(typeof RECOVERY_VARS)[number], string>>>
  readonly answered: boolean
  readonly callerNumber: string
}

export function parseAcdChannel(uuid: ChannelUuid, evalBody: string): AcdChannel | undefined {
  if (evalBody.startsWith('-ERR')) return undefined
  const parts = evalBody.replace(/\n$/, '').split('|')
  const vars: Partial<Record<(typeof RECOVERY_VARS)[number], string>> = {}
  RECOVERY_VARS.forEach((v, i) => {
    if (parts[i]) vars[v] = parts[i]
  })
  const field = (f: (typeof FIELDS)[number]): string => parts[RECOVERY_VARS.length + FIELDS.indexOf(f)] ?? ''
  return { uuid, vars, answered: field('Answer-State') === 'answered', callerNumber: field('Caller-Caller-ID-Number') }
}

/** `billing:3,tv:2` — no `;` or `=` (uuid_setvar_multi splits on them). */
export const encodeSkills = (skills: readonly SkillNeed[]): string => skills.map((s) => `${s.skill}:${s.min}`).join(',')

export function decodeSkills(text: string | undefined): SkillNeed[] {
  if (!text) return []
  return text.split(',').flatMap((part) => {
    const [skill, min] = part.split(':')
    const level = Number(min)
    return skill && Number.isInteger(level) && level >= 1 && level <= 5 ? [{ skill, min: level }] : []
  })
}

const tierOf = (t: string | undefined): Tier => (TIERS as readonly string[]).includes(t ?? '') ? (t as Tier) : 'standard'

export interface RecoveryPlan {
  /** Agent legs to cancel: ringing offers, and answered legs left with no caller. */
  readonly cancel: readonly ChannelUuid[]
  /** Agents talking to a caller: restored on that call. */
  readonly talking: readonly (Extract<AcdInput, { kind: 'agent-call-restored' }> & { readonly leg: ChannelUuid; readonly customerLeg: ChannelUuid })[]
  /** Agents holding a caller (parked apart, hotline_held_leg): restored on that call, on hold. */
  readonly held: readonly (Extract<AcdInput, { kind: 'agent-call-restored' }> & { readonly leg: ChannelUuid; readonly customerLeg: ChannelUuid })[]
  /** Callers waiting, in their original order. */
  readonly waiting: readonly (Extract<AcdInput, { kind: 'call-queued' }> & { readonly leg: ChannelUuid })[]
}

/**
 * `keep(uuid)` says which agent legs the running shell still tracks (a reconnect, not a restart):
 * those are left alone. `bridged` pairs come from `show bridged_calls as json`.
 */
export function planRecovery(
  channels: readonly AcdChannel[], bridged: ReadonlyArray<readonly [ChannelUuid, ChannelUuid]>, now: number, keep: (leg: ChannelUuid) => boolean,
): RecoveryPlan {
  const peer = new Map<string, ChannelUuid>()
  for (const [a, b] of bridged) {
    peer.set(a, b)
    peer.set(b, a)
  }
  const byUuid = new Map(channels.map((c) => [c.uuid as string, c]))
  const agentLeg = (uuid: string | undefined): AcdChannel | undefined => {
    const c = uuid ? byUuid.get(uuid) : undefined
    return c?.vars.hotline_offer_id !== undefined && !c.vars.hotline_offer_id.startsWith('transfer-') ? c : undefined
  }
  // Agent leg → the caller it holds (not bridged to anyone: on hold music).
  const holding = new Map<string, AcdChannel>()
  for (const c of channels) {
    const held = c.vars.hotline_held_leg
    if (held && c.vars.hotline_call_id && c.vars.hotline_queue && !peer.has(c.uuid) && agentLeg(held)) holding.set(held, c)
  }
  const cancel: ChannelUuid[] = []
  const talking: RecoveryPlan['talking'][number][] = []
  const held: RecoveryPlan['held'][number][] = []
  const waiting: RecoveryPlan['waiting'][number][] = []
  for (const c of channels) {
    const v = c.vars
    const other = peer.get(c.uuid)
    const customer = holding.get(c.uuid)
    if (customer && v.hotline_agent) {
      const since = Number(customer.vars.hotline_bridged_at)
      held.push({
        kind: 'agent-call-restored', agent: agentId(v.hotline_agent), call: callId(customer.vars.hotline_call_id!), queue: queueId(customer.vars.hotline_queue!),
        since: Number.isFinite(since) && since > 0 ? since : now, leg: c.uuid, customerLeg: customer.uuid,
      })
      continue
    }
    if (v.hotline_offer_id?.startsWith('transfer-') && other && holding.has(other)) {
      // The consultation of an agent who holds a caller: kept on a reconnect, ended on a restart.
      if (!keep(other)) cancel.push(c.uuid)
      continue
    }
    if (v.hotline_offer_id !== undefined) {
      const customer = other ? byUuid.get(other) : undefined
      const call = customer?.vars.hotline_call_id ?? v.hotline_call_id
      const queue = customer?.vars.hotline_queue
      if (other && v.hotline_agent && call && queue) {
        const since = Number(customer?.vars.hotline_bridged_at ?? v.hotline_bridged_at)
        talking.push({ kind: 'agent-call-restored', agent: agentId(v.hotline_agent), call: callId(call), queue: queueId(queue), since: Number.isFinite(since) && since > 0 ? since : now, leg: c.uuid, customerLeg: other })
      } else if (!keep(c.uuid)) cancel.push(c.uuid)
      continue
    }
    if (v.hotline_queue === undefined || v.hotline_call_id === undefined || other !== undefined) continue
    if ([...holding.values()].includes(c)) continue
    const at = Number(v.hotline_enqueued_at)
    // Bridged since it queued (the agent hung up and park_after_bridge re-parked it): not waiting —
    // unless it was on hold and its agent's leg is gone: then it waits again.
    if (Number(v.hotline_bridged_at) >= at && !v.hotline_held_leg) continue
    waiting.push({
      kind: 'call-queued', call: callId(v.hotline_call_id), queue: queueId(v.hotline_queue), tier: tierOf(v.hotline_tier),
      skills: decodeSkills(v.hotline_skills), enqueuedAt: Number.isFinite(at) && at > 0 ? at : now, leg: c.uuid,
      ...(c.callerNumber ? { callerNumber: c.callerNumber } : {}),
    })
  }
  waiting.sort((a, b) => (a.enqueuedAt ?? 0) - (b.enqueuedAt ?? 0))
  return { cancel, talking, held, waiting }
}

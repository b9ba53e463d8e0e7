/**
 * The shell side of recovery.ts: asks the switch what it holds (facts 16-18) and runs the plan.
 * Order matters: stale rings are cancelled and talking agents restored before waiting callers
 * are queued, so a caller is never offered to an agent who is still ringing or talking.
 */
import { err, failure, ok, type ChannelUuid, type Failure, type Result } from '../shared/index.ts'
import { bridgedPairs, channelRows, type CallControl } from '../calls/index.ts'
import type { AcdInput, AcdState } from './core/index.ts'
import { registeredUsers } from './agent-phone.ts'
import type { EffectRunner } from './effect-runner.ts'
import type { RunningApp } from './hold-music.ts'
import { parseAcdChannel, planRecovery, recoveryExpression, type AcdChannel } from './recovery.ts'
import type { AgentId, CallId, QueueId } from '../shared/index.ts'

export interface RecoverySummary {
  readonly waiting: number
  readonly talking: number
  readonly held: number
  readonly cancelled: number
  readonly registered: number
}

export interface RestoredHold {
  readonly call: CallId
  readonly agent: AgentId
  readonly queue: QueueId
  readonly customerLeg: ChannelUuid
  readonly agentLeg: ChannelUuid
}

export interface RecoveryHost {
  feed(i: AcdInput): void
  /** A caller on hold with its agent: the call controls take it up (resume, transfer, hang up). */
  heldCall(h: RestoredHold): void
  /** A waiting caller's leg: remembered, and its hold music resumed unless it still plays (`running`). */
  waitingLeg(call: CallId, leg: ChannelUuid, running: RunningApp | undefined): void
}

type Api = (cmd: string) => Promise<Result<string, Failure>>

export async function recoverFromSwitch(api: Api, control: CallControl, state: () => AcdState, runner: EffectRunner, now: number, host: RecoveryHost): Promise<Result<RecoverySummary, Failure>> {
  const list = await api('show channels as json')
  if (!list.ok) return list
  const rows = channelRows(list.value)
  if (typeof rows === 'string') return err(failure('reconcile-unreadable', `show channels: ${rows}`))
  const bridged = await api('show bridged_calls as json')
  const pairs = bridged.ok ? bridgedPairs(bridged.value) : []
  const expr = recoveryExpression()
  const found: AcdChannel[] = []
  for (const row of rows) {
    const r = await api(`eval uuid:${row.uuid} ${expr}`)
    const ch = r.ok ? parseAcdChannel(row.uuid, r.value) : undefined
    if (ch) found.push(ch)
  }
  const live = new Map(found.map((c) => [c.uuid as string, c]))
  // Rings whose result was lost with the old connection: the switch shows what became of the leg.
  const known = new Set<string>([...runner.phones.values()])
  for (const [offer, ring] of [...runner.rings]) {
    const ch = live.get(ring.leg)
    if (ring.lost && !ch) {
      runner.rings.delete(offer)
      // Why it ended went with the old connection: not the agent's phone's fault that we know of.
      host.feed({ kind: 'offer-failed', offer, cause: 'lost' })
      continue
    }
    known.add(ring.leg)
    if (ring.lost && ch?.answered) runner.answered(offer, ring.leg)
  }
  const plan = planRecovery(found, typeof pairs === 'string' ? [] : pairs, now, (leg) => known.has(leg))
  await Promise.all(plan.cancel.map((leg) => control.hangup(leg, 'ORIGINATOR_CANCEL')))
  for (const t of plan.talking) {
    runner.phones.set(t.agent, t.leg)
    runner.bridged.add(t.call)
    // Both legs, again: when the caller hangs up the agent's phone must be parked for wrap-up,
    // not torn down (ARCHITECTURE "How one caller reaches an agent", step 5; fact 12).
    await Promise.all([t.leg, t.customerLeg].map((leg) => control.setVars(leg, { park_after_bridge: 'true' })))
    const { leg: _leg, customerLeg: _customer, ...input } = t
    host.feed(input)
  }
  for (const h of plan.held) {
    runner.phones.set(h.agent, h.leg)
    host.heldCall({ call: h.call, agent: h.agent, queue: h.queue, customerLeg: h.customerLeg, agentLeg: h.leg })
    const { leg: _leg, customerLeg: _customer, ...input } = h
    host.feed(input)
    host.feed({ kind: 'call-held', agent: h.agent, call: h.call })
  }
  const registered = await refreshRegistrations(api, state, host)
  const apps = new Map(rows.map((row) => [row.uuid as string, { app: row.application ?? '', data: row.applicationData ?? '' }]))
  for (const w of plan.waiting) {
    const { leg, ...input } = w
    host.waitingLeg(w.call, leg, apps.get(leg))
    host.feed(input)
  }
  return ok({ waiting: plan.waiting.length, talking: plan.talking.length, held: plan.held.length, cancelled: plan.cancel.length, registered })
}

/** Registrations made or lost while Hotline was away (fact 24: plain text only). */
export async function refreshRegistrations(api: Api, state: () => AcdState, host: Pick<RecoveryHost, 'feed'>): Promise<number> {
  const r = await api('sofia status profile internal reg')
  if (!r.ok) return 0
  const users = registeredUsers(r.value)
  let count = 0
  for (const a of state().agents.values()) {
    if (a.contact.kind !== 'sip') continue
    const now = users.has(a.contact.user)
    if (now) count++
    if (now !== a.registered) host.feed({ kind: now ? 'agent-registered' : 'agent-unregistered', agent: a.id })
  }
  return count
}

/**
 * Supervision: the wallboard (ACD snapshot + today's tallies) and listen / whisper / barge on an
 * agent's live call. One eavesdrop per supervisor: asking again on the same agent changes the mode
 * with a DTMF digit on the supervisor's leg (capture 11); asking on another agent hangs up the first.
 */
import { randomUUID } from 'node:crypto'
import type { AcdNotice } from '../acd/index.ts'
import { channelUuid, err, failure, ok, type AgentId, type ChannelUuid, type Clock, type Failure, type QueueId, type Result } from '../shared/index.ts'
import {
  dayOf, eavesdropPlan, emptyTallies, modeDigit, rollOver, serviceLevel, tally, type SupervisionMode, type Tallies, type TallyPolicy,
} from './core/index.ts'

/** What the ACD's read model gives (AcdAdmin fits). */
export interface AcdReadModel {
  queues(): readonly { readonly id: QueueId }[]
  live(id: QueueId): { readonly waiting: readonly { readonly waited: number }[]; readonly staffed: number; readonly estimatedWaitSeconds: number | undefined } | undefined
  agents(): readonly AgentLike[]
}

export interface AgentLike {
  readonly id: AgentId
  readonly name: string
  readonly queues: readonly QueueId[]
  readonly presence: { readonly kind: string; readonly since: number; readonly reason?: string }
  readonly activity: { readonly kind: string; readonly call?: string }
  readonly registered: boolean
  readonly presenceForMs: number
  readonly activityForMs: number | undefined
}

/** The switch side of eavesdrop (CallControl.originate / hangup and `api uuid_recv_dtmf` fit). */
export interface EavesdropSwitch {
  originate(spec: { readonly uuid: ChannelUuid; readonly dial: string; readonly vars: Readonly<Record<string, string>>; readonly app: string }): Promise<Result<ChannelUuid, Failure>>
  recvDtmf(leg: ChannelUuid, digits: string): Promise<Result<void, Failure>>
  hangup(leg: ChannelUuid): Promise<Result<void, Failure>>
}

export interface SupervisionDeps {
  readonly acd: AcdReadModel
  /** The agent's own leg while on a call (the ACD's phone map), else undefined. */
  readonly agentLeg: (agent: AgentId) => ChannelUuid | undefined
  /** The supervisor's phone as a dial string (`user/1002@hotline.local`), from the user id, as it is now. */
  readonly supervisorDial: (userId: string) => string | undefined | Promise<string | undefined>
  readonly switch: EavesdropSwitch
  readonly clock: Clock
  readonly policy?: TallyPolicy
  readonly newUuid?: () => string
  /** The site's own alarms (switch link, store, disks), worded for the wallboard's alarm strip. */
  readonly alarms?: () => readonly WallboardAlarm[]
}

export interface WallboardAlarm {
  readonly code: string
  readonly severity: 'critical' | 'warning'
  readonly message: string
  readonly since?: number
}

export interface EavesdropSession {
  readonly supervisor: string
  readonly agent: AgentId
  readonly leg: ChannelUuid
  readonly mode: SupervisionMode
  readonly since: number
}

export type SupervisionError = Failure<'agent-not-on-call' | 'supervisor-phone-unknown' | 'supervision-switch-failed' | 'supervision-none'>

export const DEFAULT_TALLY_POLICY: TallyPolicy = { thresholdMs: 20_000, utcOffsetMinutes: 480 }

export class SupervisionService {
  readonly #d: SupervisionDeps
  readonly #policy: TallyPolicy
  #tallies: Tallies
  readonly #sessions = new Map<string, EavesdropSession>()
  readonly #watchers = new Set<() => void>()
  #notifyQueued = false
  #alarmsSeen = '[]'

  constructor(deps: SupervisionDeps) {
    this.#d = deps
    this.#policy = deps.policy ?? DEFAULT_TALLY_POLICY
    this.#tallies = emptyTallies(deps.clock.now(), this.#policy)
  }

  /** Subscribe this to the ACD's bus. */
  readonly onAcdNotice = (n: AcdNotice): void => {
    const e = n.event
    if (e.kind === 'call-answered') this.#tallies = tally(this.#tallies, { kind: 'answered', queue: e.queue, waited: e.waited }, n.at, this.#policy)
    else if (e.kind === 'call-abandoned') this.#tallies = tally(this.#tallies, { kind: 'abandoned', queue: e.queue, waited: e.waited }, n.at, this.#policy)
    this.#changed()
  }

  wallboard() {
    const now = this.#d.clock.now()
    this.#tallies = rollOver(this.#tallies, now, this.#policy)
    const queues = this.#d.acd.queues().map(({ id }) => {
      const live = this.#d.acd.live(id)
      const day = dayOf(this.#tallies, id)
      const waits = live?.waiting.map((w) => w.waited) ?? []
      return {
        queue: id, waiting: waits.length, longestWaitMs: waits.length ? Math.max(...waits) : 0, staffed: live?.staffed ?? 0,
        estimatedWaitSeconds: live?.estimatedWaitSeconds ?? null, answered: day.answered, abandoned: day.abandoned, serviceLevel: serviceLevel(day),
      }
    })
    const agents = this.#d.acd.agents().map((a) => ({
      id: a.id, name: a.name, queues: a.queues, presence: a.presence.kind, reason: a.presence.reason ?? null, activity: a.activity.kind,
      call: a.activity.call ?? null, registered: a.registered, presenceForMs: a.presenceForMs, activityForMs: a.activityForMs ?? null,
      listenable: a.activity.kind === 'on-call' && this.#d.agentLeg(a.id) !== undefined,
    }))
    const alarms = this.#d.alarms?.() ?? []
    this.#alarmsSeen = alarmKey(alarms)
    return { at: now, day: this.#tallies.day, serviceLevelThresholdSeconds: this.#policy.thresholdMs / 1000, alarms, queues, agents }
  }

  /** Polled by the center (every few seconds): an alarm raised or cleared pushes a fresh board. */
  checkAlarms(): void {
    if (alarmKey(this.#d.alarms?.() ?? []) !== this.#alarmsSeen) this.#changed()
  }

  /** Called once per turn after ACD events: the wallboard streams send a fresh board. */
  watch(fn: () => void): () => void {
    this.#watchers.add(fn)
    return () => this.#watchers.delete(fn)
  }

  session(supervisor: string): EavesdropSession | undefined {
    return this.#sessions.get(supervisor)
  }

  async supervise(supervisor: string, agent: AgentId, mode: SupervisionMode): Promise<Result<EavesdropSession, SupervisionError>> {
    const current = this.#sessions.get(supervisor)
    if (current?.agent === agent) {
      const changed = await this.#d.switch.recvDtmf(current.leg, modeDigit(mode))
      if (changed.ok) return ok(this.#keep({ ...current, mode }))
      this.#sessions.delete(supervisor) // the supervisor's leg is gone: ring the phone again
    } else if (current) {
      this.#sessions.delete(supervisor)
      await this.#d.switch.hangup(current.leg)
    }
    const leg = this.#d.agentLeg(agent)
    if (!leg) return err(failure('agent-not-on-call', `agent ${agent} is not on a call`))
    const dial = await this.#d.supervisorDial(supervisor)
    if (!dial) return err(failure('supervisor-phone-unknown', 'no phone is configured for this supervisor'))
    const plan = eavesdropPlan(dial, leg, mode, supervisor, agent)
    if (!plan) return err(failure('supervisor-phone-unknown', `the supervisor's phone "${dial}" is not a dial string`))
    const uuid = channelUuid((this.#d.newUuid ?? randomUUID)())
    const started = await this.#d.switch.originate({ uuid, ...plan })
    if (!started.ok) return err(failure('supervision-switch-failed', `the supervisor's phone could not be connected: ${started.error.message}`))
    return ok(this.#keep({ supervisor, agent, leg: started.value, mode, since: this.#d.clock.now() }))
  }

  async stop(supervisor: string): Promise<Result<EavesdropSession, SupervisionError>> {
    const current = this.#sessions.get(supervisor)
    if (!current) return err(failure('supervision-none', 'this supervisor is not listening to anyone'))
    this.#sessions.delete(supervisor)
    await this.#d.switch.hangup(current.leg)
    return ok(current)
  }

  /** The lead wires call events here: a supervisor leg hung up (phone down, or agent hung up: fact 21). */
  legEnded(leg: string): void {
    for (const [who, s] of this.#sessions) if (s.leg === leg) this.#sessions.delete(who)
  }

  #keep(s: EavesdropSession): EavesdropSession {
    this.#sessions.set(s.supervisor, s)
    return s
  }

  #changed(): void {
    if (this.#notifyQueued || this.#watchers.size === 0) return
    this.#notifyQueued = true
    // One board per ACD decision, however many events it told.
    queueMicrotask(() => {
      this.#notifyQueued = false
      for (const fn of this.#watchers) fn()
    })
  }
}

const alarmKey = (alarms: readonly WallboardAlarm[]): string => JSON.stringify(alarms.map((a) => [a.code, a.severity]))

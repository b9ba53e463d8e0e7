/**
 * The ACD shell (ARCHITECTURE principle 1): owns the one AcdState, turns call events, REST
 * commands, registrations, feature codes and the IVR's enqueue into inputs, runs each decision's
 * effects through CallControl at once (no polling: the originate leaves in the turn of the event
 * that made it possible), and arms one timer at the earliest deadline.
 */
import {
  Bus, err, failure, ok, type AgentId, type CallId, type ChannelUuid, type Clock, type Failure, type Instant, type OfferId, type Result,
} from '../shared/index.ts'
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { CallControl, CallEvent } from '../calls/index.ts'
import type { EslEvent } from '../esl/index.ts'
import {
  createAcdState, decide, newAgent, nextDeadline, type AcdEvent, type AcdInput, type AcdState, type Agent, type Presence,
} from './core/index.ts'
import type { AcdNotice } from './acd-events.ts'
import type { FeatureCall } from './agent-phone.ts'
import { AgentPhoneEvents } from './agent-phone-events.ts'
import { DeadlineTimer } from './deadline-timer.ts'
import { EffectRunner } from './effect-runner.ts'
import { HoldMusic } from './hold-music.ts'
import { defaultMedia, type AcdMedia } from './media.ts'
import type { DialPlan } from './offer-dial.ts'
import type { AcdLog, AgentRepository, CallbackStore, CdrPatchPort, PresenceEntry, PresenceLog, QueueRepository } from './ports.ts'
import { encodeSkills } from './recovery.ts'
import { recoverFromSwitch, refreshRegistrations, type RecoverySummary, type RestoredHold } from './switch-recovery.ts'
import { AcdAdmin } from './acd-admin.ts'
import type { EnqueueRequest, PresenceCommand } from './commands.ts'
import { skillNeeds } from './commands.ts'

export interface AcdServiceDeps {
  readonly control: CallControl
  readonly api: (cmd: string) => Promise<Result<string, Failure>>
  /** The call tracker's view of a call (CallService fits): the customer leg and caller id. */
  readonly calls: { call(id: string): { readonly customerLeg: ChannelUuid; readonly caller: { readonly number: string; readonly name: string } } | undefined }
  readonly clock: Clock
  readonly agents: AgentRepository
  readonly queues: QueueRepository
  readonly presenceLog: PresenceLog
  readonly log: AcdLog
  readonly dial: DialPlan
  readonly bus?: Bus<AcdNotice>
  readonly cdr?: CdrPatchPort
  /** Where waiting callbacks are kept across restarts (their callers have hung up: no channel remembers them). */
  readonly callbacks?: CallbackStore
  readonly media?: AcdMedia
  readonly newUuid?: () => string
  /** Not-ready reasons: feature code digits → reason (`*24` + digits). The first is the default. */
  readonly notReadyReasons?: Readonly<Record<string, string>>
}

export class AcdService {
  readonly bus: Bus<AcdNotice>
  readonly admin: AcdAdmin
  readonly #d: AcdServiceDeps
  readonly #runner: EffectRunner
  readonly #media: AcdMedia
  readonly #music: HoldMusic
  #state: AcdState = createAcdState([])
  readonly #deadlines: DeadlineTimer
  #presenceWrites: Promise<void> = Promise.resolve()
  readonly #customers = new Map<CallId, ChannelUuid>()
  readonly #phones: AgentPhoneEvents
  /** Calls whose legs hold or a transfer parted on purpose (call-controls.ts). */
  readonly #parted = new Set<CallId>()
  /** Calls a restart found on hold (recovery.ts), for the call controls. */
  readonly #held = new Map<CallId, RestoredHold>()

  constructor(deps: AcdServiceDeps) {
    this.#d = deps
    this.bus = deps.bus ?? new Bus<AcdNotice>((e) => deps.log.warn({ err: e }, 'acd: an event subscriber failed'))
    this.#media = deps.media ?? defaultMedia(resolve('sounds'))
    this.#deadlines = new DeadlineTimer(deps.clock, () => void this.feed({ kind: 'tick' }))
    this.#music = new HoldMusic(deps.control, this.#media.moh, deps.log)
    const host = {
      feed: (i: AcdInput) => void this.feed(i),
      now: () => deps.clock.now(),
      isQueued: (c: CallId) => this.#listening(c),
      customerLeg: (c: CallId) => this.#customers.get(c) ?? deps.calls.call(c)?.customerLeg,
      callerOf: (c: CallId) => deps.calls.call(c)?.caller,
      offerHeld: (o: OfferId) => this.#state.offers.has(o),
    }
    this.#runner = new EffectRunner(deps.control, host, deps.dial, this.#media, this.#music, deps.newUuid ?? randomUUID, deps.log)
    this.#phones = new AgentPhoneEvents(deps.control, this.#media, deps.notReadyReasons ?? {}, {
      state: () => this.#state, feed: (i) => this.feed(i), presence: (a, cmd) => this.presence(a, cmd), defaultReason: () => this.defaultReason,
    })
    this.admin = new AcdAdmin({
      state: () => this.#state, replace: (s) => this.#replace(s), feed: (i) => this.feed(i), agents: deps.agents, queues: deps.queues, clock: deps.clock,
      refreshRegistrations: async () => void (await refreshRegistrations(deps.api, () => this.#state, { feed: (i) => void this.feed(i) })),
    })
  }

  get state(): AcdState {
    return this.#state
  }

  /**
   * The leg of the agent's phone on a call, as soon as it answered: the ACD learns it from the
   * originate's answer, before the bridge's CHANNEL_BRIDGE reaches the call tracker.
   */
  phoneLeg(agent: AgentId): ChannelUuid | undefined {
    return this.#runner.phones.get(agent)
  }

  /** Agent legs answered for offers Hotline had given up on, hung up since start (health). */
  get orphansHungUp(): number {
    return this.#runner.orphansHungUp
  }

  /**
   * Loads queues and agents and gives agents their last presence back. Call before the ESL link
   * connects; `recover` then runs after every (re)connect, after CallService.reconcile.
   */
  async start(): Promise<void> {
    const [queues, records, latest] = await Promise.all([this.#d.queues.list(), this.#d.agents.list(), this.#d.presenceLog.latest()])
    const now = this.#d.clock.now()
    const agents = records.map((r) => restoredAgent(newAgent(r, now), latest.get(r.id)))
    this.admin.remember(records)
    this.#state = createAcdState(queues, agents)
  }

  /** After CallService.reconcile, on start and after every ESL reconnect. */
  async recover(): Promise<Result<RecoverySummary, Failure>> {
    const r = await recoverFromSwitch(this.#d.api, this.#d.control, () => this.#state, this.#runner, this.#d.clock.now(), {
      feed: (i) => void this.feed(i),
      heldCall: (h) => {
        this.#held.set(h.call, h)
        this.#parted.add(h.call)
        this.#customers.set(h.call, h.customerLeg)
      },
      waitingLeg: (call, leg, running) => {
        this.#customers.set(call, leg)
        // Never a second music behind the one the old process left playing (hold-music.ts).
        void this.#music.adopt(leg, running)
      },
    })
    if (r.ok) this.#d.log.info({ ...r.value }, 'acd: rebuilt from the switch')
    await this.#restoreCallbacks()
    this.#arm()
    return r
  }

  /** Callbacks still waiting in the store and not in the line (a restart): back in their place. */
  async #restoreCallbacks(): Promise<void> {
    const saved = await this.#d.callbacks?.waiting().catch((error: unknown) => {
      this.#d.log.warn({ error }, 'acd: could not read the waiting callbacks')
      return []
    }) ?? []
    let restored = 0
    for (const c of saved) {
      if (this.#state.calls.has(c.call) || !this.#state.queues.has(c.queue)) continue
      this.feed({ kind: 'call-queued', call: c.call, queue: c.queue, skills: c.skills, tier: c.tier, enqueuedAt: c.enqueuedAt, callerNumber: c.number, callback: true })
      restored++
    }
    if (restored > 0) this.#d.log.info({ restored }, 'acd: callbacks waiting from before the restart are back in their queues')
  }

  stop(): void {
    this.#deadlines.stop()
  }

  /** Presence-log writes so far have been stored (tests, shutdown). */
  flush(): Promise<void> {
    return this.#presenceWrites
  }

  /** The IVR's `enqueue`: the caller joins the line, hears hold music, and is offered at once if anyone is free. */
  enqueue(call: CallId, req: EnqueueRequest): Result<{ readonly position: number }, Failure> {
    const known = this.#d.calls.call(call)
    const leg = req.leg ?? known?.customerLeg
    if (!leg) return err(failure('call-unknown', `no live call ${call}`))
    if (!this.#state.queues.has(req.queue)) return err(failure('queue-unknown', `no queue ${req.queue}`))
    if (this.#state.calls.has(call)) return ok({ position: this.#position(call) }) // a repeat keeps the place and its stamp
    const skills = skillNeeds(req.skills)
    const tier = req.tier ?? 'standard'
    const now = this.#d.clock.now()
    this.#customers.set(call, leg)
    this.#parted.delete(call) // back in the line (a transfer to a queue): the ACD's again
    const callerNumber = req.callerNumber ?? known?.caller.number
    this.feed({ kind: 'call-queued', call, queue: req.queue, skills, tier, enqueuedAt: now, ...(callerNumber ? { callerNumber } : {}), ...(req.callback ? { callback: true } : {}) })
    // Stamped so that a restarted Hotline rebuilds the caller in the same place (fact 17).
    // playback_terminators=none: a digit is an input for the ACD (the callback key), and the
    // default terminator `*` would end the hold music (mod_dptools.c on_dtmf).
    const stamp = { hotline_queue: req.queue, hotline_tier: tier, hotline_skills: encodeSkills(skills), hotline_enqueued_at: String(now), playback_terminators: 'none' }
    void this.#d.control.setVars(leg, stamp).then((r) => r.ok || this.#d.log.warn({ call, error: r.error }, 'acd: could not stamp the queue'))
    if (this.#listening(call)) this.#music.resume(leg)
    this.#d.cdr?.patch(call, { queue: req.queue, tier, queuedAt: now })
    return ok({ position: this.#position(call) })
  }

  /** Waiting or being offered with the caller on the line (a callback's caller has hung up). */
  #listening(call: CallId): boolean {
    const c = this.#state.calls.get(call)
    return c !== undefined && c.callback === undefined
  }

  /**
   * A callback for a caller waiting in a queue (an agent or supervisor over the API, the IVR's
   * callback node): the caller hears the confirmation and hangs up, the place is kept, and an
   * agent is connected first, then the number is dialled through the trunk. `number`: another
   * number than the caller's own.
   */
  requestCallback(call: CallId, number?: string): Result<{ readonly number: string; readonly position: number }, Failure> {
    const c = this.#state.calls.get(call)
    if (!c) {
      const known = this.#d.calls.call(call) !== undefined
      return err(known ? failure('call-not-waiting', `call ${call} is not waiting in a queue`) : failure('call-unknown', `no live call ${call}`))
    }
    if (c.callback) return err(failure('callback-already-requested', `call ${call} is already a callback to ${c.callback.number}`))
    const to = number ?? c.callerNumber
    if (to === undefined || to === '') return err(failure('callback-number-unknown', 'the caller\'s number is withheld: give the number to call back'))
    const position = this.#position(call)
    this.feed({ kind: 'callback-requested', call, number: to })
    return this.#state.calls.get(call)?.callback ? ok({ number: to, position }) : err(failure('call-not-waiting', `call ${call} is being connected`))
  }

  /** 1-based place in its queue's line; 0 when no longer waiting (offered and answered at once). */
  #position(call: CallId): number {
    const c = this.#state.calls.get(call)
    return c ? (this.#state.lines.get(c.queue)?.waiting.findIndex((p) => p.call === call) ?? -1) + 1 : 0
  }

  /** A presence command from the REST API or a feature code. */
  presence(agent: AgentId, cmd: PresenceCommand): Result<Agent, Failure> {
    const a = this.#state.agents.get(agent)
    if (!a) return err(failure('agent-unknown', `no agent ${agent}`))
    switch (cmd.state) {
      case 'logged-out':
        this.feed({ kind: 'agent-logged-out', agent })
        break
      case 'ready':
        this.feed(a.presence.kind === 'logged-out' ? { kind: 'agent-logged-in', agent } : { kind: 'agent-went-ready', agent })
        break
      case 'not-ready':
        if (a.presence.kind === 'logged-out') this.feed({ kind: 'agent-logged-in', agent })
        this.feed({ kind: 'agent-went-not-ready', agent, reason: cmd.reason ?? this.defaultReason })
        break
    }
    return ok(this.#state.agents.get(agent) ?? a)
  }

  get defaultReason(): string {
    return Object.values(this.#d.notReadyReasons ?? {})[0] ?? 'break'
  }

  get reasons(): readonly string[] {
    return Object.values(this.#d.notReadyReasons ?? {})
  }

  extendWrapUp(agent: AgentId, byMs: number): Result<Agent, Failure> {
    const a = this.#state.agents.get(agent)
    if (!a) return err(failure('agent-unknown', `no agent ${agent}`))
    if (a.activity.kind !== 'wrap-up') return err(failure('agent-not-in-wrap-up', `agent ${agent} is ${a.activity.kind}`))
    this.feed({ kind: 'wrap-up-extended', agent, by: byMs })
    return ok(this.#state.agents.get(agent) ?? a)
  }

  /**
   * Hold and transfers (call-controls.ts) part a bridged call on purpose: until `legsJoined`, a
   * re-park of its customer or agent leg is not the end of the call (facts 11, 20).
   */
  partLegs(call: CallId): void {
    this.#parted.add(call)
    this.#runner.bridged.delete(call)
  }

  /** A caller a restart found on hold with its agent (recovery.ts), until the controls take it up. */
  restoredHold(call: CallId): RestoredHold | undefined {
    const h = this.#held.get(call)
    const a = h && this.#state.agents.get(h.agent)
    // Only while the agent is still on that call: a hangup since ends it.
    if (!h || a?.activity.kind !== 'on-call' || a.activity.call !== call) return undefined
    return h
  }

  /**
   * The customer is bridged again (to `agent`'s phone, or to an outside number): a hangup on either
   * side ends the call as after any ACD bridge, and the agent's phone is released after wrap-up.
   */
  legsJoined(call: CallId, agent?: { readonly id: AgentId; readonly leg: ChannelUuid }): void {
    this.#parted.delete(call)
    this.#runner.bridged.add(call)
    if (agent) this.#runner.phones.set(agent.id, agent.leg)
  }

  /** Every decoded ESL event may be fed here: registrations and feature-code parks are picked out. */
  handleEsl(ev: EslEvent): void {
    this.#phones.handleEsl(ev)
  }

  onRegistration(subclass: string | undefined, headers: Readonly<Record<string, string>>): void {
    this.#phones.onRegistration(subclass, headers)
  }

  /** `*21` login, `*22` logout, `*23` ready, `*24[nn]` not ready (dialplan/agents.xml). */
  onFeatureCall(f: FeatureCall): void {
    this.#phones.onFeatureCall(f)
  }

  /** Calls' lifecycle from CallService's bus. */
  onCallEvent(e: CallEvent): void {
    switch (e.type) {
      case 'call-ended': {
        const id = e.call.id
        this.#music.forget(e.call.customerLeg)
        this.#customers.delete(id)
        this.#runner.bridged.delete(id)
        this.#parted.delete(id)
        this.#held.delete(id)
        if (this.#state.calls.has(id)) this.feed({ kind: 'call-abandoned', call: id })
        for (const a of this.#state.agents.values()) if (a.activity.kind === 'on-call' && a.activity.call === id) this.feed({ kind: 'agent-call-ended', agent: a.id, call: id })
        return
      }
      case 'agent-leg-ended':
      case 'agent-leg-reparked': {
        // The agent hung up, or the caller did and the agent's phone stays up for wrap-up (fact 12).
        const agent = this.#runner.agentOfPhone(e.leg)
        if (!agent) return
        if (e.type === 'agent-leg-ended') this.#runner.phones.delete(agent)
        const a = this.#state.agents.get(agent)
        // A leg parked by hold or a transfer is still on its call (call-controls.ts).
        if (e.type === 'agent-leg-reparked' && a?.activity.kind === 'on-call' && this.#parted.has(a.activity.call)) return
        if (a?.activity.kind === 'on-call') this.feed({ kind: 'agent-call-ended', agent, call: a.activity.call })
        return
      }
      case 'customer-reparked':
        // Re-parked after its agent hung up (fact 11): the agent's hangup ends the call. A call
        // parted by hold or a transfer re-parks on purpose (even one bridged a moment before).
        if (this.#parted.has(e.callId)) return
        if (this.#runner.bridged.delete(e.callId)) void this.#d.control.hangup(e.leg, 'NORMAL_CLEARING')
        return
      case 'caller-pressed':
        // Decided in the core (keyPressed): only the queue's callback key, only while waiting.
        if (this.#state.calls.has(e.callId)) this.feed({ kind: 'caller-pressed', call: e.callId, digit: e.digit })
        return
      case 'agent-leg-answered':
        // Normally the originate's BACKGROUND_JOB settles the offer; this covers one lost in a reconnect.
        this.#runner.answered(e.offerId, e.leg)
        return
      case 'call-arrived':
      case 'call-answered':
      case 'call-bridged':
      case 'call-unbridged':
        return
    }
  }

  /** One decision: state, then events told, then effects started, then the one timer re-armed. */
  feed(input: AcdInput): readonly AcdEvent[] {
    const now = this.#d.clock.now()
    const r = decide(this.#state, input, now)
    this.#state = r.state
    for (const e of r.events) this.#tell(e, now)
    for (const e of r.effects) this.#runner.run(e)
    this.#arm()
    return r.events
  }

  #tell(e: AcdEvent, at: Instant): void {
    if (e.kind === 'agent-state-changed') {
      const entry: PresenceEntry = { agent: e.agent, presence: e.presence.kind, reason: e.presence.kind === 'not-ready' ? e.presence.reason : undefined, activity: e.activity.kind, at }
      this.#presenceWrites = this.#presenceWrites.then(() => this.#d.presenceLog.append(entry)).catch((error: unknown) => this.#d.log.warn({ error, entry }, 'acd: presence log write failed'))
      // Wrap-up over (or a callback released): the phone kept up by park_after_bridge goes down.
      if (e.activity.kind !== 'on-call' && e.activity.kind !== 'wrap-up') this.#runner.releasePhone(e.agent)
    } else if (e.kind === 'call-answered') this.#d.cdr?.patch(e.call, { answeredAt: at, agentId: e.agent })
    else if (e.kind === 'callback-scheduled') {
      this.#d.cdr?.patch(e.call, { outcome: 'callback' })
      const c = this.#state.calls.get(e.call)
      if (c) this.#keep(() => this.#d.callbacks?.save({ call: e.call, queue: c.queue, skills: c.skills, tier: c.tier, enqueuedAt: c.enqueuedAt, number: e.number, requestedAt: at }), { callback: e })
    } else if (e.kind === 'callback-finished') this.#keep(() => this.#d.callbacks?.finish(e.call, e.outcome, e.attempts, at), { callback: e })
    else if (e.kind === 'call-overflowed') this.#d.cdr?.patch(e.call, { queue: e.to })
    this.bus.publish({ at, event: e })
  }

  /** Callback rows are written in order; a failed write is logged with the callback in it. */
  #callbackWrites: Promise<void> = Promise.resolve()
  #keep(op: () => Promise<void> | undefined, context: object): void {
    this.#callbackWrites = this.#callbackWrites.then(op).catch((error: unknown) => this.#d.log.warn({ error, ...context }, 'acd: could not keep the callback in the store; it is in this log line'))
  }

  /** Callback writes so far have been stored (tests, shutdown). */
  flushCallbacks(): Promise<void> {
    return this.#callbackWrites
  }

  #replace(s: AcdState): void {
    this.#state = s
    this.#arm()
  }

  /** The one timer, at the earliest deadline (deadline-timer.ts). */
  #arm(): void {
    this.#deadlines.arm(nextDeadline(this.#state))
  }
}

function restoredAgent(a: Agent, last: PresenceEntry | undefined): Agent {
  if (!last) return a
  const presence: Presence = last.presence === 'not-ready' ? { kind: 'not-ready', reason: last.reason ?? 'break', since: last.at } : { kind: last.presence, since: last.at }
  return { ...a, presence }
}


/**
 * The agent's controls on a call they are on: hold / unhold, hang up, blind and consulted transfer
 * to an agent, a queue or a number. The legs move only in ways esl-captures shows:
 * - Parting a bridged pair: `uuid_transfer <agent leg> <park extension>`. The agent leg runs the
 *   extension and parks; the customer, stamped park_after_bridge=true before the ACD bridged it,
 *   re-parks in CS_PARK and sendmsg apps (hold music) run there (facts 11, 20).
 * - Joining two parked legs: `uuid_bridge` (fact 20: "uuid_bridge can join them again"); the hold
 *   music ends by itself (fact 10).
 * - A consultation leg parks again when the agent leaves it (call-transfers.ts).
 * Playing music to a still-bridged leg (`uuid_broadcast … aleg`, `uuid_hold`) is not in the
 * captures, and a consultation needs the agent's leg out of the customer's bridge anyway.
 */
import { ok, type AgentId, type CallId, type ChannelUuid, type Clock, type Failure, type Result } from '../shared/index.ts'
import type { CallControl, CallEvent } from '../calls/index.ts'
import type { AcdService } from './acd-service.ts'
import { no, onCall, viewOf, type CallControlView, type CallSession, type Outcome } from './call-session.ts'
import { CallTransfers } from './call-transfers.ts'
import type { DialPlan } from './offer-dial.ts'
import type { AcdLog, CdrPatchPort } from './ports.ts'
import { checkTarget, type CallControlCode, type TransferTarget } from './transfer-plan.ts'

export type { CallControlCode, CallControlView, TransferTarget }

export interface CallControlsDeps {
  readonly acd: Pick<AcdService, 'state' | 'feed' | 'enqueue' | 'partLegs' | 'legsJoined' | 'restoredHold'>
  /** The call tracker (CallService fits): the customer leg, the agent leg it was bridged to. */
  readonly calls: { call(id: string): { readonly customerLeg: ChannelUuid; readonly agentLeg: ChannelUuid | undefined; readonly caller: { readonly number: string; readonly name: string } } | undefined }
  readonly control: CallControl
  readonly api: (cmd: string) => Promise<Result<string, Failure>>
  readonly clock: Clock
  readonly dial: DialPlan
  readonly log: AcdLog
  readonly moh?: string
  readonly newUuid?: () => string
  /** Where a leg waits alone: an extension that parks (dialplan/hotline-gate.xml `hotline`). */
  readonly parkAt?: { readonly extension: string; readonly context: string }
  /** The CDR learns each transfer's target, and `transferred` when the call left for a number. */
  readonly cdr?: CdrPatchPort
  /** A blind transfer to a number dials through the agents' dial plan: prefix + number (agents.xml). */
  readonly outbound?: { readonly prefix: string; readonly context: string }
  readonly ringSeconds?: number
}

/** How long a parted leg may take to park again before we go on anyway (events lag 0-20 ms, fact 21). */
const PARK_WAIT_MS = 2000

export class CallControls {
  readonly #d: CallControlsDeps
  readonly #sessions = new Map<CallId, CallSession>()
  readonly #parkWaiters = new Map<ChannelUuid, () => void>()
  readonly #transfers: CallTransfers

  constructor(deps: CallControlsDeps) {
    this.#d = deps
    this.#transfers = new CallTransfers(deps, { part: (s) => this.#part(s), rejoin: (s) => this.#rejoin(s), end: (call) => this.#sessions.delete(call) })
  }

  /** The agent who controls the call (the one talking, or who holds it), if any. */
  agentOn(call: CallId): AgentId | undefined {
    return this.#sessions.get(call)?.agent ?? onCall(this.#d.acd.state, call)?.agent
  }

  view(call: CallId): CallControlView | undefined {
    const s = this.#known(call)
    return s ? viewOf(s) : undefined
  }

  async hold(call: CallId): Outcome {
    const s = this.#session(call)
    if (!s.ok) return s
    if (s.value.held) return no('call-already-held', `call ${call} is on hold`)
    const parted = await this.#part(s.value)
    return parted.ok ? ok(viewOf(s.value)) : parted
  }

  async unhold(call: CallId): Outcome {
    const s = this.#known(call)
    if (!s?.held) return this.#session(call).ok ? no('call-not-held', `call ${call} is not on hold`) : no('call-unknown', `no call ${call} with an agent`)
    if (s.consult) return no('transfer-in-progress', 'complete or cancel the consultation first')
    return this.#rejoin(s)
  }

  /** The agent ends the call: the customer leg goes; the ACD starts wrap-up on call-ended. */
  async hangup(call: CallId): Outcome<{ readonly call: CallId }> {
    const s = this.#session(call)
    if (!s.ok) return s
    if (s.value.consult) void this.#d.control.hangup(s.value.consult.leg, 'NORMAL_CLEARING')
    const r = await this.#d.control.hangup(s.value.customerLeg, 'NORMAL_CLEARING')
    if (!r.ok && r.error.code !== 'leg-gone') return no('call-control-failed', r.error.message)
    return ok({ call })
  }

  async transfer(call: CallId, to: TransferTarget, kind: 'blind' | 'consulted'): Outcome {
    const s = this.#session(call)
    if (!s.ok) return s
    if (s.value.consult) return no('transfer-in-progress', 'a consultation is already going on')
    const target = checkTarget(this.#d.acd.state, s.value.agent, to, kind)
    if (!target.ok) return target
    if (kind === 'consulted') return this.#transfers.consult(s.value, to)
    const r = await this.#transfers.blind(s.value, to)
    if (r.ok) this.#recordTransfer(call, to)
    return r
  }

  /** Consultation answered → the customer is bridged to the target; the first agent wraps up. */
  async complete(call: CallId): Outcome {
    const s = this.#sessions.get(call)
    if (!s?.consult) return no('transfer-none', `no consultation on call ${call}`)
    const consult = s.consult
    const { leg, target } = consult
    // The agent leaves the consultation; the target leg parks again (park_after_bridge, fact 20).
    const moved = await this.#moveAway(s.agentLeg, leg)
    if (!moved.ok) return moved
    if (target.kind === 'agent') await this.#d.control.setVars(s.customerLeg, { hotline_agent: target.agent, hotline_bridged_at: String(this.#d.clock.now()) })
    const b = await this.#d.control.bridge(s.customerLeg, leg)
    if (!b.ok) return this.#notCompleted(s, consult, b.error.message)
    void this.#d.control.setVars(s.customerLeg, { hotline_held_leg: '' })
    // A number is no agent phone: it must not stay parked when the customer hangs up.
    if (target.kind === 'number') await this.#d.control.setVars(leg, { park_after_bridge: 'false' })
    this.#d.acd.legsJoined(call, target.kind === 'agent' ? { id: target.agent, leg } : undefined)
    this.#sessions.delete(call)
    this.#recordTransfer(call, target)
    if (target.kind === 'agent') this.#transfers.handOver(s, target.agent, 'consulted')
    else this.#d.acd.feed({ kind: 'agent-call-ended', agent: s.agent, call })
    return ok({ ...viewOf(s), held: false, consulting: undefined })
  }

  /**
   * The consulted party hung up just as the agent completed (uuid_bridge: -ERR Invalid uuid): the
   * caller goes back to the first agent rather than stay on hold music with nobody.
   */
  async #notCompleted(s: CallSession, consult: NonNullable<CallSession['consult']>, why: string): Outcome {
    // Unless its hangup was seen already (#legEnded released the target then).
    if (s.consult === consult) {
      s.consult = undefined
      void this.#d.control.hangup(consult.leg, 'NORMAL_CLEARING')
      if (consult.target.kind === 'agent') this.#d.acd.feed({ kind: 'agent-call-released', agent: consult.target.agent, call: s.call })
    }
    if (consult.target.kind === 'agent') await this.#d.control.setVars(s.customerLeg, { hotline_agent: s.agent })
    this.#d.log.warn({ call: s.call, agent: s.agent, error: why }, 'acd: the consulted transfer did not complete; the caller is back with the agent')
    const back = await this.#rejoin(s)
    return back.ok ? no('transfer-no-answer', `the consulted party is no longer on the line (${why}); the caller is back with you`) : back
  }

  /** A call sent to a number has left the center: its outcome is `transferred`; to an agent or queue it goes on here. */
  #recordTransfer(call: CallId, to: TransferTarget): void {
    const target = to.kind === 'agent' ? `agent:${to.agent}` : to.kind === 'queue' ? `queue:${to.queue}` : `number:${to.number}`
    this.#d.cdr?.patch(call, { transferredTo: target, ...(to.kind === 'number' ? { outcome: 'transferred' as const } : {}) })
  }

  /** Consultation dropped → the agent is back with the customer. */
  async cancel(call: CallId): Outcome {
    const s = this.#sessions.get(call)
    if (!s?.consult) return no('transfer-none', `no consultation on call ${call}`)
    const { leg, target } = s.consult
    s.consult = undefined
    const parked = this.#whenParked(s.agentLeg)
    const r = await this.#d.control.hangup(leg, 'NORMAL_CLEARING')
    if (target.kind === 'agent') this.#d.acd.feed({ kind: 'agent-call-released', agent: target.agent, call })
    if (r.ok) await parked // the agent's leg parks again when the consultation leg goes (fact 12)
    return this.#rejoin(s)
  }

  /** Feed CallService's events: parks end waits, hangups end sessions. */
  onCallEvent(e: CallEvent): void {
    switch (e.type) {
      case 'customer-reparked':
      case 'agent-leg-reparked':
        this.#parkWaiters.get(e.leg)?.()
        return
      case 'agent-leg-ended':
        return this.#legEnded(e.leg)
      case 'call-ended': {
        const s = this.#sessions.get(e.call.id)
        this.#sessions.delete(e.call.id)
        if (s?.consult) void this.#d.control.hangup(s.consult.leg, 'NORMAL_CLEARING')
        if (s?.consult?.target.kind === 'agent') this.#d.acd.feed({ kind: 'agent-call-released', agent: s.consult.target.agent, call: s.call })
        return
      }
      default:
        return
    }
  }

  #legEnded(leg: ChannelUuid): void {
    for (const s of this.#sessions.values()) {
      if (s.consult?.leg === leg) {
        // The consulted party hung up: the agent's leg parks again; the agent may resume the customer.
        if (s.consult.target.kind === 'agent') this.#d.acd.feed({ kind: 'agent-call-released', agent: s.consult.target.agent, call: s.call })
        s.consult = undefined
      } else if (s.agentLeg === leg && s.held) {
        // The agent hung up on a held caller: that ends the call, as any agent hangup does.
        this.#sessions.delete(s.call)
        void this.#d.control.hangup(s.customerLeg, 'NORMAL_CLEARING')
        if (s.consult) void this.#d.control.hangup(s.consult.leg, 'NORMAL_CLEARING')
      }
    }
  }

  #session(call: CallId): Result<CallSession, Failure<CallControlCode>> {
    const known = this.#known(call)
    if (known) return ok(known)
    const c = this.#d.calls.call(call)
    if (!c) return no('call-unknown', `no live call ${call}`)
    const a = onCall(this.#d.acd.state, call)
    if (!a || !c.agentLeg) return no('agent-not-on-call', `no agent is on call ${call}`)
    const s: CallSession = { call, agent: a.agent, queue: a.queue, customerLeg: c.customerLeg, agentLeg: c.agentLeg, held: false, consult: undefined }
    this.#sessions.set(call, s)
    return ok(s)
  }

  /** The session, or one a restart found on hold (recovery.ts: the legs are parked apart). */
  #known(call: CallId): CallSession | undefined {
    const known = this.#sessions.get(call)
    if (known) return known
    const h = this.#d.acd.restoredHold(call)
    if (!h) return undefined
    const s: CallSession = { call, agent: h.agent, queue: h.queue, customerLeg: h.customerLeg, agentLeg: h.agentLeg, held: true, consult: undefined }
    this.#sessions.set(call, s)
    return s
  }

  /** Customer on hold music, the agent's leg parked on its own (facts 11, 20). */
  async #part(s: CallSession): Promise<Result<void, Failure<CallControlCode>>> {
    if (s.held) return ok(undefined)
    this.#d.acd.partLegs(s.call)
    const moved = await this.#moveAway(s.agentLeg, s.customerLeg)
    if (!moved.ok) return moved
    s.held = true
    // The two legs are parked apart now: only this stamp pairs them for a restart (recovery.ts).
    void this.#d.control.setVars(s.customerLeg, { hotline_held_leg: s.agentLeg })
    void this.#d.control.hold(s.customerLeg, this.#d.moh ?? 'local_stream://moh')
    this.#d.acd.feed({ kind: 'call-held', agent: s.agent, call: s.call })
    return ok(undefined)
  }

  /** `uuid_transfer` the agent leg to the park extension; wait until `partner` has parked again. */
  async #moveAway(agentLeg: ChannelUuid, partner: ChannelUuid): Promise<Result<void, Failure<CallControlCode>>> {
    const parked = this.#whenParked(partner)
    const park = this.#d.parkAt ?? { extension: 'hotline', context: 'hotline-gate' }
    const r = await this.#d.control.transfer(agentLeg, park.extension, park.context)
    if (!r.ok) {
      this.#parkWaiters.delete(partner)
      return no('call-control-failed', r.error.message)
    }
    await parked
    return ok(undefined)
  }

  async #rejoin(s: CallSession): Outcome {
    const b = await this.#d.control.bridge(s.customerLeg, s.agentLeg)
    if (!b.ok) return no('call-control-failed', b.error.message)
    s.held = false
    void this.#d.control.setVars(s.customerLeg, { hotline_held_leg: '' })
    this.#d.acd.legsJoined(s.call)
    this.#d.acd.feed({ kind: 'call-resumed', agent: s.agent, call: s.call })
    return ok(viewOf(s))
  }

  /** Resolves when `leg` parks again, or after PARK_WAIT_MS (then we go on: the switch decides). */
  #whenParked(leg: ChannelUuid): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#d.clock.setTimer(PARK_WAIT_MS, () => done())
      const done = (): void => {
        timer.cancel()
        if (this.#parkWaiters.get(leg) === done) this.#parkWaiters.delete(leg)
        resolve()
      }
      this.#parkWaiters.set(leg, done)
    })
  }
}

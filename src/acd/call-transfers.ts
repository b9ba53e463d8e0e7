/**
 * Transfers of a call an agent controls (CallControls owns the session, hold and the park waits):
 * blind to a queue, an agent or a number, and the consultation the agent talks on first.
 * A consultation leg is an originate with our uuid and park_after_bridge=true, like an offer
 * (facts 9, 12), so it parks again when the agent leaves it.
 */
import { randomUUID } from 'node:crypto'
import { channelUuid, ok, type AgentId, type CallId, type ChannelUuid, type Failure, type QueueId, type Result } from '../shared/index.ts'
import type { TransferHow } from './core/index.ts'
import type { CallControlsDeps } from './call-controls.ts'
import { no, onCall, viewOf, type CallSession, type Outcome } from './call-session.ts'
import { decodeSkills } from './recovery.ts'
import { transferLeg, type CallControlCode, type TransferTarget } from './transfer-plan.ts'

/** What the transfers need of CallControls, which owns the sessions and parts and joins their legs. */
export interface TransferHost {
  /** Customer on hold music, the agent's leg parked on its own. */
  part(s: CallSession): Promise<Result<void, Failure<CallControlCode>>>
  /** The customer bridged back to the session's agent. */
  rejoin(s: CallSession): Outcome
  /** The session's agent no longer controls the call. */
  end(call: CallId): void
}

export class CallTransfers {
  readonly #d: CallControlsDeps
  readonly #host: TransferHost

  constructor(deps: CallControlsDeps, host: TransferHost) {
    this.#d = deps
    this.#host = host
  }

  /** The target is checked already (transfer-plan.ts checkTarget). */
  blind(s: CallSession, to: TransferTarget): Outcome {
    switch (to.kind) {
      case 'queue':
        return this.#toQueue(s, to.queue)
      case 'agent':
        return this.#toAgent(s, to.agent)
      case 'number':
        return this.#toNumber(s, to.number)
    }
  }

  async consult(s: CallSession, to: TransferTarget): Outcome {
    if (to.kind === 'agent') this.#d.acd.feed({ kind: 'agent-call-joined', agent: to.agent, call: s.call, queue: s.queue })
    const release = (): void => {
      if (to.kind === 'agent') this.#d.acd.feed({ kind: 'agent-call-released', agent: to.agent, call: s.call })
    }
    const parted = await this.#host.part(s)
    const leg = parted.ok ? await this.#originate(s, to) : parted
    if (!leg.ok) {
      release()
      return leg
    }
    const b = await this.#d.control.bridge(s.agentLeg, leg.value)
    if (!b.ok) {
      release()
      void this.#d.control.hangup(leg.value, 'NORMAL_CLEARING')
      return no('call-control-failed', b.error.message)
    }
    s.consult = { leg: leg.value, target: to }
    return ok(viewOf(s))
  }

  /**
   * The core ends the first agent's part and tells `call-transferred` once (the receiving agent's
   * screen-pop). Should it refuse (the first agent's part already ended), the part still ends here.
   */
  handOver(s: CallSession, to: AgentId, how: TransferHow): void {
    const told = this.#d.acd.feed({ kind: 'call-transferred', agent: s.agent, call: s.call, to, how })
    if (told.some((e) => e.kind === 'input-rejected')) this.#d.acd.feed({ kind: 'agent-call-ended', agent: s.agent, call: s.call })
  }

  async #toQueue(s: CallSession, queue: QueueId): Outcome {
    const parted = await this.#host.part(s)
    if (!parted.ok) return parted
    const r = await this.#requeue(s, queue)
    return r.ok ? ok({ ...viewOf(s), held: false }) : r
  }

  /** Back in a line with its tier and skills as stamped on the channel; the agent wraps up. */
  async #requeue(s: CallSession, queue: QueueId): Outcome<void> {
    const stamp = await this.#d.api(`eval uuid:${s.customerLeg} \${variable_hotline_tier}|\${variable_hotline_skills}`)
    const [tierText = '', skillsText = ''] = stamp.ok ? stamp.value.trim().split('|') : []
    const tier = tierText === 'diamond' || tierText === 'gold' || tierText === 'silver' ? tierText : 'standard'
    this.#host.end(s.call)
    if (onCall(this.#d.acd.state, s.call)?.agent === s.agent) this.#d.acd.feed({ kind: 'agent-call-ended', agent: s.agent, call: s.call })
    // `all`: the hold music goes; enqueue starts the line's own (fact 7).
    await this.#d.control.breakMedia(s.customerLeg, true)
    const skills = Object.fromEntries(decodeSkills(skillsText).map((n) => [n.skill, n.min]))
    const q = this.#d.acd.enqueue(s.call, { queue, tier, skills, leg: s.customerLeg })
    return q.ok ? ok(undefined) : no('call-control-failed', q.error.message)
  }

  /** The target is reserved at once; its phone rings in the background (the request does not wait). */
  async #toAgent(s: CallSession, agent: AgentId): Outcome {
    const parted = await this.#host.part(s)
    if (!parted.ok) return parted
    // Reserved before the hand-over, which needs her on the call (core/controls.ts); she may have
    // been taken while the legs parted: the caller goes back to the first agent.
    const joined = this.#d.acd.feed({ kind: 'agent-call-joined', agent, call: s.call, queue: s.queue })
    if (joined.some((e) => e.kind === 'input-rejected')) {
      const back = await this.#host.rejoin(s)
      return back.ok ? no('transfer-target-unavailable', `agent ${agent} was taken meanwhile`) : back
    }
    this.#host.end(s.call)
    this.handOver(s, agent, 'blind')
    void this.#ringTarget(s, agent)
    return ok({ ...viewOf(s), consulting: undefined })
  }

  async #ringTarget(s: CallSession, agent: AgentId): Promise<void> {
    const leg = await this.#originate(s, { kind: 'agent', agent })
    if (leg.ok) {
      await this.#d.control.setVars(s.customerLeg, { hotline_agent: agent, hotline_bridged_at: String(this.#d.clock.now()) })
      const b = await this.#d.control.bridge(s.customerLeg, leg.value)
      if (b.ok) {
        this.#d.acd.legsJoined(s.call, { id: agent, leg: leg.value })
        // She has been on the call in the ACD since she was reserved; now she talks (her pop: answered).
        this.#d.acd.feed({ kind: 'transfer-answered', agent, call: s.call })
        return
      }
      void this.#d.control.hangup(leg.value, 'NORMAL_CLEARING')
    }
    // Not reached: the caller goes back to the queue rather than be lost.
    this.#d.log.warn({ call: s.call, agent }, 'acd: transfer to an agent not answered; the caller is queued again')
    this.#d.acd.feed({ kind: 'agent-call-released', agent, call: s.call })
    await this.#requeue(s, s.queue)
  }

  /** The customer leaves Hotline's lines for the trunk; the agent re-parks (fact 12) and wraps up. */
  async #toNumber(s: CallSession, number: string): Outcome {
    const out = this.#d.outbound ?? { prefix: '9', context: 'agents' }
    this.#d.acd.partLegs(s.call)
    const r = await this.#d.control.transfer(s.customerLeg, `${out.prefix}${number}`, out.context)
    if (!r.ok) return no('call-control-failed', r.error.message)
    this.#host.end(s.call)
    this.#d.acd.feed({ kind: 'agent-call-ended', agent: s.agent, call: s.call })
    return ok({ ...viewOf(s), held: false })
  }

  /** A leg to the target with our uuid and ids (fact 9), parked again when left (fact 12). */
  async #originate(s: CallSession, to: TransferTarget): Promise<Result<ChannelUuid, Failure<CallControlCode>>> {
    const target = to.kind === 'agent' ? this.#d.acd.state.agents.get(to.agent) : undefined
    const caller = this.#d.calls.call(s.call)?.caller
    const spec = transferLeg(to, { call: s.call, uuid: channelUuid((this.#d.newUuid ?? randomUUID)()), ring: this.#d.ringSeconds ?? 30, caller, target: target?.contact }, this.#d.dial)
    if (!spec) return no('transfer-target-invalid', 'nobody to dial')
    const r = await this.#d.control.originate(spec, { timeoutMs: ((this.#d.ringSeconds ?? 30) + 30) * 1000 })
    if (r.ok) return r
    return r.error.code === 'originate-failed' ? no('transfer-no-answer', `${spec.dial}: ${r.error.cause ?? 'no answer'}`) : no('call-control-failed', r.error.message)
  }
}

/**
 * Runs the core's effects through CallControl and feeds their outcomes back as inputs. Knows
 * which FreeSWITCH leg belongs to which offer and which agent: the leg uuid is chosen here, before
 * the originate leaves, so no lookup is ever needed (fact 9).
 */
import { assertNever, channelUuid, type AgentId, type CallId, type ChannelUuid, type Instant, type OfferId } from '../shared/index.ts'
import type { CallControl, CallControlError } from '../calls/index.ts'
import type { AcdEffect, AcdInput, CallbackOutcome } from './core/index.ts'
import type { AcdMedia } from './media.ts'
import type { HoldMusic } from './hold-music.ts'
import { offerFailure, offerOriginate, type DialPlan } from './offer-dial.ts'
import type { AcdLog } from './ports.ts'

export interface RunnerHost {
  feed(input: AcdInput): void
  now(): Instant
  /** On the line and listening (waiting or being offered, not a callback): hold music resumes after a prompt. */
  isQueued(call: CallId): boolean
  customerLeg(call: CallId): ChannelUuid | undefined
  callerOf(call: CallId): { readonly number: string; readonly name: string } | undefined
  /** The core still rings an agent for this offer (it has not timed out, been cancelled or lost). */
  offerHeld(offer: OfferId): boolean
}

/** One originate to an agent, from ring to answer (then the leg becomes the agent's phone). */
interface Ring {
  readonly leg: ChannelUuid
  readonly agent: AgentId
  readonly call: CallId
  cancelled: boolean
  /** The ESL link dropped before the result came: the reconcile decides. */
  lost: boolean
}

type Failed = { readonly ok: false; readonly error: CallControlError }

export class EffectRunner {
  readonly rings = new Map<OfferId, Ring>()
  /** Answered agent legs still up: talking, or parked for wrap-up (park_after_bridge, fact 12). */
  readonly phones = new Map<AgentId, ChannelUuid>()
  /** Calls bridged to an agent: when the agent hangs up and the caller re-parks, the call ends. */
  readonly bridged = new Set<CallId>()

  constructor(
    readonly control: CallControl,
    readonly host: RunnerHost,
    readonly dial: DialPlan,
    readonly media: AcdMedia,
    readonly music: HoldMusic,
    readonly newUuid: () => string,
    readonly log: AcdLog,
  ) {}

  run(e: AcdEffect): void {
    switch (e.kind) {
      case 'ring-agent':
        return this.#ring(e)
      case 'cancel-ring':
        return this.#cancel(e.offer)
      case 'bridge':
        return void this.#bridge(e.call, e.agent)
      case 'play-announcement':
        return void this.#announce(e.call, this.media.announcement(e.position, e.estimatedWaitSeconds, e.callbackKey))
      case 'move-call':
        return this.#onLeg(e.call, (leg) => this.control.setVars(leg, { hotline_queue: e.queue }), 'restamp the queue')
      case 'exit-queue':
        return void this.#exit(e.call, e.exit)
      case 'dial-callback':
        return void this.#dialCallback(e.call, e.agent, e.number)
      case 'release-agent':
        return this.releasePhone(e.agent)
      default:
        return assertNever(e)
    }
  }

  /** Hangs up an agent's leftover leg (a callback not reached, the end of wrap-up). */
  releasePhone(agent: AgentId): void {
    const leg = this.phones.get(agent)
    if (!leg) return
    this.phones.delete(agent)
    this.#check(this.control.hangup(leg, 'NORMAL_CLEARING'), 'release the agent phone', { agent, leg })
  }

  /** Agent legs answered for an offer nobody held any more, hung up (health: corrections). */
  orphansHungUp = 0

  /**
   * An agent leg answered (CHANNEL_ANSWER). A ring whose BACKGROUND_JOB was lost with the
   * connection settles here. A leg answered for an offer Hotline no longer rings — the switch
   * completed an originate after Hotline gave up on it (a stalled link: the bgapi came back late,
   * our cancel never reached the switch) — would leave the agent in silence on a parked leg: it is
   * hung up. Transfer legs (`transfer-…`) belong to call-transfers.ts.
   */
  answered(offer: OfferId, leg: ChannelUuid): void {
    const ring = this.rings.get(offer)
    if (ring) {
      if (ring.lost && ring.leg === leg) this.#ringSettled(offer, { ok: true, value: leg })
      return
    }
    if (String(offer).startsWith('transfer-') || this.agentOfPhone(leg)) return
    this.#orphan(offer, leg)
  }

  #orphan(offer: OfferId, leg: ChannelUuid): void {
    this.orphansHungUp++
    this.log.warn({ offer, leg }, 'acd: an agent answered an offer Hotline had already given up on; that leg is hung up')
    this.#check(this.control.hangup(leg, 'ORIGINATOR_CANCEL'), 'hang up an orphan agent leg', { offer, leg })
  }

  agentOfPhone(leg: ChannelUuid): AgentId | undefined {
    for (const [agent, l] of this.phones) if (l === leg) return agent
    return undefined
  }

  #ring(e: Extract<AcdEffect, { kind: 'ring-agent' }>): void {
    const leg = channelUuid(this.newUuid())
    this.rings.set(e.offer, { leg, agent: e.agent, call: e.call, cancelled: false, lost: false })
    const caller = e.purpose === 'call' ? this.host.callerOf(e.call) : undefined
    const spec = offerOriginate({ uuid: leg, offer: e.offer, call: e.call, agent: e.agent, ringFor: e.ringFor, contact: e.contact, caller }, this.dial)
    // The bgapi is written in this turn; its BACKGROUND_JOB settles the offer.
    void this.control.originate(spec, { timeoutMs: e.ringFor + 60_000 }).then((r) => this.#ringSettled(e.offer, r))
  }

  #ringSettled(offer: OfferId, r: { ok: true; value: ChannelUuid } | Failed): void {
    const ring = this.rings.get(offer)
    if (!ring) return
    if (r.ok) {
      this.rings.delete(offer)
      if (ring.cancelled) {
        // Answered just as we cancelled: nobody wants this leg.
        this.#check(this.control.hangup(ring.leg, 'ORIGINATOR_CANCEL'), 'cancel a late answer', { offer })
        return
      }
      // A lost ring answered after the core moved on (its ring timeout, the caller gone).
      if (!this.host.offerHeld(offer)) return this.#orphan(offer, ring.leg)
      this.phones.set(ring.agent, ring.leg)
      this.host.feed({ kind: 'offer-answered', offer })
      return
    }
    if (r.error.code === 'switch-unreachable') {
      ring.lost = true // maybe ringing, maybe not: the reconcile after the reconnect cancels it
      return
    }
    this.rings.delete(offer)
    // Our own cancel comes back as -ERR ORIGINATOR_CANCEL (fact 13): the core already knows.
    if (ring.cancelled) return
    const failure = offerFailure(r.error.cause)
    // FreeSWITCH's own cause, so that "Can't find user" (SUBSCRIBER_ABSENT) in its log has a twin here.
    this.log.warn({ offer, call: ring.call, agent: ring.agent, cause: r.error.cause ?? 'UNKNOWN', failure, error: r.error.message },
      `acd: the offer to ${ring.agent} failed: ${r.error.cause ?? r.error.message}`)
    this.host.feed({ kind: 'offer-failed', offer, cause: failure })
  }

  #cancel(offer: OfferId): void {
    const ring = this.rings.get(offer)
    if (!ring) return
    ring.cancelled = true
    if (ring.lost) this.rings.delete(offer)
    // Our own cause tells a controller cancel from a failure (fact 13).
    this.#check(this.control.hangup(ring.leg, 'ORIGINATOR_CANCEL'), 'cancel a ring', { offer }, true)
  }

  async #bridge(call: CallId, agent: AgentId): Promise<void> {
    const customer = this.host.customerLeg(call)
    const phone = this.phones.get(agent)
    if (customer && phone) {
      // Set before the bridge (fact 11): when the agent hangs up, the caller is parked again for us.
      const stamped = await this.control.setVars(customer, { park_after_bridge: 'true', hotline_agent: agent, hotline_bridged_at: String(this.host.now()) })
      // `all`: a prompt or music still queued on the caller would start inside the bridge (hold-music.ts).
      if (stamped.ok) await this.music.stop(customer)
      const b = stamped.ok ? await this.control.bridge(customer, phone) : stamped
      if (b.ok) {
        this.bridged.add(call)
        return
      }
      this.log.warn({ call, agent, error: b.error }, 'acd: bridge failed; the agent is released')
    }
    this.releasePhone(agent)
    this.host.feed({ kind: 'agent-call-ended', agent, call })
  }

  async #announce(call: CallId, files: readonly string[]): Promise<void> {
    const leg = this.host.customerLeg(call)
    if (leg) await this.music.announce(leg, files, () => this.host.isQueued(call))
  }

  async #exit(call: CallId, exit: Extract<AcdEffect, { kind: 'exit-queue' }>['exit']): Promise<void> {
    const leg = this.host.customerLeg(call)
    if (!leg) return
    switch (exit.kind) {
      case 'queue':
        return void (await this.control.setVars(leg, { hotline_queue: exit.to }))
      case 'message':
      case 'callback':
      case 'callback-confirmed': {
        const files = exit.kind === 'message' ? [exit.sound] : exit.kind === 'callback' ? [exit.otherwise] : this.media.callbackConfirmed
        // Behind an endless_playback left by an older Hotline the prompt would never start.
        const heard = this.music.canPrompt(leg)
        // `all`: drop the queued hold music too, or it would start after the prompt (fact 7).
        await this.music.stop(leg)
        if (heard) await this.control.play(leg, files)
        this.#check(this.control.hangup(leg, 'NORMAL_CLEARING'), 'hang up after the exit', { call })
        return
      }
      default:
        return assertNever(exit)
    }
  }

  async #dialCallback(call: CallId, agent: AgentId, number: string): Promise<void> {
    const phone = this.phones.get(agent)
    if (!phone) return this.host.feed({ kind: 'callback-outcome', call, outcome: 'failed' })
    const leg = channelUuid(this.newUuid())
    const vars = { hotline_callback: call, hotline_agent: agent, originate_timeout: '30', ignore_early_media: 'true' }
    const r = await this.control.originate({ uuid: leg, dial: `sofia/gateway/${this.dial.pstnGateway}/${number}`, vars, app: '&park()' }, { timeoutMs: 90_000 })
    let outcome: CallbackOutcome = 'failed'
    if (r.ok) {
      const b = await this.control.bridge(r.value, phone)
      outcome = b.ok ? 'answered' : 'failed'
    } else if (r.error.cause === 'NO_ANSWER') outcome = 'no-answer'
    else if (r.error.cause === 'USER_BUSY') outcome = 'busy'
    this.host.feed({ kind: 'callback-outcome', call, outcome })
  }

  #onLeg(call: CallId, act: (leg: ChannelUuid) => Promise<{ ok: boolean }>, what: string): void {
    const leg = this.host.customerLeg(call)
    if (leg) this.#check(act(leg) as Promise<{ ok: true } | Failed>, what, { call })
  }

  /** Failures of fire-and-forget commands are logged; a leg that is gone already is no news. */
  #check(p: Promise<{ ok: true } | Failed>, what: string, ctx: object, goneIsFine = true): void {
    void p.then((r) => {
      if (!r.ok && !(goneIsFine && r.error.code === 'leg-gone')) this.log.warn({ ...ctx, error: r.error }, `acd: could not ${what}`)
    })
  }
}

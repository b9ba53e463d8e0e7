/**
 * The IVR over a real switch: one session per caller in IVR, stepped by the pure interpreter,
 * its effects run through CallControl on the parked leg, their outcomes fed back as inputs
 * (docs/ivr.md, "Runner contract"). At most `maxPorts` callers are in IVR at once; the next one
 * gets the overflow treatment, never silence. Each node entered is stamped on the channel so a
 * restarted Hotline resumes the caller where they were.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Call, CallControl, CallEvent } from '../calls/index.ts'
import type { CallId, ChannelUuid, Clock } from '../shared/index.ts'
import type { FlowSet, Lang } from './core/flow.ts'
import { startSession, type IvrEffect, type IvrEvent, type IvrInput, type IvrSession } from './core/session.ts'
import { step } from './core/step.ts'
import { answerLookup, answerWorkOrder, type IvrPorts } from './ports.ts'

export type Overflow = { readonly kind: 'queue'; readonly queue: string } | { readonly kind: 'announcement'; readonly prompt: string }

/** What the IVR hands to the ACD when a caller asks for an agent (or overflows). */
export interface EnqueueRequest {
  readonly call: Call
  readonly leg: ChannelUuid
  readonly queue: string
  readonly skills: Readonly<Record<string, number>>
  readonly tier: string
  readonly lang: Lang
  readonly facts: Readonly<Record<string, unknown>>
  readonly path: readonly string[]
  /** The flow's callback node: call the caller back, keeping the place, instead of a wait on hold. */
  readonly callback?: true
}

export interface IvrEnded {
  readonly callId: CallId
  readonly endedAt: number
  readonly outcome: string
  readonly path: readonly string[]
  readonly facts: Readonly<Record<string, unknown>>
}

export interface IvrRunnerDeps {
  readonly control: CallControl
  readonly flows: () => FlowSet | undefined
  readonly ports: IvrPorts
  /** Prompt paths are relative to this folder; FreeSWITCH on the same host reads them there. */
  readonly soundsDir: string
  /** Where messages callers leave (record nodes) are written; FreeSWITCH writes there. */
  readonly messagesDir: string
  readonly clock: Clock
  readonly maxPorts: number
  readonly overflow: Overflow
  readonly enqueue: (r: EnqueueRequest) => void
  readonly ended: (e: IvrEnded) => void
  readonly sms?: (to: string, text: string) => Promise<void>
  /** A flow asks for the call itself to be recorded (an order's confirmation kept as proof). */
  readonly recordCall?: (callId: CallId, leg: ChannelUuid) => void
  readonly log: { info(o: object, m: string): void; warn(o: object, m: string): void }
}

/** Where a transfer node's number or extension is routed (dialplan/agents.xml). */
const TRANSFER_CONTEXT = 'agents'

interface Live {
  session: IvrSession
  readonly call: Call
  /** The file of the message being recorded now, if any. */
  message?: string | undefined
  /** The ESL link went down under a prompt or a menu: the caller waits where they were. */
  stalled?: boolean
}

/**
 * An effect that failed because the link to the switch is down (a stop, a crash of the link): it
 * says nothing about the caller. Treated as a timeout it walked every caller through the menu's
 * retries to its fallback in a few milliseconds (seen on the real switch at a SIGTERM: IVR callers
 * queued for an agent, CDR `abandoned`); treated as `played` it skipped the prompt.
 */
const LINK_LOST = Symbol('link-lost')

export class IvrRunner {
  readonly #d: IvrRunnerDeps
  readonly #live = new Map<CallId, Live>()

  constructor(deps: IvrRunnerDeps) {
    this.#d = deps
  }

  /** Callers in IVR now (the ports in use). */
  get occupancy(): number {
    return this.#live.size
  }

  onCallEvent(e: CallEvent): void {
    if (e.type === 'call-arrived') this.#arrived(e.call, e.recovered)
    else if (e.type === 'call-ended') this.#hungUp(e.call.id)
  }

  /**
   * Most callers end a message by hanging up. The `record` app then completes with the call, and
   * its EXECUTE_COMPLETE may be read after CHANNEL_HANGUP_COMPLETE ended the session: the file
   * would be on disk but in no fact and no CDR. So the message is credited first (its facts only:
   * the flow's next prompts would be for a leg that is gone).
   */
  #hungUp(id: CallId): void {
    const live = this.#live.get(id)
    if (live?.message !== undefined) {
      const credited = step(live.session, { kind: 'recorded', file: live.message }, this.#d.clock.now()).session
      live.session = { ...live.session, facts: credited.facts }
    }
    this.#feed(id, { kind: 'hangup' })
  }

  #arrived(call: Call, recovered: boolean): void {
    if (this.#live.has(call.id)) return
    // A recovered caller who was already queued, with an agent, or a fax/feature call is not ours.
    if (call.vars['hotline_queue'] || call.vars['hotline_fax'] === 'true' || call.vars['hotline_feature']) return
    if (recovered && !call.vars['hotline_ivr_at']) return
    const flows = this.#d.flows()
    if (this.#live.size >= this.#d.maxPorts || !flows) return void this.#overflow(call, flows ? 'ivr-ports-full' : 'no-flows-loaded')
    const started = startSession(flows, call.entry, call.caller.number, this.#d.clock.now())
    if (!started.ok) return void this.#overflow(call, started.error.code)
    const session = recovered ? resumeAt(started.value, call) : started.value
    this.#live.set(call.id, { session, call })
    this.#d.log.info({ call: call.id, entry: call.entry, occupancy: this.#live.size, of: this.#d.maxPorts, resumed: recovered }, 'ivr: caller entered')
    void this.#begin(call, recovered)
  }

  async #begin(call: Call, recovered: boolean): Promise<void> {
    if (recovered) {
      // The prompt the old Hotline started is still running on the switch, for a connection that
      // is gone; `uuid_break all` stops it and drops anything queued behind it (fact 7).
      await this.#d.control.breakMedia(call.customerLeg, true)
    } else {
      const a = await this.#d.control.answer(call.customerLeg)
      if (!a.ok) return this.#feed(call.id, { kind: 'hangup' })
    }
    this.#feed(call.id, { kind: 'answered' })
  }

  #feed(id: CallId, input: IvrInput): void {
    const live = this.#live.get(id)
    if (!live) return
    const r = step(live.session, input, this.#d.clock.now())
    live.session = r.session
    for (const ev of r.events) this.#onEvent(live, ev)
    if (r.session.outcome) {
      this.#live.delete(id)
      this.#d.ended({ callId: id, endedAt: this.#d.clock.now(), outcome: r.session.outcome.kind, path: r.session.path, facts: r.session.facts })
    }
    if (r.effects.length > 0) void this.#run(live, r.effects)
  }

  /** Runs a step's effects in order; the outcome of the last one is the next input. */
  async #run(live: Live, effects: readonly IvrEffect[]): Promise<void> {
    let input: IvrInput | typeof LINK_LOST | undefined
    for (const effect of effects) {
      input = await this.#effect(live, effect)
      if (input === LINK_LOST) {
        live.stalled = true
        this.#d.log.info({ call: live.call.id, at: `${live.session.flow}/${live.session.node}` }, 'ivr: the link to the switch is down; the caller waits here until it is back')
        return
      }
      if (input?.kind === 'hangup') break
    }
    if (input && input !== LINK_LOST) this.#feed(live.call.id, input)
  }

  /**
   * After a reconnect: each caller whose prompt or menu the link cut starts that node again
   * (whatever the switch still plays is stopped first, as for a recovered caller). Callers who
   * hung up meanwhile were ended by the reconcile.
   */
  resumeStalled(): void {
    for (const live of this.#live.values()) {
      if (!live.stalled) continue
      live.stalled = false
      live.session = { ...live.session, waiting: 'answered' }
      void this.#begin(live.call, true)
    }
  }

  async #effect(live: Live, e: IvrEffect): Promise<IvrInput | typeof LINK_LOST | undefined> {
    const { control } = this.#d
    const leg = live.call.customerLeg
    const gone = (r: { ok: boolean; error?: { code: string } }): boolean => !r.ok && r.error?.code === 'leg-gone'
    const lost = (r: { ok: boolean; error?: { code: string } }): boolean => !r.ok && r.error?.code === 'switch-unreachable'
    switch (e.kind) {
      case 'play': {
        const r = await control.play(leg, this.#paths(e.files))
        if (lost(r)) return LINK_LOST
        return gone(r) ? { kind: 'hangup' } : { kind: 'played' }
      }
      case 'collect': {
        const r = await control.collect(leg, {
          prompts: this.#paths(e.files), invalidPrompt: undefined, min: e.min, max: e.max, tries: 1, timeoutMs: e.timeoutMs,
          digitTimeoutMs: Math.min(e.timeoutMs, 5000), terminators: e.terminator, pattern: '\\d+',
        })
        if (lost(r)) return LINK_LOST
        if (!r.ok) return gone(r) ? { kind: 'hangup' } : { kind: 'timeout' }
        return r.value.kind === 'digits' ? { kind: 'digits', digits: r.value.digits } : { kind: 'timeout' }
      }
      case 'lookup':
        return answerLookup(e.query, this.#d.ports)
      case 'create-work-order':
        return answerWorkOrder(e, this.#d.ports)
      case 'record': {
        if (e.mode === 'call') {
          this.#d.recordCall?.(live.call.id, leg)
          return undefined
        }
        const file = resolve(this.#d.messagesDir, `${live.call.id}-${this.#d.clock.now()}.wav`)
        // The `record` app, unlike record_session, creates no folder: on a missing one the file
        // does not open and FreeSWITCH hangs the caller up (mod_dptools record_function).
        await mkdir(this.#d.messagesDir, { recursive: true })
          .catch((err: unknown) => this.#d.log.warn({ err, dir: this.#d.messagesDir }, 'ivr: cannot create the messages folder (paths.messages)'))
        await control.play(leg, this.#paths(e.files))
        live.message = file
        const r = await control.record(leg, file, e.maxSeconds)
        live.message = undefined
        return gone(r) ? { kind: 'hangup' } : { kind: 'recorded', file }
      }
      case 'sms':
        await this.#d.sms?.(e.to, e.text).catch((err: unknown) => this.#d.log.warn({ err, call: live.call.id }, 'ivr: sms failed'))
        return undefined
      case 'set-language':
        void control.setVars(leg, { hotline_lang: e.lang })
        return undefined
      case 'enqueue':
        this.#d.enqueue({ call: live.call, leg, queue: e.queue, skills: e.skills, tier: e.tier, lang: e.lang, facts: e.facts, path: e.path, ...(e.callback ? { callback: true } : {}) })
        return undefined
      case 'transfer':
        await control.transfer(leg, e.to, TRANSFER_CONTEXT)
        return undefined
      case 'hangup':
        await control.hangup(leg, 'NORMAL_CLEARING')
        return undefined
    }
  }

  #onEvent(live: Live, ev: IvrEvent): void {
    if (ev.kind !== 'node-entered') return
    // One short api round trip per node: what lets a restarted Hotline resume the caller here.
    const facts = Buffer.from(JSON.stringify(live.session.facts)).toString('base64url')
    void this.#d.control.setVars(live.call.customerLeg, { hotline_ivr_at: `${ev.flow}/${ev.node}`, hotline_ivr_facts: facts, hotline_lang: live.session.lang })
  }

  #paths(files: readonly string[]): string[] {
    return files.map((f) => resolve(this.#d.soundsDir, f))
  }

  /** IVR full (or no usable flow): straight to a queue, or an announcement — never silence. */
  async #overflow(call: Call, reason: string): Promise<void> {
    const o = this.#d.overflow
    this.#d.log.warn({ call: call.id, reason, occupancy: this.#live.size, of: this.#d.maxPorts, treatment: o.kind }, 'ivr: caller overflowed')
    const leg = call.customerLeg
    if (o.kind === 'queue') {
      await this.#d.control.answer(leg)
      this.#d.enqueue({ call, leg, queue: o.queue, skills: {}, tier: 'standard', lang: 'zh', facts: { overflow: reason }, path: [] })
      this.#d.ended({ callId: call.id, endedAt: this.#d.clock.now(), outcome: 'overflowed', path: [], facts: { overflow: reason } })
      return
    }
    await this.#d.control.answer(leg)
    await this.#d.control.play(leg, [resolve(this.#d.soundsDir, o.prompt)])
    await this.#d.control.hangup(leg, 'NORMAL_CLEARING')
  }
}

/** A recovered caller resumes at the node stamped on their channel, with the facts stamped there. */
function resumeAt(s: IvrSession, call: Call): IvrSession {
  const [flow, node] = (call.vars['hotline_ivr_at'] ?? '').split('/')
  const exists = flow && node && s.flows.flows.get(flow)?.nodes.has(node)
  let facts = s.facts
  try {
    const raw = call.vars['hotline_ivr_facts']
    if (raw) facts = { ...facts, ...(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as IvrSession['facts']) }
  } catch {
    facts = s.facts // unreadable stamp: start with what the channel itself tells
  }
  const lang = call.vars['hotline_lang'] === 'en' ? 'en' : call.vars['hotline_lang'] === 'zh' ? 'zh' : s.lang
  return exists ? { ...s, flow, node, facts, lang } : { ...s, facts, lang }
}

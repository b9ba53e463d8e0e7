/**
 * The screen-pop shell (ARCHITECTURE step 4): subscribes to the ACD's bus, keeps the one PopBoard,
 * and writes each push to the agent's open consoles in the same turn as the ACD's decision, so
 * the pop leaves before the originate that rings the phone (the ACD tells events, then runs
 * effects). CRM lookups are asynchronous: they start when the caller joins the queue, and when
 * they finish after the offer the pop is pushed again with the customer in it.
 */
import type { AcdNotice } from '../acd/index.ts'
import type { AgentId, CallId, Clock } from '../shared/index.ts'
import { decidePop, emptyBoard, type Enrichment, type PopBoard, type PopInput, type PopPush, type PopTier, type ScreenPop, type WrapUpNote } from './core/index.ts'
import type { PopSink, PopSources } from './ports.ts'

export interface PopLog {
  warn(obj: object, msg: string): void
}

export interface PopServiceDeps {
  readonly sources: PopSources
  readonly clock: Clock
  readonly log: PopLog
  /** The CRM webhook (per queue); absent: no pop leaves Hotline. */
  readonly webhook?: PopSink
  /** How many past contacts the pop carries. */
  readonly contactsLimit?: number
}

/** A push as it goes on the wire: a stream-wide sequence number (the SSE id). */
export interface NumberedPush {
  readonly seq: number
  readonly push: PopPush
}

type Listener = (p: NumberedPush) => void

/** Lookups kept for calls still in the building; beyond this the oldest are forgotten. */
const MAX_CACHED_CALLS = 5000

export class PopService {
  readonly #d: PopServiceDeps
  #board: PopBoard = emptyBoard
  #seq = 0
  #flushQueued = false
  readonly #listeners = new Map<AgentId, Set<Listener>>()
  readonly #tiers = new Map<CallId, PopTier>()
  readonly #customers = new Map<CallId, Enrichment>()
  /** The last wrap-up written on each call, for an agent the call is handed to afterwards. */
  readonly #wrapUps = new Map<CallId, WrapUpNote>()

  constructor(deps: PopServiceDeps) {
    this.#d = deps
  }

  /** Subscribe this to the ACD's bus (AcdService.bus). */
  readonly onAcdNotice = (n: AcdNotice): void => {
    const e = n.event
    switch (e.kind) {
      case 'call-waiting':
        this.#tiers.set(e.call, e.tier)
        this.#prefetch(e.call)
        return
      case 'call-offered': {
        this.#prefetch(e.call)
        const offer = { offer: e.offer, call: e.call, agent: e.agent, queue: e.queue, tier: this.#tiers.get(e.call) }
        this.#feed({ kind: 'offered', offer, call: this.#d.sources.call(e.call), customer: this.#customers.get(e.call) ?? { kind: 'pending' } })
        return
      }
      case 'call-transferred': {
        // No offer is made to the receiving agent: this is their pop (before a blind transfer's ring).
        this.#prefetch(e.call)
        const transfer = { call: e.call, from: e.from, to: e.to, queue: e.queue, how: e.how, tier: this.#tiers.get(e.call) }
        const customer = this.#customers.get(e.call) ?? { kind: 'pending' as const }
        return this.#feed({ kind: 'transferred', transfer, call: this.#d.sources.call(e.call), customer, note: this.#wrapUps.get(e.call) })
      }
      case 'offer-cancelled':
        return this.#feed({ kind: 'offer-ended', offer: e.offer, agent: e.agent, reason: e.reason })
      case 'offer-missed':
        return this.#feed({ kind: 'offer-ended', offer: e.offer, agent: e.agent, reason: e.cause })
      case 'call-answered':
        this.#tiers.delete(e.call)
        return this.#feed({ kind: 'answered', call: e.call, agent: e.agent })
      case 'transfer-answered':
        // A blind transfer's agent picked up: her pop moves on from ringing as an offer's does.
        return this.#feed({ kind: 'answered', call: e.call, agent: e.agent })
      case 'agent-state-changed': {
        const a = e.activity
        const activity = {
          kind: a.kind, ...('offer' in a ? { offer: a.offer } : {}), ...('call' in a ? { call: a.call } : {}), ...('held' in a && a.held ? { held: true } : {}),
          ...('since' in a ? { since: a.since } : {}), ...('until' in a ? { until: a.until } : {}),
        }
        const presence = { kind: e.presence.kind, since: e.presence.since, ...(e.presence.kind === 'not-ready' ? { reason: e.presence.reason } : {}) }
        return this.#feed({ kind: 'agent-state', state: { agent: e.agent, presence, activity, registered: e.registered } })
      }
      case 'call-abandoned':
      case 'call-exited':
        this.#forget(e.call)
        return
      default:
        return
    }
  }

  /** An agent's wrap-up was saved: an agent they handed the call to sees it on their pop. */
  wrappedUp(call: CallId, note: WrapUpNote): void {
    this.#wrapUps.delete(call)
    this.#wrapUps.set(call, note)
    if (this.#wrapUps.size > MAX_CACHED_CALLS) this.#wrapUps.delete(this.#wrapUps.keys().next().value!)
    this.#feed({ kind: 'wrapped-up', call, note })
  }

  /** The agent's current pop (replayed to a console that connects or reconnects). */
  current(agent: AgentId): ScreenPop | undefined {
    return this.#board.pops.get(agent)
  }

  /** The sequence number of the last push, for a reconnecting stream's replay id. */
  get seq(): number {
    return this.#seq
  }

  listen(agent: AgentId, fn: Listener): () => void {
    const set = this.#listeners.get(agent) ?? new Set<Listener>()
    set.add(fn)
    this.#listeners.set(agent, set)
    return () => {
      set.delete(fn)
      if (set.size === 0) this.#listeners.delete(agent)
    }
  }

  /** Consoles connected now, per agent (the health of the push channel). */
  connected(): number {
    let n = 0
    for (const s of this.#listeners.values()) n += s.size
    return n
  }

  #feed(input: PopInput): void {
    const r = decidePop(this.#board, input, this.#d.clock.now())
    this.#board = r.board
    for (const p of r.pushes) this.#push(p)
    if (this.#board.held.size > 0 && !this.#flushQueued) {
      this.#flushQueued = true
      // A held ringing state whose offer never came in this turn still reaches the console.
      queueMicrotask(() => {
        this.#flushQueued = false
        this.#feed({ kind: 'flush' })
      })
    }
  }

  #push(push: PopPush): void {
    const numbered = { seq: ++this.#seq, push }
    for (const fn of this.#listeners.get(push.agent) ?? []) {
      try {
        fn(numbered)
      } catch (error) {
        this.#d.log.warn({ err: error, agent: push.agent }, 'screenpop: a console stream failed')
      }
    }
    if (push.kind === 'pop') this.#d.webhook?.send(push.pop)
  }

  #prefetch(call: CallId): void {
    if (this.#customers.has(call)) return
    const facts = this.#d.sources.call(call)
    if (!facts) return
    this.#customers.set(call, { kind: 'pending' })
    if (this.#customers.size > MAX_CACHED_CALLS) this.#customers.delete(this.#customers.keys().next().value!)
    void this.#lookUp(facts.facts['account'], facts.caller).then((customer) => {
      if (!this.#customers.has(call)) return
      this.#customers.set(call, customer)
      this.#feed({ kind: 'enriched', call, customer })
    })
  }

  async #lookUp(account: unknown, caller: string): Promise<Enrichment> {
    const s = this.#d.sources
    try {
      const by = typeof account === 'string' && account !== '' ? { account } : { phone: caller }
      const customer = (await s.customer(by)) ?? (by.account !== undefined && caller !== '' ? await s.customer({ phone: caller }) : undefined)
      if (!customer) return { kind: 'not-found' }
      const [recentContacts, openWorkOrders] = await Promise.all([s.recentContacts(customer.account, this.#d.contactsLimit ?? 5), s.openWorkOrders(customer.account)])
      return { kind: 'found', customer, recentContacts, openWorkOrders }
    } catch (error) {
      this.#d.log.warn({ err: error }, 'screenpop: customer lookup failed')
      return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) }
    }
  }

  #forget(call: CallId): void {
    this.#tiers.delete(call)
    this.#customers.delete(call)
    this.#wrapUps.delete(call)
  }
}

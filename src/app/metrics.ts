/**
 * Prometheus metrics (prom-client) for `GET /metrics`: the switch link, calls in the IVR, in queue
 * and with agents, agents by state, offers and how long they took, the store, the push streams and
 * the reconciliation's corrections. Levels are read at scrape time from the same sources as
 * health and the wallboard; offers and waits are counted from the ACD's events as they happen.
 * The names and an example alert are in docs/deploy.md.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { AcdNotice } from '../acd/index.ts'
import type { StoreStatus, SwitchStatus } from '../api/index.ts'
import type { Instant } from '../shared/index.ts'

/** What the metrics read at scrape time. */
export interface MetricsSource {
  switchStatus(): SwitchStatus
  storeStatus(): StoreStatus
  /** IVR ports in use. */
  ivrCalls(): number
  /** Callers waiting, with their queue and when they joined it. */
  waiting(): Iterable<{ readonly queue: string; readonly queuedAt: Instant }>
  agents(): Iterable<{ readonly presence: { readonly kind: string }; readonly activity: { readonly kind: string; readonly held?: boolean } }>
  /** Screen-pop and wallboard event streams open now. */
  streamsOpen(): number
  now(): Instant
}

export interface CenterMetrics {
  readonly registry: Registry
  /** Feed every ACD notice (offers, answers, abandons). */
  onAcdNotice(n: AcdNotice): void
}

/** Wait buckets in seconds: the service-level thresholds centers use, then the long tail. */
const WAIT_BUCKETS = [8, 20, 30, 60, 90, 120, 180, 300, 600, 1200]
/** From the offer to the agent's answer: a phone's ring time. */
const OFFER_BUCKETS = [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60]
const SWITCH_STATES = ['connecting', 'authenticating', 'connected', 'reconnecting', 'disconnected', 'stopped'] as const

export function centerMetrics(src: MetricsSource): CenterMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'hotline_' })
  const level = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()) } })
  }
  // A running total kept elsewhere (the link's counters), exposed as a counter.
  const total = (name: string, help: string, read: () => number): void => {
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(read()) } })
  }

  new Gauge({
    name: 'hotline_switch_state', help: 'The ESL link to FreeSWITCH: 1 for the state it is in', labelNames: ['state'], registers: [registry],
    collect() {
      const now = src.switchStatus().state
      for (const s of SWITCH_STATES) this.set({ state: s }, s === now ? 1 : 0)
    },
  })
  level('hotline_switch_up', '1 while the ESL link is connected and authenticated', () => (src.switchStatus().state === 'connected' ? 1 : 0))
  level('hotline_switch_lag_seconds', "The latest event's Event-Date-Timestamp against Hotline's clock", () => (src.switchStatus().lagMs ?? 0) / 1000)
  level('hotline_switch_events_per_second', 'ESL events received per second (last second)', () => src.switchStatus().eventsPerSecond)
  total('hotline_switch_reconnects_total', 'Reconnections to FreeSWITCH since start', () => src.switchStatus().reconnects)
  total('hotline_switch_decode_errors_total', 'ESL frames that could not be decoded (dropped at the edge)', () => src.switchStatus().decodeErrors)
  total('hotline_reconcile_corrections_total', 'Ghost calls ended, stray callers adopted and orphan agent legs hung up by the reconciliation', () => src.switchStatus().corrections ?? 0)

  level('hotline_ivr_calls', 'Callers in the IVR now (ports in use)', () => src.ivrCalls())
  new Gauge({
    name: 'hotline_queue_waiting', help: 'Callers waiting in each queue now', labelNames: ['queue'], registers: [registry],
    collect() {
      this.reset()
      for (const c of src.waiting()) this.inc({ queue: c.queue })
    },
  })
  new Gauge({
    name: 'hotline_queue_longest_wait_seconds', help: 'The longest current wait in each queue with callers', labelNames: ['queue'], registers: [registry],
    collect() {
      this.reset()
      const now = src.now()
      const longest = new Map<string, number>()
      for (const c of src.waiting()) longest.set(c.queue, Math.max(longest.get(c.queue) ?? 0, now - c.queuedAt))
      for (const [queue, ms] of longest) this.set({ queue }, ms / 1000)
    },
  })
  new Gauge({
    name: 'hotline_agents', help: 'Agents by presence (chosen) and activity (what the ACD does with them); held calls as activity on-hold', labelNames: ['presence', 'activity'], registers: [registry],
    collect() {
      this.reset()
      for (const a of src.agents()) this.inc({ presence: a.presence.kind, activity: a.activity.kind === 'on-call' && a.activity.held ? 'on-hold' : a.activity.kind })
    },
  })
  level('hotline_calls_with_agents', 'Calls an agent is on now (talking or on hold)', () => {
    let n = 0
    for (const a of src.agents()) if (a.activity.kind === 'on-call') n++
    return n
  })

  level('hotline_store_up', '1 while the database takes writes', () => (src.storeStatus().state === 'ok' ? 1 : 0))
  level('hotline_store_held_writes', 'Call-record writes held in memory until the database takes them', () => src.storeStatus().heldWrites)
  total('hotline_store_writes_given_up_total', 'Call-record writes dropped after the spool overflowed (each logged)', () => src.storeStatus().givenUp)
  level('hotline_sse_clients', 'Screen-pop and wallboard event streams open now', () => src.streamsOpen())

  const offers = new Counter({ name: 'hotline_offers_total', help: 'Offers to agents by how they ended: answered, missed (rang out or refused), cancelled (caller left, answered elsewhere, agent went away)', labelNames: ['outcome'], registers: [registry] })
  const offered = new Counter({ name: 'hotline_offers_made_total', help: 'Offers made to agents', registers: [registry] })
  const offerSeconds = new Histogram({ name: 'hotline_offer_answer_seconds', help: 'From the offer to the agent answering', buckets: OFFER_BUCKETS, registers: [registry] })
  const waits = new Histogram({ name: 'hotline_queue_wait_seconds', help: 'How long answered callers waited in queue', labelNames: ['queue'], buckets: WAIT_BUCKETS, registers: [registry] })
  const abandons = new Counter({ name: 'hotline_calls_abandoned_total', help: 'Callers who left the queue before an agent answered', labelNames: ['queue'], registers: [registry] })
  /** When each open offer was made, by call (an answer names the call, not the offer). */
  const openOffers = new Map<string, Instant>()

  function onAcdNotice(n: AcdNotice): void {
    const e = n.event
    switch (e.kind) {
      case 'call-offered':
        offered.inc()
        openOffers.set(`${e.call}/${e.agent}`, n.at)
        return
      case 'offer-missed':
        offers.inc({ outcome: 'missed' })
        openOffers.delete(`${e.call}/${e.agent}`)
        return
      case 'offer-cancelled':
        offers.inc({ outcome: 'cancelled' })
        openOffers.delete(`${e.call}/${e.agent}`)
        return
      case 'call-answered': {
        const key = `${e.call}/${e.agent}`
        const at = openOffers.get(key)
        openOffers.delete(key)
        offers.inc({ outcome: 'answered' })
        if (at !== undefined) offerSeconds.observe(Math.max(0, n.at - at) / 1000)
        waits.observe({ queue: e.queue }, e.waited / 1000)
        return
      }
      case 'call-abandoned':
        abandons.inc({ queue: e.queue })
        return
      default:
        return
    }
  }

  return { registry, onAcdNotice }
}

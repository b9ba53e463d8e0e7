import type { RequestHandler } from 'express'
import type { Instant } from '../shared/index.ts'

/** Where the connection to FreeSWITCH stands; the composition root adapts the ESL client to it. */
export type SwitchState = 'connecting' | 'authenticating' | 'connected' | 'reconnecting' | 'disconnected' | 'stopped'

export interface SwitchStatus {
  readonly state: SwitchState
  /** When the connection entered this state. */
  readonly since: Instant
  readonly reconnects: number
  readonly eventsPerSecond: number
  /** Event-Date-Timestamp of the latest event against our clock, when known. */
  readonly lagMs?: number | undefined
  /** Frames that could not be decoded, counted and dropped at the edge. */
  readonly decodeErrors: number
  /** Ghost calls ended and stray callers adopted by the periodic audit since start. */
  readonly corrections?: number
}

/** Whether the store takes writes (the composition root adapts the CDR recorder to it). */
export interface StoreStatus {
  readonly state: 'ok' | 'degraded'
  readonly heldWrites: number
  readonly since?: number
  readonly reason?: string
  readonly givenUp: number
  /** The database folder's free space, where Hotline watches it (SQLite). */
  readonly disk?: { readonly path: string; readonly freeBytes: number; readonly low: boolean }
}

export interface HealthBody {
  readonly status: 'ok' | 'degraded'
  readonly switch: Omit<SwitchStatus, 'since'> & { readonly since: string }
  readonly store?: Omit<StoreStatus, 'since'> & { readonly since?: string }
  readonly version: string
}

export function healthBody(s: SwitchStatus, version: string, store?: StoreStatus): HealthBody {
  const sw = {
    state: s.state,
    since: new Date(s.since).toISOString(),
    reconnects: s.reconnects,
    eventsPerSecond: s.eventsPerSecond,
    ...(s.lagMs === undefined ? {} : { lagMs: s.lagMs }),
    decodeErrors: s.decodeErrors,
    ...(s.corrections === undefined ? {} : { corrections: s.corrections }),
  }
  const ok = s.state === 'connected' && (store === undefined || store.state === 'ok')
  if (store === undefined) return { status: ok ? 'ok' : 'degraded', switch: sw, version }
  const { since, ...rest } = store
  return { status: ok ? 'ok' : 'degraded', switch: sw, store: { ...rest, ...(since === undefined ? {} : { since: new Date(since).toISOString() }) }, version }
}

/**
 * GET /api/v1/health. Always 200 while the process answers: "degraded" (switch unreachable)
 * is in the body, so a monitor can alert on it without a load balancer pulling the API —
 * supervisors still need the API to see what is wrong.
 */
export function healthRoute(switchStatus: () => SwitchStatus, version: string): RequestHandler {
  return (_req, res) => {
    res.json(healthBody(switchStatus(), version))
  }
}

/** Options and observable state of the inbound ESL client. */
import type { Clock, Instant } from '../shared/index.ts'
import type { BackoffPolicy } from './backoff.ts'
import type { EslError } from './errors.ts'

/** pino's Logger fits this; tests pass a recorder. */
export interface EslLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface EslClientOptions {
  readonly host?: string
  readonly port?: number
  readonly password: string
  /** Event names to deliver, e.g. CHANNEL_PARK. Subscribe to what you use (principle 8). */
  readonly events: readonly string[]
  /** CUSTOM subclasses to deliver, e.g. sofia::register. */
  readonly subclasses?: readonly string[]
  /** `filter <header> <value>` pairs, re-applied on every reconnect. */
  readonly filters?: readonly (readonly [string, string])[]
  /** Default json: plain values need URL-decoding and nest bodies (fact 5). */
  readonly format?: 'json' | 'plain'
  readonly connectTimeoutMs?: number
  /** No bytes at all for this long → the link is dead (default 60 s, three missed HEARTBEATs). */
  readonly heartbeatTimeoutMs?: number
  /** The largest message body accepted; a larger Content-Length drops the connection (frame.ts MAX_BODY). */
  readonly maxBodyBytes?: number
  readonly backoff?: BackoffPolicy
  readonly clock?: Clock
  readonly random?: () => number
  /** Job-UUIDs and Event-UUIDs; crypto.randomUUID by default. */
  readonly newUuid?: () => string
  readonly log?: EslLog
}

export type EslConnectionState =
  | { readonly kind: 'connecting'; readonly since: Instant; readonly attempt: number }
  | { readonly kind: 'authenticating'; readonly since: Instant; readonly attempt: number }
  | { readonly kind: 'connected'; readonly since: Instant }
  | { readonly kind: 'backing-off'; readonly since: Instant; readonly retryAt: Instant; readonly attempt: number; readonly lastError: EslError }
  | { readonly kind: 'closed'; readonly since: Instant; readonly reason: EslError | undefined }

export type EslConnectionStateKind = EslConnectionState['kind']

/**
 * Events the client itself needs, whatever the caller asked for: BACKGROUND_JOB is only sent to
 * subscribers (fact 4), CHANNEL_EXECUTE_COMPLETE settles executes, HEARTBEAT feeds the watchdog.
 * They reach handlers only if the caller asked for them too.
 */
export const INTERNAL_EVENTS: readonly string[] = ['BACKGROUND_JOB', 'CHANNEL_EXECUTE_COMPLETE', 'HEARTBEAT']

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8021,
  connectTimeoutMs: 5_000,
  heartbeatTimeoutMs: 60_000,
  decodeLogIntervalMs: 10_000,
} as const

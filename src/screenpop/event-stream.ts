/**
 * Server-Sent Events, the console's push channel. Chosen over WebSocket because the traffic is
 * one-way (server → console; the console acts through plain REST calls), it is plain HTTP that
 * proxies pass, and browsers reconnect by themselves, sending `Last-Event-ID`.
 *
 * EventSource cannot set an Authorization header, so the stream routes alone also accept the
 * bearer token as `?access_token=` (RFC 6750 §2.3). Tokens in URLs can land in access logs:
 * Hotline logs no query strings, and a proxy in front must not either (docs/console.md).
 */
import type { Request, RequestHandler, Response } from 'express'
import { presentedToken, sendError, type Principal, type Revocation, type TokenVerifier } from '../api/index.ts'
import type { Clock, TimerHandle } from '../shared/index.ts'

/** Comment lines keep proxies from closing an idle stream. */
export const KEEPALIVE_MS = 15_000
/** How long a browser waits before reconnecting (the SSE `retry:` field). */
export const RECONNECT_MS = 2000

/** Accepts `?access_token=` on the stream routes when no Authorization header was sent. */
export function queryToken(tokens: TokenVerifier): RequestHandler {
  return (req, res, next) => {
    const q = req.query['access_token']
    if (req.headers.authorization !== undefined || q === undefined) return next()
    if (typeof q !== 'string' || q === '') return sendError(res, { code: 'token-invalid', message: 'access_token must be one token' })
    tokens.verify(q).then((principal) => {
      if (!principal) return sendError(res, { code: 'token-invalid', message: 'the access token is unknown, expired or revoked; log in again' })
      ;(req as Request & { principal?: Principal }).principal = principal
      next()
    }).catch(next)
  }
}

export interface SseStream {
  send(event: string, data: unknown, id?: number): void
}

export interface StreamLimits {
  /** Open streams per user and per kind of stream; a new one beyond it closes that user's oldest. */
  readonly perUser: number
  /** Bytes a stream may hold unsent for a client that does not read; beyond it, the stream is cut. */
  readonly bufferedBytes: number
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perUser: 4, bufferedBytes: 256 * 1024 }

interface Open { readonly userId: string; readonly token: string | undefined; end(reason: string): void }

/**
 * What every event stream of one kind shares: who holds each one, so that a logout, a disabled
 * user or a password reset ends that user's streams at once, and a user cannot hold more than
 * `perUser` of them. A client cut off (revoked, too slow, one too many) is told why in an `end`
 * event when it can still be written; EventSource reconnects by itself, and a revoked token is
 * then refused.
 */
export class StreamGuard {
  readonly #open = new Set<Open>()
  readonly #limits: StreamLimits
  #unwatch: (() => void) | undefined

  constructor(readonly tokens: TokenVerifier, limits: Partial<StreamLimits> = {}) {
    this.#limits = { ...DEFAULT_STREAM_LIMITS, ...limits }
  }

  /** Streams open now (for health and tests). */
  get size(): number {
    return this.#open.size
  }

  get limits(): StreamLimits {
    return this.#limits
  }

  admit(o: Open): () => void {
    this.#unwatch ??= this.tokens.onRevoked?.((r) => this.#revoked(r))
    const mine = [...this.#open].filter((x) => x.userId === o.userId)
    for (const old of mine.slice(0, Math.max(0, mine.length + 1 - this.#limits.perUser))) old.end('too-many-streams')
    this.#open.add(o)
    return () => void this.#open.delete(o)
  }

  #revoked(r: Revocation): void {
    for (const o of [...this.#open]) if ('token' in r ? o.token === r.token : o.userId === r.userId) o.end('session-ended')
  }
}

function tokenOf(req: Request): string | undefined {
  const p = presentedToken(req)
  if (p.kind === 'token') return p.token
  const q = req.query['access_token']
  return typeof q === 'string' ? q : undefined
}

/**
 * Opens the stream, keeps it alive on the injected clock, and calls `onClose` once when it ends
 * (the client went, or the guard ended it). With a guard: at every keep-alive the token is checked
 * again (an expired token ends the stream too), and a client that stops reading is cut once
 * `bufferedBytes` wait unsent — the socket's buffer would otherwise grow without bound.
 */
export function openEventStream(req: Request, res: Response, clock: Clock, onClose: () => void, guard?: StreamGuard): SseStream {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' })
  res.write(`retry: ${RECONNECT_MS}\n\n`)
  let timer: TimerHandle | undefined
  let ended = false
  let release = (): void => undefined
  const finish = (): void => {
    if (ended) return
    ended = true
    timer?.cancel()
    release()
    onClose()
  }
  const end = (reason: string): void => {
    if (ended) return
    if (res.writableLength < (guard?.limits.bufferedBytes ?? Infinity)) res.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`)
    finish()
    res.end()
    // A client that reads nothing never drains what is queued: drop the socket, not only the stream.
    if (reason === 'too-slow') res.destroy()
  }
  const write = (chunk: string): void => {
    if (ended) return
    if (guard && res.writableLength > guard.limits.bufferedBytes) return end('too-slow')
    res.write(chunk)
  }
  const principal = (req as Request & { principal?: Principal }).principal
  const token = tokenOf(req)
  if (guard && principal) release = guard.admit({ userId: principal.userId, token, end })
  const beat = (): void => {
    timer = clock.setTimer(KEEPALIVE_MS, () => {
      write(': keepalive\n\n')
      if (guard && token !== undefined) {
        guard.tokens.verify(token).then((p) => { if (!p) end('session-ended') }, () => undefined)
      }
      if (!ended) beat()
    })
  }
  beat()
  req.on('close', finish)
  return {
    send(event, data, id) {
      write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    },
  }
}

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
import { sendError, type Principal, type TokenVerifier } from '../api/index.ts'
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

/** Opens the stream, keeps it alive on the injected clock, and calls `onClose` once when the client goes. */
export function openEventStream(req: Request, res: Response, clock: Clock, onClose: () => void): SseStream {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' })
  res.write(`retry: ${RECONNECT_MS}\n\n`)
  let timer: TimerHandle | undefined
  const beat = (): void => {
    timer = clock.setTimer(KEEPALIVE_MS, () => {
      res.write(': keepalive\n\n')
      beat()
    })
  }
  beat()
  req.on('close', () => {
    timer?.cancel()
    onClose()
  })
  return {
    send(event, data, id) {
      res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    },
  }
}

/**
 * Outbound-socket mode: the dialplan's `socket host:port async full` makes FreeSWITCH connect to
 * us, one TCP connection per call. Hotline's own call handling parks calls and drives them over
 * the inbound connection (a per-call socket dies with the controller and takes the call with it,
 * ARCHITECTURE principle 4); this exists for sites that prefer the outbound model.
 */
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type Socket } from 'node:net'
import { err, ok, systemClock, type Clock, type Result } from '../shared/index.ts'
import type { EslLog } from './client-options.ts'
import { filterCommand, verbCommand } from './commands.ts'
import { EslConnection } from './connection.ts'
import { eslError, type EslError } from './errors.ts'
import type { EslEvent } from './message.ts'
import * as op from './operations.ts'
import type { WaitOptions } from './pending.ts'
import { Subscribers } from './subscribers.ts'

export interface DisconnectNotice {
  /** fact 14: `linger` (the channel hung up, we may still read) or `disconnect` (goodbye, then close). */
  readonly disposition: 'linger' | 'disconnect' | undefined
  /** Seconds FreeSWITCH will linger; -1 means until we close. */
  readonly lingerSeconds: number | undefined
  readonly headers: Readonly<Record<string, string>>
}

export interface OutboundSession {
  /** The `connect` reply: ~110 channel headers (Event-Name CHANNEL_DATA), values decoded (fact 2). */
  readonly channelData: Readonly<Record<string, string>>
  /** Unique-ID of the channel this socket controls. */
  readonly uuid: string
  readonly socketMode: 'async' | 'static' | undefined
  /** Resolves with the reason once the socket is gone. */
  readonly closed: Promise<string>
  onEvent(h: (ev: EslEvent) => void | Promise<void>): () => void
  onDisconnectNotice(h: (n: DisconnectNotice) => void): () => void
  /** Events of this channel only; `json` switches the format (fact 12). */
  myevents(format: 'plain' | 'json', o: WaitOptions): Promise<Result<void, EslError>>
  /** `linger` with no seconds lingers until we close (fact 14). */
  linger(seconds: number | undefined, o: WaitOptions): Promise<Result<void, EslError>>
  nolinger(o: WaitOptions): Promise<Result<void, EslError>>
  filter(header: string, value: string, o: WaitOptions): Promise<Result<void, EslError>>
  api(cmd: string, o: WaitOptions): Promise<Result<string, EslError>>
  execute(app: string, arg: string | undefined, o: op.ExecuteCallOptions & { readonly appUuid?: string }): Promise<Result<op.ExecuteResult, EslError>>
  hangup(cause: string, o: WaitOptions): Promise<Result<void, EslError>>
  close(): void
}

export interface OutboundServerOptions {
  readonly port: number
  readonly host?: string
  readonly onSession: (s: OutboundSession) => void | Promise<void>
  readonly clock?: Clock
  readonly newUuid?: () => string
  /** Deadline for the `connect` reply. */
  readonly connectTimeoutMs?: number
  readonly log?: EslLog
}

export interface OutboundServer {
  readonly port: number
  close(): Promise<void>
}

export async function createOutboundServer(o: OutboundServerOptions): Promise<Result<OutboundServer, EslError>> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    void startSession(socket, o).catch((e: unknown) => o.log?.warn({ err: String(e) }, 'esl outbound: session failed'))
  })
  server.listen(o.port, o.host ?? '127.0.0.1')
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => Promise.reject(e as Error))])
  } catch (e) {
    return err(eslError('esl-listen-failed', `cannot listen on ${o.host ?? '127.0.0.1'}:${o.port}: ${(e as Error).message}`))
  }
  const addr = server.address()
  const port = addr !== null && typeof addr === 'object' ? addr.port : o.port
  return ok({
    port,
    async close() {
      for (const s of sockets) s.destroy()
      server.close()
      if (server.listening) await once(server, 'close')
    },
  })
}

/** FreeSWITCH sends nothing until we send `connect` (fact 12); its reply carries the channel. */
async function startSession(socket: Socket, o: OutboundServerOptions): Promise<void> {
  const clock = o.clock ?? systemClock
  const events = new Subscribers<EslEvent>('event handler', (e) => o.log?.warn({ err: String(e) }, 'esl outbound: event handler failed'))
  const notices = new Subscribers<DisconnectNotice>('notice handler', (e) => o.log?.warn({ err: String(e) }, 'esl outbound: notice handler failed'))
  let closedWith: (reason: string) => void = () => undefined
  const closed = new Promise<string>((resolve) => (closedWith = resolve))
  const conn = new EslConnection(socket, clock, {
    onEvent: (ev) => events.emit(ev),
    onMalformed: (reason) => o.log?.warn({ reason }, 'esl outbound: malformed message'),
    onDisconnectNotice: (headers) => notices.emit(notice(headers)),
    onClosed: (reason) => closedWith(reason),
    onBytes: () => undefined,
    onInternalError: (e) => o.log?.warn({ err: String(e) }, 'esl outbound: internal error'),
  })
  const reply = await conn.request(verbCommand('connect'), { timeoutMs: o.connectTimeoutMs ?? 5_000 }, 'connect')
  if (!reply.ok || reply.value.kind !== 'command-reply' || !reply.value.ok) {
    o.log?.warn({ reason: reply.ok ? 'connect refused' : reply.error.message }, 'esl outbound: no channel data')
    conn.destroy('connect failed')
    return
  }
  await o.onSession(sessionOver(conn, reply.value.headers, { events, notices, closed }, o.newUuid ?? randomUUID))
}

interface SessionFeeds {
  readonly events: Subscribers<EslEvent>
  readonly notices: Subscribers<DisconnectNotice>
  readonly closed: Promise<string>
}

function sessionOver(conn: EslConnection, data: Readonly<Record<string, string>>, f: SessionFeeds, newUuid: () => string): OutboundSession {
  const unit = async (r: Promise<Result<string, EslError>>): Promise<Result<void, EslError>> => {
    const x = await r
    return x.ok ? ok(undefined) : x
  }
  const mode = data['Socket-Mode']
  return {
    channelData: data,
    uuid: data['Unique-ID'] ?? data['Channel-Unique-ID'] ?? '',
    socketMode: mode === 'async' || mode === 'static' ? mode : undefined,
    closed: f.closed,
    onEvent: (h) => f.events.add(h),
    onDisconnectNotice: (h) => f.notices.add(h),
    myevents: (format, w) => unit(op.command(conn, verbCommand(format === 'json' ? 'myevents json' : 'myevents'), w, 'myevents')),
    linger: (seconds, w) => unit(op.command(conn, verbCommand(seconds === undefined ? 'linger' : `linger ${Math.max(0, Math.floor(seconds))}`), w, 'linger')),
    nolinger: (w) => unit(op.command(conn, verbCommand('nolinger'), w, 'nolinger')),
    filter: (h, v, w) => unit(op.command(conn, filterCommand(h, v), w, 'filter')),
    api: (cmd, w) => op.api(conn, cmd, w),
    // No uuid after sendmsg: on an outbound socket it addresses the session's own channel.
    execute: (app, arg, w) => op.execute(conn, undefined, app, arg, w.appUuid ?? newUuid(), w),
    hangup: (cause, w) => op.hangup(conn, undefined, cause, w),
    close: () => conn.destroy('closed by Hotline', 'esl-closed'),
  }
}

function notice(headers: Readonly<Record<string, string>>): DisconnectNotice {
  const d = headers['Content-Disposition']
  const linger = headers['Linger-Time']
  return {
    disposition: d === 'linger' || d === 'disconnect' ? d : undefined,
    lingerSeconds: linger !== undefined && /^-?\d+$/.test(linger) ? Number(linger) : undefined,
    headers,
  }
}

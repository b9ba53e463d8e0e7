/**
 * The inbound ESL client: one long-lived connection to FreeSWITCH that reconnects by itself.
 * In-flight commands are never re-sent after a drop — they fail with `esl-disconnected` and the
 * caller reconciles (an originate must never dial twice).
 */
import { randomUUID } from 'node:crypto'
import { connect as tcpConnect, type Socket } from 'node:net'
import { err, ok, systemClock, type Clock, type Result, type TimerHandle } from '../shared/index.ts'
import { backoffDelay, defaultBackoff } from './backoff.ts'
import { DEFAULTS, INTERNAL_EVENTS, type EslClientOptions, type EslConnectionState, type EslLog } from './client-options.ts'
import { authCommand, eventCommand, filterCommand } from './commands.ts'
import { EslConnection } from './connection.ts'
import { eslError, type EslError } from './errors.ts'
import { HeartbeatWatchdog } from './heartbeat.ts'
import type { EslEvent } from './message.ts'
import * as op from './operations.ts'
import type { WaitOptions } from './pending.ts'
import { EventRate, RateLimitedLog, eventLagMs, type EslCounters } from './stats.ts'
import { Subscribers } from './subscribers.ts'

const silentLog: EslLog = { info: () => undefined, warn: () => undefined }

export class EslClient {
  readonly #o: EslClientOptions
  readonly #clock: Clock
  readonly #log: EslLog
  readonly #newUuid: () => string
  readonly #wanted: Set<string>
  readonly #wantedSub: Set<string>
  readonly #filters: (readonly [string, string])[]
  readonly #events = new Subscribers<EslEvent>('event handler', (e) => this.#handlerFailed(e))
  readonly #states = new Subscribers<EslConnectionState>('state handler', (e) => this.#handlerFailed(e))
  readonly #rate: EventRate
  readonly #decodeLog: RateLimitedLog
  readonly #watchdog: HeartbeatWatchdog
  #state: EslConnectionState
  #conn: EslConnection | undefined
  #socket: Socket | undefined
  #timer: TimerHandle | undefined
  #gen = 0
  #attempt = 0
  #everConnected = false
  #lastDecodeError: { reason: string; sample: string } | undefined
  #c = { eventsReceived: 0, eventsDropped: 0, lagMs: undefined as number | undefined, reconnects: 0, decodeErrors: 0, handlerErrors: 0 }

  constructor(o: EslClientOptions) {
    this.#o = o
    this.#clock = o.clock ?? systemClock
    this.#log = o.log ?? silentLog
    this.#newUuid = o.newUuid ?? randomUUID
    this.#wanted = new Set(o.events.filter((e) => e !== 'CUSTOM'))
    this.#wantedSub = new Set(o.subclasses ?? [])
    this.#filters = [...(o.filters ?? [])]
    this.#rate = new EventRate(this.#clock)
    this.#decodeLog = new RateLimitedLog(this.#clock, DEFAULTS.decodeLogIntervalMs, (suppressed) =>
      this.#log.warn({ decodeErrors: this.#c.decodeErrors, suppressed, ...this.#lastDecodeError }, 'esl: malformed message from the switch'))
    this.#watchdog = new HeartbeatWatchdog(this.#clock, o.heartbeatTimeoutMs ?? DEFAULTS.heartbeatTimeoutMs, (ms) => this.#silent(ms))
    this.#state = { kind: 'closed', since: this.#clock.now(), reason: undefined }
  }

  get state(): EslConnectionState {
    return this.#state
  }

  get counters(): EslCounters {
    return { ...this.#c, eventsPerSecond: this.#rate.perSecond(), commandsInFlight: this.#conn?.inFlight ?? 0 }
  }

  /** Subscribes a handler to delivered events; returns the unsubscribe function. */
  onEvent(handler: (ev: EslEvent) => void | Promise<void>): () => void {
    return this.#events.add(handler)
  }

  onStateChange(handler: (s: EslConnectionState) => void): () => void {
    return this.#states.add(handler)
  }

  /** Starts connecting (and reconnecting) in the background. */
  start(): void {
    if (this.#state.kind === 'closed' && this.#conn === undefined && this.#timer === undefined) this.#connect()
  }

  /** Stops for good: pending commands settle with `esl-closed`. */
  close(): void {
    this.#gen++
    this.#timer?.cancel()
    this.#timer = undefined
    this.#watchdog.stop()
    this.#conn?.destroy('closed by Hotline', 'esl-closed')
    this.#conn = undefined
    this.#socket?.destroy()
    this.#socket = undefined
    this.#setState({ kind: 'closed', since: this.#clock.now(), reason: undefined })
  }

  api(cmd: string, o: WaitOptions): Promise<Result<string, EslError>> {
    return this.#with((c) => op.api(c, cmd, o))
  }

  /** bgapi with our Job-UUID; BACKGROUND_JOB is always in our subscription (fact 4). */
  bgapi(cmd: string, o: WaitOptions & { readonly jobUuid?: string }): Promise<Result<string, EslError>> {
    return this.#with((c) => op.bgapi(c, cmd, o.jobUuid ?? this.#newUuid(), o))
  }

  execute(uuid: string, app: string, arg: string | undefined, o: op.ExecuteCallOptions & { readonly appUuid?: string }): Promise<Result<op.ExecuteResult, EslError>> {
    return this.#with((c) => op.execute(c, uuid, app, arg, o.appUuid ?? this.#newUuid(), o))
  }

  hangup(uuid: string, cause: string, o: WaitOptions): Promise<Result<void, EslError>> {
    return this.#with((c) => op.hangup(c, uuid, cause, o))
  }

  /** Adds a filter now and on every reconnect. */
  async addFilter(header: string, value: string, o: WaitOptions): Promise<Result<void, EslError>> {
    const text = filterCommand(header, value)
    if (!text.ok) return text
    this.#filters.push([header, value])
    const r = await this.#with((c) => op.command(c, text, o, 'filter'))
    return r.ok ? ok(undefined) : r
  }

  #with<T>(run: (c: EslConnection) => Promise<Result<T, EslError>>): Promise<Result<T, EslError>> {
    const c = this.#state.kind === 'connected' ? this.#conn : undefined
    if (!c) return Promise.resolve(err(eslError(this.#state.kind === 'closed' ? 'esl-closed' : 'esl-disconnected', `not connected (${this.#state.kind})`)))
    return run(c)
  }

  #setState(s: EslConnectionState): void {
    this.#state = s
    this.#states.emit(s)
  }

  #connect(): void {
    const gen = ++this.#gen
    const attempt = this.#attempt
    this.#timer = undefined
    this.#setState({ kind: 'connecting', since: this.#clock.now(), attempt })
    const timeoutMs = this.#o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs
    const deadline = this.#clock.setTimer(timeoutMs, () => this.#fail(gen, eslError('esl-connect-failed', `no connection within ${timeoutMs} ms`)))
    const socket = tcpConnect({ host: this.#o.host ?? DEFAULTS.host, port: this.#o.port ?? DEFAULTS.port })
    this.#socket = socket
    socket.setNoDelay(true)
    const refused = (e: Error): void => this.#fail(gen, eslError('esl-connect-failed', e.message))
    socket.once('error', refused)
    socket.once('connect', () => {
      deadline.cancel()
      socket.off('error', refused) // from here on the connection reports errors as a disconnect
      if (gen !== this.#gen) return
      this.#setState({ kind: 'authenticating', since: this.#clock.now(), attempt })
      const conn = new EslConnection(socket, this.#clock, this.#hooks(gen), this.#o.maxBodyBytes === undefined ? {} : { maxBody: this.#o.maxBodyBytes })
      this.#conn = conn
      void this.#handshake(conn, { timeoutMs }).then((r) => (r.ok ? this.#connected(gen) : this.#fail(gen, r.error)))
    })
  }

  async #handshake(conn: EslConnection, o: WaitOptions): Promise<Result<void, EslError>> {
    const hello = await conn.awaitAuthRequest(o)
    if (!hello.ok) return hello
    const auth = await op.command(conn, authCommand(this.#o.password), o, 'auth')
    if (!auth.ok) {
      return auth.error.code === 'esl-command-failed' ? err(eslError('esl-auth-failed', `the switch refused the password (${auth.error.message})`)) : auth
    }
    const names = [...new Set([...this.#wanted, ...INTERNAL_EVENTS])]
    const sub = await op.command(conn, eventCommand(this.#o.format ?? 'json', names, [...this.#wantedSub]), o, 'event')
    if (!sub.ok) return sub
    // Filters turn the stream into an allow-list (fact 9): keep our own events in it.
    const filters = this.#filters.length ? [...this.#filters, ...INTERNAL_EVENTS.map((n) => ['Event-Name', n] as const)] : []
    for (const [h, v] of filters) {
      const f = await op.command(conn, filterCommand(h, v), o, 'filter')
      if (!f.ok) return f
    }
    return ok(undefined)
  }

  #connected(gen: number): void {
    if (gen !== this.#gen) return
    if (this.#everConnected) this.#c.reconnects++
    this.#everConnected = true
    this.#attempt = 0
    this.#watchdog.start()
    this.#log.info({ host: this.#o.host ?? DEFAULTS.host, port: this.#o.port ?? DEFAULTS.port }, 'esl: connected')
    this.#setState({ kind: 'connected', since: this.#clock.now() })
  }

  /** One place decides what a failure means: auth → stop (no retry storm), anything else → back off. */
  #fail(gen: number, e: EslError): void {
    if (gen !== this.#gen) return
    this.#gen++
    this.#watchdog.stop()
    const conn = this.#conn
    this.#conn = undefined
    conn?.destroy(e.message)
    this.#socket?.destroy()
    this.#socket = undefined
    const now = this.#clock.now()
    if (e.code === 'esl-auth-failed') {
      this.#log.warn({ code: e.code }, 'esl: authentication failed; not retrying (check esl.password)')
      this.#setState({ kind: 'closed', since: now, reason: e })
      return
    }
    const attempt = this.#attempt++
    const delay = backoffDelay(attempt, this.#o.backoff ?? defaultBackoff, this.#o.random ?? Math.random)
    this.#log.warn({ code: e.code, reason: e.message, retryInMs: delay, attempt }, 'esl: connection lost; reconnecting')
    this.#timer = this.#clock.setTimer(delay, () => this.#connect())
    this.#setState({ kind: 'backing-off', since: now, retryAt: now + delay, attempt, lastError: e })
  }

  #silent(ms: number): void {
    this.#fail(this.#gen, eslError('esl-disconnected', `no bytes from the switch for ${ms} ms (HEARTBEAT lost)`))
  }

  #hooks(gen: number): ConstructorParameters<typeof EslConnection>[2] {
    return {
      onEvent: (ev) => this.#onEvent(ev),
      onMalformed: (reason, sample) => {
        this.#c.decodeErrors++
        this.#lastDecodeError = { reason, sample: sample.slice(0, 80) }
        this.#decodeLog.hit()
      },
      onDisconnectNotice: () => undefined,
      onClosed: (reason) => this.#fail(gen, eslError('esl-disconnected', reason)),
      onBytes: () => this.#watchdog.bytes(),
      onInternalError: (e) => this.#handlerFailed(e),
    }
  }

  #onEvent(ev: EslEvent): void {
    const now = this.#clock.now()
    this.#c.eventsReceived++
    this.#rate.add()
    this.#c.lagMs = eventLagMs(ev, now) ?? this.#c.lagMs
    const wanted = ev.name === 'CUSTOM' ? ev.subclass !== undefined && this.#wantedSub.has(ev.subclass) : this.#wanted.has(ev.name)
    if (wanted) this.#events.emit(ev)
    else if (!INTERNAL_EVENTS.includes(ev.name)) this.#c.eventsDropped++
  }

  #handlerFailed(e: unknown): void {
    this.#c.handlerErrors++
    this.#log.warn({ err: e instanceof Error ? e.message : String(e) }, 'esl: a handler failed')
  }
}

/**
 * Connects and waits for the first `connected` state. Resolves err on a refused password, or when
 * not connected within timeoutMs (the client is then closed); otherwise the client keeps itself up.
 */
/**
 * `failFast`: a refused connection (nothing listens there) ends the attempt at once instead of
 * retrying until the timeout — for one-shot tools like `hotline doctor`, where the answer is known.
 */
export function connectEsl(o: EslClientOptions & { readonly timeoutMs?: number; readonly failFast?: boolean }): Promise<Result<EslClient, EslError>> {
  const client = new EslClient(o)
  const clock = o.clock ?? systemClock
  return new Promise((resolve) => {
    let lastError: EslError | undefined
    const done = (r: Result<EslClient, EslError>): void => {
      timer.cancel()
      off()
      if (!r.ok) client.close()
      resolve(r)
    }
    const timeoutMs = o.timeoutMs ?? DEFAULTS.connectTimeoutMs * 2
    const timer = clock.setTimer(timeoutMs, () =>
      done(err(eslError('esl-connect-failed', `not connected within ${timeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`))))
    const off = client.onStateChange((s) => {
      if (s.kind === 'connected') done(ok(client))
      else if (s.kind === 'closed') done(err(s.reason ?? eslError('esl-closed', 'closed')))
      else if (s.kind === 'backing-off') {
        lastError = s.lastError
        if (o.failFast && /ECONNREFUSED/.test(s.lastError.message)) {
          done(err(eslError('esl-connect-failed', `nothing listens on ${o.host ?? DEFAULTS.host}:${o.port ?? DEFAULTS.port} (connection refused)`)))
        }
      }
    })
    client.start()
  })
}

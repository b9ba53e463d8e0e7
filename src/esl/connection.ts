/**
 * One ESL socket, inbound or outbound: bytes → frames → typed messages, replies matched to
 * commands, jobs and executes correlated by the ids we chose. It knows nothing of reconnecting;
 * when the socket goes, every pending wait settles with `esl-disconnected` and nothing is re-sent.
 */
import type { Socket } from 'node:net'
import { err, ok, type Clock, type Result } from '../shared/index.ts'
import type { CommandText } from './commands.ts'
import { decodeFrame } from './decode.ts'
import { eslError, type EslError } from './errors.ts'
import { EslFramer } from './frame.ts'
import type { EslEvent, EslMessage } from './message.ts'
import { Pending, type WaitOptions } from './pending.ts'

export type EslReply = Extract<EslMessage, { kind: 'command-reply' | 'api-response' }>

export interface ConnectionHooks {
  /** Every event, after job/execute correlation has looked at it. */
  onEvent(ev: EslEvent): void
  onMalformed(reason: string, sample: string): void
  onDisconnectNotice(headers: Readonly<Record<string, string>>, body: string): void
  /** The socket is gone; called once. */
  onClosed(reason: string): void
  /** Any bytes at all arrived (the heartbeat watchdog feeds on this). */
  onBytes(): void
  /** A bug in our own dispatch or a hook: reported, never thrown into the socket loop. */
  onInternalError(e: unknown): void
}

export class EslConnection {
  readonly #socket: Socket
  readonly #clock: Clock
  readonly #hooks: ConnectionHooks
  readonly #framer: EslFramer
  /** Reply slots in command order (fact 3). A timed-out slot stays until its late reply arrives. */
  readonly #fifo: Pending<EslReply>[] = []
  readonly #jobs = new Map<string, Pending<string>>()
  readonly #executes = new Map<string, Pending<EslEvent>>()
  #greeting: Pending<void> | undefined
  #greeted = false
  #rejected: string | undefined
  #closed: string | undefined

  constructor(socket: Socket, clock: Clock, hooks: ConnectionHooks, o: { readonly maxBody?: number } = {}) {
    this.#framer = new EslFramer(o)
    this.#socket = socket
    this.#clock = clock
    this.#hooks = hooks
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', (e) => this.#teardown(`socket error: ${e.message}`))
    socket.on('close', () => this.#teardown('socket closed by peer'))
  }

  get closed(): boolean {
    return this.#closed !== undefined
  }

  /** Commands, jobs and executes still waiting for an answer (settled slots not counted). */
  get inFlight(): number {
    let n = 0
    for (const p of this.#fifo) if (!p.settled) n++
    return n + this.#jobs.size + this.#executes.size
  }

  /** Inbound: FreeSWITCH greets with auth/request before anything else. */
  awaitAuthRequest(opts: WaitOptions): Promise<Result<void, EslError>> {
    if (this.#greeted) return Promise.resolve(ok(undefined))
    const p = new Pending<void>(this.#clock, opts, 'auth/request')
    if (this.#closed !== undefined) p.settle(err(this.#gone()))
    this.#greeting = p
    return p.promise
  }

  /** Sends one command and waits for its reply (command/reply or api/response). */
  request(text: CommandText, opts: WaitOptions, what: string): Promise<Result<EslReply, EslError>> {
    if (!text.ok) return Promise.resolve(text)
    const p = new Pending<EslReply>(this.#clock, opts, what)
    if (p.settled) return p.promise // aborted before sending: nothing goes on the wire
    if (this.#closed !== undefined) {
      p.settle(err(this.#gone()))
      return p.promise
    }
    this.#fifo.push(p)
    this.#socket.write(text.value)
    return p.promise
  }

  /** Registers interest in BACKGROUND_JOB <jobUuid> before the bgapi is sent. */
  awaitJob(jobUuid: string, opts: WaitOptions, what: string): Pending<string> {
    return this.#register(this.#jobs, jobUuid, new Pending<string>(this.#clock, opts, what))
  }

  /** Registers interest in CHANNEL_EXECUTE_COMPLETE with Application-UUID before the sendmsg. */
  awaitExecute(appUuid: string, opts: WaitOptions, what: string): Pending<EslEvent> {
    return this.#register(this.#executes, appUuid, new Pending<EslEvent>(this.#clock, opts, what))
  }

  /** Closes the socket at once; pending waits settle with the given code. */
  destroy(reason: string, code: 'esl-disconnected' | 'esl-closed' = 'esl-disconnected'): void {
    this.#teardown(reason, code)
    this.#socket.destroy()
  }

  #register<T>(map: Map<string, Pending<T>>, key: string, p: Pending<T>): Pending<T> {
    if (this.#closed !== undefined) p.settle(err(this.#gone()))
    if (p.settled) return p
    map.get(key)?.settle(err(eslError('esl-bad-command', `${key} reused while still pending`)))
    map.set(key, p)
    p.onSettle(() => {
      if (map.get(key) === p) map.delete(key)
    })
    return p
  }

  #onData(chunk: Buffer): void {
    this.#hooks.onBytes()
    for (const f of this.#framer.push(chunk)) {
      if (this.#closed !== undefined) return
      if (f.fatal) {
        // Framing is lost: drop the connection; the client reconnects and reconciles.
        this.#hooks.onMalformed(f.malformed ?? 'bad frame', '')
        this.destroy(`the stream from the switch cannot be read any more (${f.malformed}); reconnecting`)
        return
      }
      // Per message: a bug in one must not lose the others that came in the same chunk.
      try {
        this.#dispatch(decodeFrame(f))
      } catch (e) {
        this.#hooks.onInternalError(e)
      }
    }
  }

  #dispatch(m: EslMessage): void {
    switch (m.kind) {
      case 'auth-request':
        this.#greeted = true
        this.#greeting?.settle(ok(undefined))
        return
      case 'command-reply':
      case 'api-response': {
        const slot = this.#fifo.shift()
        if (!slot) this.#hooks.onMalformed('a reply arrived with no command waiting', m.kind)
        else slot.settle(ok(m)) // a no-op for a slot that already timed out: the late reply is dropped
        return
      }
      case 'event':
        this.#correlate(m.event)
        this.#hooks.onEvent(m.event)
        return
      case 'disconnect-notice':
        this.#hooks.onDisconnectNotice(m.headers, m.body)
        return
      case 'rude-rejection':
        // ACL refusal: the switch closes right after; make the handshake fail with the reason.
        this.#rejected = m.body.trim()
        this.#greeting?.settle(err(eslError('esl-auth-failed', `rejected by the switch: ${this.#rejected}`)))
        return
      case 'malformed':
        this.#hooks.onMalformed(m.reason, m.sample)
        return
      case 'log':
      case 'unknown':
        return
    }
  }

  #correlate(ev: EslEvent): void {
    if (ev.name === 'BACKGROUND_JOB') {
      const id = ev.header('Job-UUID')
      if (id !== undefined) this.#jobs.get(id)?.settle(ok(ev.body ?? ''))
    } else if (ev.name === 'CHANNEL_EXECUTE_COMPLETE') {
      const id = ev.header('Application-UUID')
      if (id !== undefined) this.#executes.get(id)?.settle(ok(ev))
    }
  }

  #gone(): EslError {
    const code = this.#closedCode
    return eslError(code, `connection ${code === 'esl-closed' ? 'closed' : 'lost'}: ${this.#closed ?? 'not connected'}`)
  }

  #closedCode: 'esl-disconnected' | 'esl-closed' = 'esl-disconnected'

  #teardown(reason: string, code: 'esl-disconnected' | 'esl-closed' = 'esl-disconnected'): void {
    if (this.#closed !== undefined) return
    this.#closed = this.#rejected !== undefined ? `rejected: ${this.#rejected}` : reason
    this.#closedCode = code
    const gone = this.#gone()
    this.#greeting?.settle(err(gone))
    for (const p of this.#fifo.splice(0)) p.settle(err(gone))
    for (const p of [...this.#jobs.values(), ...this.#executes.values()]) p.settle(err(gone))
    try {
      this.#hooks.onClosed(this.#closed)
    } catch (e) {
      this.#hooks.onInternalError(e)
    }
  }
}

/**
 * A tiny raw ESL client for tests (not the product client): connect, send raw commands, await
 * the next reply in FIFO order, collect events. Built on the project's framer and decoder.
 */
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { EslFramer, decodeFrame } from '../esl/index.ts'
import type { EslEvent, EslMessage } from '../esl/index.ts'

type Reply = Extract<EslMessage, { kind: 'command-reply' | 'api-response' | 'auth-request' }>

export class RawEslClient {
  readonly messages: EslMessage[] = []
  readonly events: EslEvent[] = []
  readonly #socket: Socket
  readonly #framer = new EslFramer()
  readonly #replies: Reply[] = []
  #waiters: (() => void)[] = []
  #closed = false

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.on('data', (d: Buffer) => {
      for (const f of this.#framer.push(d)) this.#take(decodeFrame(f))
    })
    socket.on('close', () => {
      this.#closed = true
      this.#wake()
    })
    socket.on('error', () => undefined)
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawEslClient> {
    const socket = connect(port, host)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const c = new RawEslClient(socket)
    await c.nextReply() // auth/request
    return c
  }

  /** Connect and authenticate; throws (test bug) if the password is refused. */
  static async login(port: number, password: string): Promise<RawEslClient> {
    const c = await RawEslClient.connect(port)
    const r = await c.command(`auth ${password}`)
    if (r.kind !== 'command-reply' || !r.ok) throw new Error(`auth refused: ${JSON.stringify(r)}`)
    return c
  }

  get closed(): boolean {
    return this.#closed
  }

  #take(m: EslMessage): void {
    this.messages.push(m)
    if (m.kind === 'event') this.events.push(m.event)
    if (m.kind === 'command-reply' || m.kind === 'api-response' || m.kind === 'auth-request') this.#replies.push(m)
    this.#wake()
  }

  #wake(): void {
    const w = this.#waiters
    this.#waiters = []
    for (const f of w) f()
  }

  /** Resolves when pred holds (checked on every message); rejects after ms of real time. */
  async until(pred: () => boolean, ms = 2000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms
    while (!pred()) {
      if (this.#closed && !pred()) throw new Error(`connection closed waiting for ${what}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50))
        this.#waiters.push(() => { clearTimeout(t); resolve() })
      })
    }
  }

  async nextReply(ms = 2000): Promise<Reply> {
    await this.until(() => this.#replies.length > 0, ms, 'a reply')
    return this.#replies.shift()!
  }

  send(raw: string): void {
    this.#socket.write(raw.endsWith('\n\n') ? raw : raw + '\n\n')
  }

  async command(raw: string, ms?: number): Promise<Reply> {
    this.send(raw)
    return this.nextReply(ms)
  }

  async api(cmd: string, ms?: number): Promise<string> {
    const r = await this.command(`api ${cmd}`, ms)
    return r.kind === 'api-response' ? r.body : `<${r.kind}>`
  }

  /** Wait for an event matching pred (among all collected, from `from`). */
  async event(pred: (e: EslEvent) => boolean, ms = 2000, from = 0): Promise<EslEvent> {
    let found: EslEvent | undefined
    await this.until(() => (found = this.events.slice(from).find(pred)) !== undefined, ms, 'an event')
    return found!
  }

  /** Event names (CUSTOM → subclass) for one channel, in arrival order. */
  namesFor(uuid: string, from = 0): string[] {
    return this.events.slice(from).filter((e) => e.headers['Unique-ID'] === uuid).map((e) => e.subclass ?? e.name)
  }

  close(): void {
    this.#socket.destroy()
  }
}

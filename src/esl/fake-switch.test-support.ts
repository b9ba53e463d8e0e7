/**
 * A scripted stand-in for FreeSWITCH's inbound event socket, for the client's tests: real TCP on
 * 127.0.0.1, messages shaped like esl-captures 02 and 12 (header order included). Each command the
 * client sends is recorded; `answer` decides what goes back (the default behaves like a switch that
 * accepts everything), so a test can hold, reorder or drop replies. Test support only.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { once } from 'node:events'

export interface SentCommand {
  readonly line: string
  readonly headers: Readonly<Record<string, string>>
}

export interface FakePeer {
  readonly socket: Socket
  readonly commands: SentCommand[]
  write(bytes: string | Buffer): void
  reply(text: string, extra?: Readonly<Record<string, string>>): void
  apiResponse(body: string): void
  event(headers: Readonly<Record<string, string>>, body?: string): void
}

export type Answer = (cmd: SentCommand, peer: FakePeer, fallback: () => void) => void

export const authRequest = 'Content-Type: auth/request\n\n'
export const goodbye = 'Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n'

export function replyBytes(text: string, extra: Readonly<Record<string, string>> = {}): string {
  return ['Content-Type: command/reply', `Reply-Text: ${text}`, ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`)].join('\n') + '\n\n'
}

export function apiBytes(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`
}

/** A JSON event as FreeSWITCH frames it: Content-Length first, then Content-Type (fact 2). */
export function jsonEventBytes(headers: Readonly<Record<string, string>>, body?: string): string {
  const obj: Record<string, string> = { 'Event-Date-Timestamp': '1795330947786361', ...headers }
  if (body !== undefined) Object.assign(obj, { 'Content-Length': String(Buffer.byteLength(body)), _body: body })
  const json = JSON.stringify(obj)
  return `Content-Length: ${Buffer.byteLength(json)}\nContent-Type: text/event-json\n\n${json}`
}

/** A plain event with already URL-encoded values, as raw bytes (Latin-1 values stay single bytes). */
export function plainEventBytes(encodedHeaders: readonly (readonly [string, string])[]): Buffer {
  const inner = Buffer.from(encodedHeaders.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n\n', 'latin1')
  return Buffer.concat([Buffer.from(`Content-Length: ${inner.length}\nContent-Type: text/event-plain\n\n`), inner])
}

export class FakeSwitch {
  readonly peers: FakePeer[] = []
  answer: Answer = (_c, _p, fallback) => fallback()
  #server: Server
  #waiters: (() => boolean)[] = []
  #cmdWaiters: { pred: (c: SentCommand) => boolean; resolve: (c: SentCommand) => void }[] = []

  private constructor(readonly password: string) {
    this.#server = createServer((s) => this.#accept(s))
  }

  static async start(password = 'ClueCon'): Promise<FakeSwitch> {
    const f = new FakeSwitch(password)
    f.#server.listen(0, '127.0.0.1')
    await once(f.#server, 'listening')
    return f
  }

  get port(): number {
    const a = this.#server.address()
    if (a === null || typeof a === 'string') throw new Error('fake switch not listening')
    return a.port
  }

  /** Every command received on every connection, in order. */
  get commands(): SentCommand[] {
    return this.peers.flatMap((p) => p.commands)
  }

  /** Resolves with the n-th (1-based) connection once it is accepted. */
  connection(n: number): Promise<FakePeer> {
    const p = this.peers[n - 1]
    if (p) return Promise.resolve(p)
    return new Promise((resolve) => this.#waiters.push(() => {
      const q = this.peers[n - 1]
      if (q) resolve(q)
      return q !== undefined
    }))
  }

  /** Resolves when a command matching pred has arrived (or already had). */
  received(pred: (c: SentCommand) => boolean): Promise<SentCommand> {
    const seen = this.commands.find(pred)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve) => this.#cmdWaiters.push({ pred, resolve }))
  }

  async close(): Promise<void> {
    for (const p of this.peers) p.socket.destroy()
    this.#server.close()
    await once(this.#server, 'close')
  }

  #accept(socket: Socket): void {
    const peer = makePeer(socket)
    this.peers.push(peer)
    this.#waiters = this.#waiters.filter((w) => !w())
    socket.on('error', () => undefined)
    let buf = ''
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1')
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const cmd = parseCommand(buf.slice(0, end))
        buf = buf.slice(end + 2)
        peer.commands.push(cmd)
        this.answer(cmd, peer, () => this.#fallback(cmd, peer))
        this.#cmdWaiters = this.#cmdWaiters.filter((w) => (w.pred(cmd) ? (w.resolve(cmd), false) : true))
      }
    })
    peer.write(authRequest)
  }

  /** What a cooperative switch answers. */
  #fallback(cmd: SentCommand, peer: FakePeer): void {
    const [verb, ...rest] = cmd.line.split(' ')
    switch (verb) {
      case 'auth':
        if (rest.join(' ') === this.password) return peer.reply('+OK accepted')
        peer.reply('-ERR invalid')
        peer.write(goodbye)
        peer.socket.end()
        return
      case 'event':
        return peer.reply(`+OK event listener enabled ${rest[0] ?? 'plain'}`)
      case 'filter':
        return peer.reply(`+OK filter added. [${rest[0] ?? ''}]=[${rest.slice(1).join(' ')}]`)
      case 'api':
        return peer.apiResponse(`+OK ${rest.join(' ')}\n`)
      case 'bgapi': {
        const job = cmd.headers['Job-UUID'] ?? 'server-chosen'
        peer.reply(`+OK Job-UUID: ${job}`, { 'Job-UUID': job })
        return peer.event({ 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': job, 'Job-Command': rest[0] ?? '' }, `+OK ${rest.join(' ')}\n`)
      }
      case 'sendmsg':
        peer.reply('+OK')
        if (cmd.headers['call-command'] === 'execute') peer.event(executeComplete(cmd, rest[0]))
        return
      default:
        return peer.reply('-ERR command not found')
    }
  }
}

export function executeComplete(cmd: SentCommand, uuid: string | undefined, response = 'FILE PLAYED'): Record<string, string> {
  return {
    'Event-Name': 'CHANNEL_EXECUTE_COMPLETE',
    'Unique-ID': uuid ?? '',
    Application: cmd.headers['execute-app-name'] ?? '',
    'Application-Data': cmd.headers['execute-app-arg'] ?? '',
    'Application-Response': response,
    'Application-UUID': cmd.headers['Event-UUID'] ?? '',
  }
}

function makePeer(socket: Socket): FakePeer {
  const write = (b: string | Buffer): void => void (socket.writable && socket.write(b))
  return {
    socket,
    commands: [],
    write,
    reply: (text, extra) => write(replyBytes(text, extra)),
    apiResponse: (body) => write(apiBytes(body)),
    event: (headers, body) => write(jsonEventBytes(headers, body)),
  }
}

function parseCommand(block: string): SentCommand {
  const [line = '', ...rest] = block.split('\n')
  const headers: Record<string, string> = {}
  for (const h of rest) {
    const i = h.indexOf(': ')
    if (i > 0) headers[h.slice(0, i)] = h.slice(i + 2)
  }
  return { line, headers }
}

/**
 * An agent's desk phone in the live tier: Debian's baresip, one process per phone, driven over
 * its ctrl_tcp socket (baresip-wire.ts). It registers to the kit's internal profile, rings, answers,
 * sends its microphone WAV, dumps what it sent and heard to WAV files, presses keys (RFC 2833), and
 * hangs up. Every wait has a deadline; the process is killed by pid when the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { accountLine, configText, netstring, parseMessage, readNetstrings, type PhoneMessage } from './baresip-wire.ts'

export interface PhoneOptions {
  readonly user: string
  readonly password: string
  readonly domain: string
  /** The kit's internal profile. */
  readonly registrar: string
  readonly localIp: string
  readonly audioIn: string
  readonly dir: string
}

/** An event with the moment the test received it (to compare with the screen-pop's). */
export type PhoneEvent = Extract<PhoneMessage, { kind: 'event' }> & { readonly at: number }

const CONTROL_PORT = 4444

export class SipPhone {
  readonly #proc: ChildProcess
  readonly #sock: Socket
  readonly #events: PhoneEvent[] = []
  readonly #waiters = new Set<() => void>()
  readonly #pending = new Map<string, (m: Extract<PhoneMessage, { kind: 'response' }>) => void>()
  readonly recordDir: string
  readonly log: string[] = []
  #seq = 0

  private constructor(readonly o: PhoneOptions, proc: ChildProcess, sock: Socket, recordDir: string) {
    this.#proc = proc
    this.#sock = sock
    this.recordDir = recordDir
    let buf: Buffer = Buffer.alloc(0)
    sock.on('data', (chunk: Buffer) => {
      const read = readNetstrings(Buffer.concat([buf, chunk]))
      buf = read.rest
      for (const raw of read.messages) this.#take(parseMessage(raw))
    })
  }

  static async start(o: PhoneOptions): Promise<SipPhone> {
    const recordDir = join(o.dir, 'audio')
    mkdirSync(recordDir, { recursive: true })
    writeFileSync(join(o.dir, 'config'), configText({ localIp: o.localIp, controlPort: CONTROL_PORT, audioIn: o.audioIn, recordDir }))
    writeFileSync(join(o.dir, 'accounts'), accountLine(o))
    writeFileSync(join(o.dir, 'contacts'), '')
    const proc = spawn('baresip', ['-f', o.dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: string[] = []
    proc.stdout?.on('data', (d: Buffer) => out.push(d.toString()))
    proc.stderr?.on('data', (d: Buffer) => out.push(d.toString()))
    const sock = await connectWithin(o.localIp, CONTROL_PORT, proc, 10_000).catch((e: unknown) => {
      proc.kill('SIGKILL')
      throw new Error(`baresip for ${o.user}: ${e instanceof Error ? e.message : String(e)}\n${out.join('').slice(-2000)}`)
    })
    const phone = new SipPhone(o, proc, sock, recordDir)
    phone.log.push(...out)
    proc.stdout?.on('data', (d: Buffer) => phone.log.push(d.toString()))
    proc.stderr?.on('data', (d: Buffer) => phone.log.push(d.toString()))
    return phone
  }

  #take(m: PhoneMessage): void {
    if (m.kind === 'response') {
      const done = m.token ? this.#pending.get(m.token) : undefined
      if (m.token) this.#pending.delete(m.token)
      done?.(m)
      return
    }
    if (m.kind !== 'event') return
    this.#events.push({ ...m, at: Date.now() })
    for (const w of [...this.#waiters]) w()
  }

  /** The first event of `type` from index `since` (events are kept), within the deadline. */
  waitFor(type: string | RegExp, o: { since?: number; timeoutMs?: number; what?: string } = {}): Promise<PhoneEvent> {
    const match = (e: PhoneEvent): boolean => (typeof type === 'string' ? e.type === type : type.test(e.type))
    const what = o.what ?? String(type)
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.#events.slice(o.since ?? 0).find(match)
        if (!hit) return false
        clearTimeout(timer)
        this.#waiters.delete(poke)
        resolve(hit)
        return true
      }
      const poke = (): void => void check()
      const timer = setTimeout(() => {
        this.#waiters.delete(poke)
        reject(new Error(`phone ${this.o.user}: no ${what} within ${o.timeoutMs ?? 30_000} ms; events: ${this.#events.map((e) => e.type).join(' ')}\n${this.log.join('').slice(-1500)}`))
      }, o.timeoutMs ?? 30_000)
      if (!check()) this.#waiters.add(poke)
    })
  }

  /** Every event so far, in order. */
  get events(): readonly PhoneEvent[] {
    return this.#events
  }

  /** Index of the next event: a mark for waitFor({since}). */
  get mark(): number {
    return this.#events.length
  }

  command(command: string, params = ''): Promise<string> {
    const token = `t${++this.#seq}`
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.#pending.delete(token), reject(new Error(`phone ${this.o.user}: ${command} got no answer`))), 10_000)
      this.#pending.set(token, (m) => {
        clearTimeout(timer)
        if (m.ok) resolve(m.data)
        else reject(new Error(`phone ${this.o.user}: ${command} ${params}: ${m.data}`))
      })
      this.#sock.write(netstring({ command, params, token }))
    })
  }

  /**
   * Registered with the PBX: baresip 1.0.0's ctrl_tcp does not pass REGISTER_OK on (seen on
   * Debian's 1.0.0-4; call events it does), so this reads the line its reg.c prints for a 2xx:
   * `<aor>: {0/UDP/v4} 200 OK () [1 binding]`.
   */
  registered(o: { timeoutMs?: number } = {}): Promise<void> {
    const ms = o.timeoutMs ?? 30_000
    const ok = (): boolean => /: \{\d+\/UDP\/v4\} 2\d\d [^\n]*\[\d+ binding/.test(this.log.join(''))
    return new Promise((resolve, reject) => {
      if (ok()) return resolve()
      const timer = setTimeout(() => (this.#proc.stdout?.off('data', check), reject(new Error(`phone ${this.o.user}: not registered within ${ms} ms\n${this.log.join('').slice(-1500)}`))), ms)
      const check = (): void => {
        if (!ok()) return
        clearTimeout(timer)
        this.#proc.stdout?.off('data', check)
        resolve()
      }
      this.#proc.stdout?.on('data', check)
    })
  }

  /** The next incoming call from `since`: its event carries the caller's URI (peer). */
  incoming(o: { since?: number; timeoutMs?: number } = {}): Promise<PhoneEvent> {
    return this.waitFor('CALL_INCOMING', { what: 'incoming call', ...o })
  }

  async answer(): Promise<void> {
    await this.command('accept')
  }

  async hangup(): Promise<void> {
    await this.command('hangup')
  }

  async dial(uri: string): Promise<void> {
    await this.command('dial', uri)
  }

  /** Keys as RFC 2833 telephone-events (the account's default DTMF mode). */
  async press(digits: string): Promise<void> {
    for (const d of digits) await this.command('sndcode', d)
  }

  /** The WAV of what the phone heard on its last call (sndfile's decoder-side dump). */
  heardFile(): string | undefined {
    const heard = readdirSync(this.recordDir).filter((f) => f.endsWith('-dec.wav')).map((f) => join(this.recordDir, f))
    return heard.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).at(-1)
  }

  async stop(): Promise<void> {
    this.#sock.destroy()
    if (this.#proc.exitCode !== null || this.#proc.signalCode !== null) return
    const gone = new Promise((r) => this.#proc.once('exit', r))
    this.#proc.kill('SIGTERM')
    const timer = setTimeout(() => this.#proc.kill('SIGKILL'), 3000)
    await gone
    clearTimeout(timer)
  }
}

/** ctrl_tcp listens a moment after baresip starts: retry the connect until the deadline. */
function connectWithin(host: string, port: number, proc: ChildProcess, ms: number): Promise<Socket> {
  const deadline = Date.now() + ms
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (proc.exitCode !== null) return reject(new Error(`exited ${proc.exitCode} before its control socket opened`))
      const s = connect({ host, port })
      s.once('connect', () => resolve(s))
      s.once('error', () => {
        s.destroy()
        if (Date.now() > deadline) reject(new Error(`control socket ${host}:${port} not open within ${ms} ms`))
        else setTimeout(attempt, 100)
      })
    }
    attempt()
  })
}

/**
 * One inbound ESL connection: auth, event subscriptions and filters, api/bgapi/sendmsg, replies
 * strictly in command order with events interleaved (fact 3), plus the fault hooks.
 */
import type { Socket } from 'node:net'
import { randomUUID } from 'node:crypto'
import type { SimSwitch } from './switch.ts'
import type { SimEvent } from './events.ts'
import type { EventFormat } from './wire.ts'
import { apiResponse, authRequest, commandReply, disconnectNotice, encodeEvent, rudeRejection } from './wire.ts'
import { runApi } from './api-commands.ts'
import { sendmsg } from './sendmsg.ts'
import { CAPTURE_TEMPLATES } from './capture-templates.ts'

const KNOWN_EVENTS = new Set([
  'ALL', 'CUSTOM', 'CHANNEL_STATE', 'CHANNEL_CALLSTATE', 'CHANNEL_APPLICATION', 'CHANNEL_DATA', 'DTMF',
  ...Object.keys(CAPTURE_TEMPLATES).filter((k) => !k.startsWith('CUSTOM')),
])

export interface SessionFaults {
  replyDelayMs(): number
}

interface Slot {
  bytes: Buffer | undefined
}

export class EslSession {
  readonly #sw: SimSwitch
  readonly #socket: Socket
  readonly #password: string
  readonly #faults: SessionFaults
  #authed = false
  #format: EventFormat = 'plain'
  #names = new Set<string>()
  #customs = new Set<string>()
  #filters: [string, string][] = []
  #unsubscribe: (() => void) | undefined
  #inbox = ''
  #slots: Slot[] = []
  #stalled = false
  #held: Buffer[] = []
  #closing = false
  #closed = false

  constructor(sw: SimSwitch, socket: Socket, password: string, faults: SessionFaults) {
    this.#sw = sw
    this.#socket = socket
    this.#password = password
    this.#faults = faults
    socket.on('data', (d: Buffer) => this.#receive(d))
    socket.on('error', () => this.#teardown())
    socket.on('close', () => this.#teardown())
    this.#write(authRequest())
  }

  /** Fault injection: close with no notice. */
  drop(): void {
    this.#teardown()
    this.#socket.destroy()
  }

  /** Fault injection: a text/rude-rejection, then the close. */
  reject(): void {
    this.#write(rudeRejection())
    this.#teardown()
    this.#socket.end()
  }

  /** Fault injection: read and write nothing for ms (switch clock). */
  stall(ms: number): void {
    this.#stalled = true
    this.#socket.pause()
    this.#sw.clock.setTimer(ms, () => {
      this.#stalled = false
      const held = this.#held.splice(0)
      for (const b of held) this.#write(b)
      this.#socket.resume()
    })
  }

  #teardown(): void {
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
  }

  #write(b: Buffer): void {
    if (this.#socket.destroyed) return
    if (this.#stalled) this.#held.push(b)
    else this.#socket.write(b)
  }

  #receive(d: Buffer): void {
    this.#inbox += d.toString('utf8').replace(/\r\n/g, '\n')
    for (;;) {
      const end = this.#inbox.indexOf('\n\n')
      if (end < 0) break
      const block = this.#inbox.slice(0, end)
      this.#inbox = this.#inbox.slice(end + 2)
      if (block.trim()) this.#command(block.replace(/^\n+/, ''))
    }
  }

  /** Reserve the next reply position; filling it later keeps replies in command order. */
  #reserve(): (bytes: Buffer) => void {
    const slot: Slot = { bytes: undefined }
    this.#slots.push(slot)
    return (bytes) => {
      const delay = this.#faults.replyDelayMs()
      const fill = (): void => {
        slot.bytes = bytes
        this.#flush()
      }
      if (delay > 0) this.#sw.clock.setTimer(delay, fill)
      else fill()
    }
  }

  #flush(): void {
    while (this.#slots[0]?.bytes) {
      const slot = this.#slots.shift()!
      this.#write(slot.bytes!)
    }
    if (this.#closing && this.#slots.length === 0) this.#close()
  }

  #close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#write(disconnectNotice())
    this.#teardown()
    this.#socket.end()
  }

  #command(block: string): void {
    const [line = '', ...rest] = block.split('\n')
    const headers: Record<string, string> = {}
    for (const h of rest) {
      const c = h.indexOf(':')
      if (c > 0) headers[h.slice(0, c).trim()] = h.slice(c + 1).trim()
    }
    const reply = this.#reserve()
    const verb = line.split(' ')[0] ?? ''
    const args = line.slice(verb.length).trim()
    if (!this.#authed) return this.#auth(verb, args, reply)
    this.#dispatch(verb, args, headers, reply)
  }

  #auth(verb: string, args: string, reply: (b: Buffer) => void): void {
    if (verb === 'auth' && args === this.#password) {
      this.#authed = true
      return reply(commandReply('+OK accepted'))
    }
    if (verb !== 'auth') return reply(commandReply('-ERR command not found'))
    // A bad password: -ERR invalid, a disconnect notice, then the close (capture 01).
    reply(commandReply('-ERR invalid'))
    this.#closing = true
    this.#flush()
  }

  #dispatch(verb: string, args: string, headers: Record<string, string>, reply: (b: Buffer) => void): void {
    const ok = (text: string): void => reply(commandReply(text))
    switch (verb) {
      case 'api':
        if (!args) return ok('-ERR command not found')
        return runApi(this.#sw, args, (body) => reply(apiResponse(body)))
      case 'bgapi':
        return this.#bgapi(args, headers, reply)
      case 'event':
        return ok(this.#subscribe(args))
      case 'noevents':
        return ok(this.#noevents())
      case 'nixevent':
        return ok(this.#nixevent(args))
      case 'filter':
        return ok(this.#filter(args))
      case 'sendmsg':
        return ok(sendmsg(this.#sw, args, headers))
      case 'exit':
        ok('+OK bye')
        this.#closing = true
        return this.#flush()
      default:
        return ok('-ERR command not found')
    }
  }

  #bgapi(args: string, headers: Record<string, string>, reply: (b: Buffer) => void): void {
    if (!args) return reply(commandReply('-ERR command not found'))
    const job = headers['Job-UUID'] ?? randomUUID()
    reply(commandReply(`+OK Job-UUID: ${job}`, [['Job-UUID', job]]))
    const cmd = args.split(/\s+/)[0] ?? ''
    const arg = args.slice(cmd.length).trim()
    runApi(this.#sw, args, (body) => {
      // BACKGROUND_JOB goes to whoever subscribed, like any event (fact 4).
      this.#sw.emit('BACKGROUND_JOB', {
        fields: { 'Job-UUID': job, 'Job-Command': cmd, ...(arg ? { 'Job-Command-Arg': arg } : {}) }, body,
      })
    })
  }

  #subscribe(args: string): string {
    const [fmt = '', ...names] = args.split(/\s+/)
    const format: EventFormat = fmt === 'json' ? 'json' : 'plain'
    let any = false
    for (const n of names) {
      if (n.includes('::')) this.#customs.add(n)
      else if (KNOWN_EVENTS.has(n)) this.#names.add(n)
      else continue
      any = true
    }
    if (!any) return '-ERR no keywords supplied'
    this.#format = format
    this.#unsubscribe ??= this.#sw.subscribe((e) => this.#deliver(e))
    return `+OK event listener enabled ${fmt === 'json' ? 'json' : fmt === 'xml' ? 'xml' : 'plain'}`
  }

  #noevents(): string {
    if (!this.#unsubscribe) return '-ERR not listening for events'
    this.#teardown()
    this.#names.clear()
    this.#customs.clear()
    return '+OK no longer listening for events'
  }

  #nixevent(args: string): string {
    let any = false
    for (const n of args.split(/\s+/)) {
      if (this.#names.delete(n) || this.#customs.delete(n) || KNOWN_EVENTS.has(n)) any = true
    }
    return any ? '+OK events nixed' : '-ERR no keywords supplied'
  }

  /** Filters turn the stream into an allow-list; they OR together (fact 9). */
  #filter(args: string): string {
    const parts = args.split(/\s+/)
    if (!args) return '-ERR command not found'
    if (parts[0] === 'delete') {
      const [, name = '', ...v] = parts
      const value = v.join(' ')
      if (name === 'all') {
        this.#filters = []
        return '+OK filter deleted. [all][]'
      }
      this.#filters = this.#filters.filter(([k, fv]) => !(k === name && (value === '' || fv === value)))
      return `+OK filter deleted. [${name}][${value}]`
    }
    const [name = '', ...v] = parts
    const value = v.join(' ')
    this.#filters.push([name, value])
    return `+OK filter added. [${name}]=[${value}]`
  }

  #deliver(e: SimEvent): void {
    const wanted = this.#names.has('ALL') || (e.name === 'CUSTOM' ? this.#customs.has(e.subclass ?? '') : this.#names.has(e.name))
    if (!wanted) return
    if (this.#filters.length > 0 && !this.#filters.some(([k, v]) => e.lookup[k] === v)) return
    this.#write(encodeEvent(e.pairs, e.body, this.#format))
  }
}

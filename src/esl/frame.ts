/**
 * Bytes → frames. A frame is a header block ended by "\n\n", then exactly Content-Length body
 * bytes if that header is present (esl-captures fact 1). Header order is not fixed (fact 2), so the
 * whole block is read before anything is decided. Pure and incremental: the same frames come out
 * however the byte stream is split, and a body is copied once (linear time even for 32 MiB).
 */
export interface EslFrame {
  /** Outer envelope headers as sent (not URL-decoded); a repeated name keeps the last value. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer | undefined
  /** Set when the envelope itself was broken; the frame is still delivered so nothing is lost silently. */
  readonly malformed?: string
  /**
   * Set when the byte stream cannot be trusted from here on (a Content-Length over the cap): every
   * later frame boundary would be guessed. The connection must be dropped
   * and made again.
   */
  readonly fatal?: boolean
}

const LF = 0x0a
/** A header block longer than this with no blank line is garbage, not a slow sender. */
export const MAX_HEADER_BLOCK = 1 << 20
/**
 * A Content-Length above this is a corrupt stream, not a body we should buffer (esl.maxBodyBytes).
 * The largest real bodies are `show channels as json` on a busy switch: a few MiB.
 */
export const MAX_BODY = 64 << 20

export class EslFramer {
  #buf: Buffer = Buffer.alloc(0)
  #off = 0
  /** Where the search for "\n\n" resumes, so a slowly arriving header block is scanned once. */
  #scan = 0
  #pending: { headers: Record<string, string>; malformed?: string; head: number; need: number; parts: Buffer[]; have: number } | undefined
  readonly #maxBody: number

  constructor(o: { readonly maxBody?: number } = {}) {
    this.#maxBody = o.maxBody ?? MAX_BODY
  }

  /** Bytes received but not yet part of a delivered frame (a pending frame's header block included). */
  get buffered(): number {
    return this.#pending ? this.#pending.head + this.#pending.have : this.#buf.length - this.#off
  }

  reset(): void {
    this.#buf = Buffer.alloc(0)
    this.#off = 0
    this.#scan = 0
    this.#pending = undefined
  }

  push(chunk: Buffer): EslFrame[] {
    const out: EslFrame[] = []
    if (this.#pending) chunk = this.#feedBody(chunk, out)
    if (chunk.length === 0) return out
    this.#append(chunk)
    this.#drain(out)
    return out
  }

  #append(chunk: Buffer): void {
    const rest = this.#buf.length - this.#off
    if (rest === 0) this.#buf = chunk
    else this.#buf = Buffer.concat([this.#buf.subarray(this.#off), chunk])
    this.#scan = Math.max(0, this.#scan - this.#off)
    this.#off = 0
  }

  #drain(out: EslFrame[]): void {
    for (;;) {
      // Stray newlines between messages carry nothing.
      while (this.#off < this.#buf.length && this.#buf[this.#off] === LF) this.#off++
      if (this.#off >= this.#buf.length) break
      const end = this.#buf.indexOf('\n\n', Math.max(this.#off, this.#scan))
      if (end < 0) {
        this.#scan = Math.max(this.#off, this.#buf.length - 1)
        if (this.#buf.length - this.#off > MAX_HEADER_BLOCK) this.#dropGarbage(out)
        break
      }
      const { headers, malformed, length, fatal } = parseEnvelope(this.#buf.toString('latin1', this.#off, end), this.#maxBody)
      const head = end + 2 - this.#off
      this.#off = end + 2
      this.#scan = this.#off
      if (fatal) {
        out.push({ headers, body: undefined, malformed: malformed ?? 'bad Content-Length', fatal: true })
        this.reset()
        break
      }
      if (length === 0) {
        out.push(frame(headers, undefined, malformed))
        continue
      }
      const avail = this.#buf.length - this.#off
      if (avail >= length) {
        out.push(frame(headers, this.#buf.subarray(this.#off, this.#off + length), malformed))
        this.#off += length
        this.#scan = this.#off
        continue
      }
      this.#pending = { headers, head, need: length, parts: avail ? [this.#buf.subarray(this.#off)] : [], have: avail, ...(malformed ? { malformed } : {}) }
      this.#buf = Buffer.alloc(0)
      this.#off = 0
      this.#scan = 0
      break
    }
  }

  /** Collects body chunks without copying until the body is whole; returns what follows it. */
  #feedBody(chunk: Buffer, out: EslFrame[]): Buffer {
    const p = this.#pending!
    const take = Math.min(p.need - p.have, chunk.length)
    p.parts.push(chunk.subarray(0, take))
    p.have += take
    if (p.have < p.need) return Buffer.alloc(0)
    this.#pending = undefined
    const body = p.parts.length === 1 ? p.parts[0]! : Buffer.concat(p.parts, p.need)
    out.push(frame(p.headers, body, p.malformed))
    return chunk.subarray(take)
  }

  #dropGarbage(out: EslFrame[]): void {
    const dropped = this.#buf.length - this.#off
    out.push(frame({}, this.#buf.subarray(this.#off, this.#off + Math.min(dropped, 256)), `no header block end within ${MAX_HEADER_BLOCK} bytes; ${dropped} bytes dropped`))
    this.#buf = Buffer.alloc(0)
    this.#off = 0
    this.#scan = 0
  }
}

function frame(headers: Record<string, string>, body: Buffer | undefined, malformed: string | undefined): EslFrame {
  return malformed ? { headers, body, malformed } : { headers, body }
}

interface Envelope {
  headers: Record<string, string>
  malformed: string | undefined
  length: number
  fatal?: boolean
}

/** Linear in the block's length, whatever it holds (lines without a colon included). */
function parseEnvelope(block: string, maxBody: number): Envelope {
  const headers: Record<string, string> = {}
  let malformed: string | undefined
  let start = 0
  // The next colon at or after `start`, kept across lines: searching again from every line start
  // would rescan the rest of the block for each colon-less line (quadratic).
  let colon = -2
  while (start < block.length) {
    let nl = block.indexOf('\n', start)
    if (nl < 0) nl = block.length
    if (colon !== -1 && colon < start) colon = block.indexOf(':', start)
    if (colon < 0 || colon > nl) {
      malformed ??= `header line without a colon: ${JSON.stringify(block.slice(start, Math.min(nl, start + 80)))}`
    } else {
      const valueStart = block.charCodeAt(colon + 1) === 0x20 ? colon + 2 : colon + 1
      headers[block.slice(start, colon)] = block.slice(valueStart, nl)
    }
    start = nl + 1
  }
  const cl = headers['Content-Length']
  if (cl === undefined) return { headers, malformed, length: 0 }
  // Not a number at all: read as no body, and the stream resyncs on the next blank line. A number
  // too big to be real (over the cap) cannot be skipped safely: the stream is lost.
  if (!/^\d+$/.test(cl)) return { headers, malformed: malformed ?? `bad Content-Length ${JSON.stringify(cl.slice(0, 40))}`, length: 0 }
  const n = cl.length > 12 ? Infinity : Number(cl)
  if (n > maxBody) return { headers, malformed: `Content-Length ${n} is over the cap of ${maxBody} bytes (esl.maxBodyBytes)`, length: 0, fatal: true }
  return { headers, malformed, length: n }
}

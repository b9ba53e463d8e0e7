import t from 'tap'
import { createHash } from 'node:crypto'
import type { EslFrame } from './index.ts'
import { EslFramer, MAX_BODY, MAX_HEADER_BLOCK, decodeFrame, parseAll } from './index.ts'
import { captureNames, loadCapture } from './capture.test-support.ts'

/** Seeded PRNG (mulberry32) so a failing split pattern can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

function sameHeaders(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let n = 0
  for (const k in a) {
    if (a[k] !== b[k]) return false
    n++
  }
  for (const _ in b) n--
  return n === 0
}

/** Same frames as `want` from index `from`: outer headers as sent, body bytes, malformed reason. */
function sameFrames(got: readonly EslFrame[], want: readonly EslFrame[], from = 0): boolean {
  return got.every((f, i) => {
    const w = want[from + i]
    if (w === undefined || f.malformed !== w.malformed || !sameHeaders(f.headers, w.headers)) return false
    return f.body === undefined ? w.body === undefined : w.body !== undefined && f.body.equals(w.body)
  })
}

const decodedDigest = (frames: readonly EslFrame[]): string => createHash('sha1').update(JSON.stringify(frames.map(decodeFrame))).digest('hex')

function pushAll(framer: EslFramer, chunks: Iterable<Buffer>): EslFrame[] {
  const out: EslFrame[] = []
  for (const c of chunks) out.push(...framer.push(c))
  return out
}

const SMALL = 60 * 1024
const small = captureNames().filter((n) => loadCapture(n).bytes.length < SMALL)

t.test('small captures: a split at every cut point gives the same frames and decoded messages', (t) => {
  t.ok(['01', '02', '07', '08', '20'].every((n) => small.some((s) => s.startsWith(n))), 'at least 01, 02, 07, 08 and 20 are covered')
  for (const name of small) {
    const { bytes, recv } = loadCapture(name)
    const whole = new EslFramer().push(bytes)
    const decoded = whole.map((f) => JSON.stringify(decodeFrame(f)))
    // The framer holds nothing at a frame boundary (the replay test asserts buffered === 0 at every
    // RECV), so a cut inside frame k is replayed from frame k's first byte: the same bytes reach the
    // framer in the same two pieces as with the whole prefix, at O(frame) instead of O(stream) cost.
    // decodeFrame is pure, so equal frames decode equally; every 31st cut is decoded to show it.
    const bad: string[] = []
    let k = 0
    for (let cut = 1; cut < bytes.length; cut++) {
      while (recv[k]!.offset + recv[k]!.len < cut) k++
      const from = recv[k]!.offset
      const to = k + 1 < recv.length ? recv[k + 1]!.offset + recv[k + 1]!.len : bytes.length
      const framer = new EslFramer()
      const out = [...framer.push(bytes.subarray(from, cut)), ...framer.push(bytes.subarray(cut, to))]
      const want = Math.min(2, recv.length - k)
      const same =
        out.length === want &&
        framer.buffered === 0 &&
        sameFrames(out, whole, k) &&
        (cut % 31 !== 0 || JSON.stringify(decodeFrame(out[0]!)) === decoded[k])
      if (!same && bad.length < 3) bad.push(`cut at byte ${cut} (frame ${k})`)
    }
    t.same(bad, [], `${name}: all ${bytes.length - 1} cut points`)
  }
  t.end()
})

t.test('the whole auth-failure stream split in two at every byte decodes identically', (t) => {
  const { bytes } = loadCapture('01')
  const want = decodedDigest(new EslFramer().push(bytes))
  const bad: number[] = []
  for (let cut = 0; cut <= bytes.length; cut++) {
    if (decodedDigest(pushAll(new EslFramer(), [bytes.subarray(0, cut), bytes.subarray(cut)])) !== want) bad.push(cut)
  }
  t.same(bad, [])
  t.end()
})

/** Chunk sizes: 1-byte chunks for a random prefix, then a mix of tiny and up-to-64 KiB reads. */
function* randomChunks(bytes: Buffer, rnd: () => number): Generator<Buffer> {
  const byteByByte = Math.floor(rnd() * 3000)
  let at = 0
  while (at < bytes.length) {
    const size = at < byteByByte ? 1 : rnd() < 0.5 ? 1 + Math.floor(rnd() * 64) : 1 + Math.floor(rnd() * 65536)
    yield bytes.subarray(at, at + size)
    at += size
  }
}

t.test('large captures: seeded random split patterns give the same frames', (t) => {
  const large = captureNames().filter((n) => !small.includes(n))
  const perFile = Math.ceil(300 / large.length)
  for (const [i, name] of large.entries()) {
    const { bytes } = loadCapture(name)
    const whole = new EslFramer().push(bytes)
    const bad: number[] = []
    for (let p = 0; p < perFile; p++) {
      const seed = 1000 * (i + 1) + p
      const framer = new EslFramer()
      const out = pushAll(framer, randomChunks(bytes, random(seed)))
      if (out.length !== whole.length || !sameFrames(out, whole) || framer.buffered !== 0) bad.push(seed)
      // decodeFrame is pure, so equal frames decode equally; check that once per file anyway.
      if (p === 0) t.equal(decodedDigest(out), decodedDigest(whole), `${name}: decoded output of seed ${seed}`)
    }
    t.same(bad, [], `${name}: ${perFile} split patterns (failing seeds listed)`)
  }
  t.end()
})

t.test('a truncated stream delivers the frames before the cut and keeps the rest buffered', (t) => {
  const { bytes, recv } = loadCapture('05')
  for (const cut of [recv[10]!.offset + 3, recv[10]!.offset + 60, recv[200]!.offset + 1000]) {
    const framer = new EslFramer()
    const before = framer.push(bytes.subarray(0, cut))
    const complete = recv.filter((r) => r.offset + r.len <= cut)
    t.equal(before.length, complete.length, `cut at ${cut}: every whole frame before it is delivered`)
    t.equal(framer.buffered, cut - recv[complete.length]!.offset, 'the partial frame is reported as buffered')
    const after = framer.push(bytes.subarray(cut))
    t.equal(before.length + after.length, recv.length, 'the rest arrives once the bytes do')
    t.equal(framer.buffered, 0)
  }
  const framer = new EslFramer()
  framer.push(bytes.subarray(0, 5000))
  framer.reset()
  t.equal(framer.buffered, 0, 'reset (a new connection) forgets the partial frame')
  t.end()
})

t.test('random garbage never throws and decodes only to malformed messages with a reason', (t) => {
  for (let seed = 1; seed <= 20; seed++) {
    const rnd = random(seed)
    const garbage = Buffer.alloc(16384 + Math.floor(rnd() * 16384))
    // Bias towards the bytes that matter to a framer so blank lines and colons occur.
    for (let i = 0; i < garbage.length; i++) garbage[i] = rnd() < 0.1 ? 0x0a : rnd() < 0.05 ? 0x3a : Math.floor(rnd() * 256)
    const framer = new EslFramer()
    const tail = Buffer.from('\n\nContent-Type: auth/request\n\n')
    const msgs = pushAll(framer, randomChunks(Buffer.concat([garbage, tail]), rnd)).map(decodeFrame)
    const last = msgs.pop()
    t.ok(
      msgs.length > 0 && msgs.every((m) => m.kind === 'malformed' && m.reason.length > 0),
      `seed ${seed}: ${msgs.length} garbage blocks, all malformed`,
    )
    t.same(last, { kind: 'auth-request' }, `seed ${seed}: the stream recovers at the next blank line`)
  }
  t.end()
})

const AUTH = 'Content-Type: auth/request\n\n'

t.test('a header line without a colon is reported, and the next message still parses', (t) => {
  t.match(parseAll(Buffer.from(`Content-Type api/response\n\n${AUTH}`)), [
    { kind: 'malformed', reason: /header line without a colon: "Content-Type api\/response"/ },
    { kind: 'auth-request' },
  ])
  t.end()
})

t.test('a Content-Length that is not a number (abc, -5, empty, 1e3) is malformed and the stream goes on, never a huge buffer', (t) => {
  for (const cl of ['abc', '-5', '', '1e3']) {
    const framer = new EslFramer()
    const msgs = framer.push(Buffer.from(`Content-Type: api/response\nContent-Length: ${cl}\n\n${AUTH}`)).map(decodeFrame)
    t.match(msgs, [{ kind: 'malformed', reason: `bad Content-Length ${JSON.stringify(cl)}` }, { kind: 'auth-request' }], `Content-Length: ${cl}`)
    t.equal(framer.buffered, 0)
  }
  t.end()
})

t.test('a header block over MAX_HEADER_BLOCK without a blank line is dropped as malformed', (t) => {
  const framer = new EslFramer()
  const junk = Buffer.from(`X-Junk: ${'a'.repeat(MAX_HEADER_BLOCK + 100)}`)
  const msgs: ReturnType<typeof decodeFrame>[] = []
  let peak = 0
  for (let at = 0; at < junk.length; at += 65536) {
    msgs.push(...framer.push(junk.subarray(at, at + 65536)).map(decodeFrame))
    peak = Math.max(peak, framer.buffered)
  }
  t.match(msgs, [{ kind: 'malformed', reason: /no header block end within 1048576 bytes/ }])
  t.ok(peak <= MAX_HEADER_BLOCK + 65536, 'the buffer never grows past the limit plus one read')
  t.same(framer.push(Buffer.from(`\n\n${AUTH}`)).map(decodeFrame).at(-1), { kind: 'auth-request' }, 'the next message after the junk parses')
  t.end()
})

/**
 * Frames a body of `size` bytes fed in 64 KiB reads and returns how many bytes Buffer.concat (the
 * framer's only copy) produced meanwhile. Counting copies instead of timing them keeps the test
 * exact on a busy machine; the time itself is the benchmark's business (npm run bench).
 */
function bytesCopiedFor(size: number): number {
  const body = Buffer.alloc(size, 0x61)
  const stream = Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${size}\n\n`), body, Buffer.from(AUTH)])
  const framer = new EslFramer()
  const original = Object.getOwnPropertyDescriptor(Buffer, 'concat')!
  const join = Buffer.concat.bind(Buffer)
  let copied = 0
  Buffer.concat = (list, total) => {
    const out = join(list, total)
    copied += out.length
    return out
  }
  let msgs
  try {
    msgs = pushAll(framer, (function* () {
      for (let at = 0; at < stream.length; at += 65536) yield stream.subarray(at, at + 65536)
    })()).map(decodeFrame)
  } finally {
    Object.defineProperty(Buffer, 'concat', original)
  }
  const [api, auth] = msgs
  if (msgs.length !== 2 || api?.kind !== 'api-response' || api.body.length !== size || auth?.kind !== 'auth-request') {
    throw new Error(`${size}-byte body: got ${msgs.map((m) => m.kind).join(',')}`)
  }
  return copied
}

t.test('a 32 MiB body in 64 KiB reads is read whole, each byte copied about once (linear, not growing per read)', (t) => {
  const size = 32 << 20
  const copied = bytesCopiedFor(size)
  // Re-joining the buffer on every read (what modesl does) would copy ~size²/(2 × 64 KiB) = 8 GiB.
  t.ok(copied <= 2 * size, `${copied} bytes copied for a ${size}-byte body`)
  t.end()
})

t.test('a Content-Length over the cap (esl.maxBodyBytes; 64 MiB by default) marks the stream as lost (fatal) instead of buffering for ever', (t) => {
  const f = new EslFramer({ maxBody: 1024 })
  const [over] = f.push(Buffer.from('Content-Type: api/response\nContent-Length: 5000\n\nxxxxx'))
  t.match(over, { fatal: true, malformed: /over the cap of 1024 bytes \(esl\.maxBodyBytes\)/ })
  t.equal(f.buffered, 0, 'nothing kept')
  for (const cl of ['99999999999', '999999999999999999999', String(MAX_BODY + 1)]) {
    const [big] = new EslFramer().push(Buffer.from(`Content-Type: api/response\nContent-Length: ${cl}\n\n`))
    t.match(big, { fatal: true, malformed: /over the cap/ }, cl)
  }
  const [ok] = new EslFramer({ maxBody: 1024 }).push(Buffer.from('Content-Type: api/response\nContent-Length: 3\n\n+OK'))
  t.notOk(ok?.fatal, 'a body under the cap is read')
  t.equal(ok?.body?.toString(), '+OK')
  t.end()
})

t.test('a megabyte header block of lines without colons is one malformed frame, and the next frame is read', (t) => {
  const f = new EslFramer()
  const junk = 'x\n'.repeat(400_000)
  const frames = f.push(Buffer.from(`${junk}\nContent-Type: api/response\nContent-Length: 3\n\n+OK`))
  t.equal(frames.length, 2)
  t.match(frames[0], { malformed: /header line without a colon/ })
  t.match(frames[1], { headers: { 'Content-Type': 'api/response' } })
  t.equal(frames[1]?.body?.toString(), '+OK')
  t.end()
})

/**
 * ESL parser throughput: Hotline's EslFramer + decodeFrame against modesl's Parser on the same
 * bytes in the same run. The streams are the events of the real captures (05 JSON, 04 plain),
 * repeated to a few MB and fed in 64 KiB reads, as a socket would deliver them.
 * modesl runs on a fake socket (an EventEmitter), so no network is involved on either side.
 *
 * A parser is only done when its reader has what it wants, and Hotline reads JSON headers on
 * demand, so each side also reads what Hotline's ESL client reads of every event: its name, its
 * Unique-ID (which call) and its Event-Date-Timestamp (the lag). The `-all-headers` line has both
 * sides read every header of every event instead, which is what on-demand reading cannot save.
 */
import { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { EslFramer, decodeFrame } from '../src/esl/index.ts'
import { loadCapture } from '../src/esl/capture.test-support.ts'
import { benchLine, fmt, opsPerSecond, interleaved } from './measure.ts'

const READ = 64 * 1024
const TARGET_BYTES = 4 << 20

type ModeslParser = new (socket: EventEmitter) => EventEmitter
interface ModeslEvent {
  readonly type: string
  readonly headers: readonly { readonly name: string; readonly value: unknown }[]
  getHeader(name: string): unknown
}
/** What the benchmark's reader takes from each event: every header, or the few the client reads. */
type Reading = 'every-event' | 'all-headers'
const ModeslParser = createRequire(import.meta.url)('modesl/lib/esl/Parser.js') as ModeslParser

/** The event frames of a capture, byte-exact, repeated to about TARGET_BYTES, cut into reads. */
function eventStream(capture: string, contentType: string): { reads: Buffer[]; events: number; bytes: number } {
  const { bytes, recv } = loadCapture(capture)
  const frames = recv.filter((r) => r.contentType === contentType).map((r) => bytes.subarray(r.offset, r.offset + r.len))
  const once = Buffer.concat(frames)
  const copies = Math.max(1, Math.round(TARGET_BYTES / once.length))
  const all = Buffer.concat(Array.from({ length: copies }, () => once))
  const reads: Buffer[] = []
  for (let at = 0; at < all.length; at += READ) reads.push(all.subarray(at, at + READ))
  return { reads, events: frames.length * copies, bytes: all.length }
}

function hotline(reads: readonly Buffer[], reading: Reading): number {
  const framer = new EslFramer()
  let events = 0
  for (const r of reads) {
    for (const f of framer.push(r)) {
      const m = decodeFrame(f)
      if (m.kind !== 'event') continue
      const ev = m.event
      if (reading === 'all-headers') {
        for (const k in ev.headers) if (ev.headers[k] === undefined) throw new Error(k)
      } else if (ev.name === '' || ev.header('Unique-ID') === '' || ev.header('Event-Date-Timestamp') === '') throw new Error('empty header')
      events++
    }
  }
  return events
}

function framingOnly(reads: readonly Buffer[]): number {
  const framer = new EslFramer()
  let frames = 0
  for (const r of reads) frames += framer.push(r).length
  return frames
}

function modesl(reads: readonly Buffer[], reading: Reading): number {
  const socket = new EventEmitter()
  const parser = new ModeslParser(socket)
  let events = 0
  parser.on('esl::event', (ev: ModeslEvent) => {
    if (reading === 'all-headers') {
      for (const h of ev.headers) if (h.value === undefined) throw new Error(h.name)
    } else if (ev.type === '' || ev.getHeader('Unique-ID') === '' || ev.getHeader('Event-Date-Timestamp') === '') throw new Error('empty header')
    events++
  })
  for (const r of reads) socket.emit('data', r)
  return events
}

function compare(name: string, capture: string, contentType: string, reading: Reading): string {
  const stream = eventStream(capture, contentType)
  // Both parsers must see every event, or the figures compare different work.
  for (const [who, run] of [['hotline', hotline], ['modesl', modesl]] as const) {
    const seen = run(stream.reads, reading)
    if (seen !== stream.events) throw new Error(`${name}: ${who} parsed ${seen} of ${stream.events} events`)
  }
  const [ours, theirs] = interleaved(() => hotline(stream.reads, reading), () => modesl(stream.reads, reading), 3000)
  return benchLine(name, ours, 'ev/s', 'modesl', theirs, ours / theirs)
}

export default function eslBench(): Promise<string[]> {
  const lines = [
    compare('esl-json', '05', 'text/event-json', 'every-event'),
    compare('esl-plain', '04', 'text/event-plain', 'every-event'),
    compare('esl-json-all-headers', '05', 'text/event-json', 'all-headers'),
  ]
  const json = eventStream('05', 'text/event-json')
  const framesPerSec = opsPerSecond(() => framingOnly(json.reads), 1000)
  const mbPerSec = (framesPerSec / json.events) * (json.bytes / (1 << 20))
  lines.push(`esl-framing: ${fmt(mbPerSec)} MB/s (bytes-only framing ceiling on the JSON stream, no decoding; for reference)`)
  return Promise.resolve(lines)
}

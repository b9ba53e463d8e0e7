import t from 'tap'
import { createRequire } from 'node:module'
import { EventEmitter } from 'node:events'
import type { EslEvent, EslFrame, EslMessage, EslMessageKind } from './index.ts'
import { EslFramer, decodeFrame, parseAll, urlDecode } from './index.ts'
import type { RecvEntry } from './capture.test-support.ts'
import { captureNames, loadCapture } from './capture.test-support.ts'

const KIND_OF: Record<string, EslMessageKind> = {
  'auth/request': 'auth-request',
  'command/reply': 'command-reply',
  'api/response': 'api-response',
  'text/event-plain': 'event',
  'text/event-json': 'event',
  'text/event-xml': 'event',
  'text/disconnect-notice': 'disconnect-notice',
  'text/rude-rejection': 'rude-rejection',
  'log/data': 'log',
}

function eventOf(m: EslMessage | undefined): EslEvent {
  if (m?.kind !== 'event') throw new Error(`expected an event, got ${m?.kind ?? 'nothing'}`)
  return m.event
}

/** Frames of a capture, each pushed as exactly the bytes its RECV line names. */
function framesAtIndex(bytes: Buffer, recv: readonly RecvEntry[]): { frames: EslFrame[]; misaligned: string[] } {
  const framer = new EslFramer()
  const frames: EslFrame[] = []
  const misaligned: string[] = []
  let at = 0
  for (const r of recv) {
    if (r.offset !== at) misaligned.push(`line ${r.line}: @${r.offset} but previous frame ended at ${at}`)
    const out = framer.push(bytes.subarray(at, r.offset + r.len))
    if (out.length !== 1 || framer.buffered !== 0) misaligned.push(`line ${r.line}: ${out.length} frames, ${framer.buffered} bytes left`)
    frames.push(...out)
    at = r.offset + r.len
  }
  if (at !== bytes.length) misaligned.push(`${bytes.length - at} bytes after the last RECV`)
  return { frames, misaligned }
}

function mismatches(m: EslMessage, f: EslFrame, r: RecvEntry): string[] {
  const bad: string[] = []
  const why = (what: string, got: unknown, want: unknown): void => {
    if (got !== want) bad.push(`line ${r.line} ${what}: got ${JSON.stringify(got)}, index says ${JSON.stringify(want)}`)
  }
  why('Content-Type', f.headers['Content-Type'], r.contentType)
  why('kind', m.kind, KIND_OF[r.contentType])
  if (m.kind === 'event') {
    why('Event-Name', m.event.name, r.eventName)
    why('subclass', m.event.subclass, r.subclass)
    why('format', `text/event-${m.event.format}`, r.contentType)
    if (r.bracket !== undefined) why('Application/CC-Action', m.event.headers['Application'] ?? m.event.headers['CC-Action'], r.bracket)
  }
  if (m.kind === 'command-reply') {
    why('Reply-Text as sent', f.headers['Reply-Text'], r.replyText)
    why('reply', m.reply, urlDecode(r.replyText ?? '').replace(/\n$/, ''))
  }
  if (m.kind === 'api-response' && r.bodyPrefix !== undefined) why('body prefix', m.body.slice(0, r.bodyPrefix.length), r.bodyPrefix)
  return bad
}

t.test('every capture replays byte-exactly into the messages its .cmds.txt index lists', (t) => {
  const names = captureNames()
  t.equal(names.length, 20, 'all 20 captures are found beside the repo')
  for (const name of names) {
    const { bytes, recv } = loadCapture(name)
    const whole = parseAll(bytes)
    t.equal(whole.length, recv.length, `${name}: message count`)
    const { frames, misaligned } = framesAtIndex(bytes, recv)
    t.same(misaligned, [], `${name}: frame i starts at RECV i's @offset and is len bytes long`)
    const bad = frames.flatMap((f, i) => mismatches(decodeFrame(f), f, recv[i]!))
    t.same(bad.slice(0, 5), [], `${name}: content type, event name, subclass, application, reply text and body match the index`)
    t.same(whole.filter((m) => m.kind === 'malformed'), [], `${name}: nothing in a real capture is malformed`)
  }
  t.end()
})

t.test('header order is not fixed: api/response leads with Content-Type, events with Content-Length', (t) => {
  const { bytes, recv } = loadCapture('02')
  const { frames } = framesAtIndex(bytes, recv)
  const api = frames[recv.findIndex((r) => r.contentType === 'api/response')]!
  const ev = frames[recv.findIndex((r) => r.contentType === 'text/event-plain')]!
  t.same(Object.keys(api.headers), ['Content-Type', 'Content-Length'])
  t.same(Object.keys(ev.headers), ['Content-Length', 'Content-Type'])
  const swapped = Buffer.from('Content-Length: 5\nContent-Type: api/response\n\n+OK\n\n')
  t.same(parseAll(swapped), [{ kind: 'api-response', body: '+OK\n\n' }], 'either order frames and decodes the same')
  t.end()
})

t.test('bodies are not trimmed: uuid_exists gives "true" with no newline, uuid_kill gives "+OK\\n"', (t) => {
  const bodies = parseAll(loadCapture('02').bytes).flatMap((m) => (m.kind === 'api-response' ? [m.body] : []))
  t.ok(bodies.includes('true'))
  t.ok(bodies.includes('+OK\n'))
  t.ok(bodies.includes('{"row_count": 0}\n'), 'an empty show … as json keeps its space and newline')
  t.end()
})

t.test('a plain BACKGROUND_JOB keeps its nested body raw, not URL-decoded', (t) => {
  const jobs = parseAll(loadCapture('02').bytes).flatMap((m) => (m.kind === 'event' && m.event.name === 'BACKGROUND_JOB' ? [m.event] : []))
  const failed = jobs.find((e) => e.body === '-ERR USER_NOT_REGISTERED\n')
  t.ok(failed, 'the unregistered-user originate reads -ERR USER_NOT_REGISTERED with its newline')
  t.equal(failed?.headers['Content-Length'], String(Buffer.byteLength('-ERR USER_NOT_REGISTERED\n')))
  t.equal(failed?.headers['Job-Command'], 'originate', 'header values before the nested body are decoded')
  const e = eventOf(parseAll(plainEvent('Event-Name: BACKGROUND_JOB\nJob-UUID: j1\nContent-Length: 7\n\n100%25\n'))[0])
  t.equal(e.body, '100%25\n', 'percent signs in the body stay as sent')
  t.end()
})

t.test('JSON events: duplicate keys keep the last value and _body is the event body', (t) => {
  const events = parseAll(loadCapture('05').bytes).map((m) => (m.kind === 'event' ? m.event : undefined))
  const hangup = events.find((e) => e?.name === 'CHANNEL_HANGUP_COMPLETE')!
  t.equal(hangup.format, 'json')
  t.match(hangup.headers['Hangup-Cause'], /^[A-Z_]+$/)
  const job = events.find((e) => e?.name === 'BACKGROUND_JOB')!
  t.match(job.body, /^\+OK [0-9a-f-]{36}\n$/, 'the originate result, newline kept')
  const body = JSON.stringify({ 'Event-Name': 'CHANNEL_HANGUP_COMPLETE', 'Hangup-Cause': 'NORMAL_CLEARING', X: '1' }).replace('"X":"1"', '"Hangup-Cause":"USER_BUSY"')
  const e = eventOf(parseAll(Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`))[0])
  t.equal(e.headers['Hangup-Cause'], 'USER_BUSY', 'the second Hangup-Cause wins')
  t.end()
})

t.test('XML event values are still URL-decoded', (t) => {
  const xml = parseAll(loadCapture('03').bytes).flatMap((m) => (m.kind === 'event' && m.event.format === 'xml' ? [m.event] : []))
  t.equal(xml.length, 6)
  t.ok(xml.every((e) => e.headers['FreeSWITCH-IPv6'] === 'fd00::2'), 'fd00%3A%3A2 reads fd00::2')
  t.same(xml.map((e) => e.name), ['CHANNEL_CREATE', 'CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_HANGUP_COMPLETE'])
  t.end()
})

t.test('the outbound connect reply is a command/reply with ~110 decoded CHANNEL_DATA headers and Reply-Text +OK', (t) => {
  for (const n of ['06', '07', '08']) {
    const first = parseAll(loadCapture(n).bytes)[0]
    if (first?.kind !== 'command-reply') throw new Error(`${n}: connect reply is ${first?.kind}`)
    t.equal(first.reply, '+OK', `${n}: %2BOK%0A reads +OK`)
    t.equal(first.ok, true)
    t.equal(first.headers['Event-Name'], 'CHANNEL_DATA')
    t.equal(first.headers['FreeSWITCH-IPv6'], 'fd00::2')
    t.ok(Object.keys(first.headers).length > 100, `${n}: the whole channel data block is kept`)
  }
  const async = parseAll(loadCapture('06').bytes)[0]
  t.match(async, { kind: 'command-reply', headers: { 'Socket-Mode': 'async', Control: 'full', 'Channel-Caller-ID-Name': 'Outbound Test', variable_current_application_data: '127.0.0.1:8084 async full' } })
  t.end()
})

t.test('text/disconnect-notice keeps its disposition and linger time', (t) => {
  const last = parseAll(loadCapture('06').bytes).at(-1)
  t.match(last, { kind: 'disconnect-notice', headers: { 'Content-Disposition': 'linger', 'Linger-Time': '-1' }, body: '' })
  const first = parseAll(loadCapture('01').bytes).at(-1)
  t.match(first, { kind: 'disconnect-notice', body: /Disconnected, goodbye/ })
  t.end()
})

t.test('log/data carries its level and the log line as body', (t) => {
  const logs = parseAll(loadCapture('03').bytes).flatMap((m) => (m.kind === 'log' ? [m] : []))
  t.equal(logs.length, 17)
  t.equal(logs[0]?.level, 5)
  t.equal(logs[0]?.headers['Log-File'], 'switch_channel.c')
  t.match(logs[0]?.body, /^2026-11-22 06:04:55\.540511 .*\[NOTICE\] switch_channel\.c:1143 New Channel loopback\/9008\/default-a/)
  t.end()
})

t.test('text/rude-rejection decodes to its own kind', (t) => {
  const body = 'Access Denied, go away.\n'
  t.same(parseAll(Buffer.from(`Content-Type: text/rude-rejection\nContent-Length: ${body.length}\n\n${body}`)), [{ kind: 'rude-rejection', body }])
  t.end()
})

t.test('sofia::register subclass is decoded from sofia%3A%3Aregister in plain and read as is in JSON', (t) => {
  const plain = parseAll(loadCapture('04').bytes).flatMap((m) => (m.kind === 'event' && m.event.subclass === 'sofia::register' ? [m.event] : []))
  t.ok(plain.length > 0)
  t.ok(plain.every((e) => e.name === 'CUSTOM' && e.format === 'plain'))
  const json = parseAll(loadCapture('20').bytes).flatMap((m) => (m.kind === 'event' && m.event.subclass === 'sofia::register' ? [m.event] : []))
  t.ok(json.length >= 3)
  t.match(json[0]?.headers, { 'profile-name': 'internal', status: /^Registered\(UDP\)/ })
  t.end()
})

function plainEvent(lines: string): Buffer {
  const inner = Buffer.from(lines, 'latin1')
  return Buffer.concat([Buffer.from(`Content-Length: ${inner.length}\nContent-Type: text/event-plain\n\n`), inner])
}

t.test('a Latin-1 caller name in a plain event decodes to José; raw Latin-1 bytes too', (t) => {
  const e = eventOf(parseAll(plainEvent('Event-Name: CHANNEL_CREATE\nCaller-Caller-ID-Name: Jos%E9\n\n'))[0])
  t.equal(e.headers['Caller-Caller-ID-Name'], 'José')
  const raw = eventOf(parseAll(plainEvent('Event-Name: CHANNEL_CREATE\nCaller-Caller-ID-Name: Jos\xe9\n\n'))[0])
  t.equal(raw.headers['Caller-Caller-ID-Name'], 'José', 'an unencoded 0xE9 byte is not lost either')
  t.end()
})

function jsonEvent(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\nContent-Type: text/event-json\n\n`), body])
}

t.test('raw GBK and Latin-1 caller names in a JSON event (cJSON copies bytes as they are) decode to 张伟 and José', (t) => {
  const gbk = Buffer.from([0xd5, 0xc5, 0xce, 0xb0]) // 张伟
  const body = Buffer.concat([
    Buffer.from('{"Event-Name":"CHANNEL_PARK","Unique-ID":"u1","Caller-Caller-ID-Name":"'), gbk,
    Buffer.from('","variable_hotline_note":"Jos'), Buffer.from([0xe9]), Buffer.from('","variable_sip_from_display":"\\"Zh\\u0101ng\\" 王"}'),
  ])
  const e = eventOf(parseAll(jsonEvent(body))[0])
  t.equal(e.header('Caller-Caller-ID-Name'), '张伟')
  t.equal(e.headers['variable_hotline_note'], 'José')
  t.equal(e.header('variable_sip_from_display'), '"Zhāng" 王', 'escapes and UTF-8 beside them still read as JSON says')
  t.same(e.headersStartingWith('variable_hotline_'), { variable_hotline_note: 'José' })
  const utf8 = eventOf(parseAll(jsonEvent(Buffer.from('{"Event-Name":"CHANNEL_PARK","Caller-Caller-ID-Name":"张伟 \uFFFD"}')))[0])
  t.equal(utf8.header('Caller-Caller-ID-Name'), '张伟 \uFFFD', 'valid UTF-8, a real U+FFFD included, is left as it is')
  t.end()
})

/** modesl's own parser driven by a fake socket: the baseline the issue measured against. */
const modeslParser = createRequire(import.meta.url)('modesl/lib/esl/Parser.js') as new (socket: EventEmitter) => EventEmitter

t.test('modesl throws on Jos%E9 where Hotline decodes it (node-esl #59)', (t) => {
  const socket = new EventEmitter()
  const parser = new modeslParser(socket)
  const names: unknown[] = []
  parser.on('esl::event', (e: { getHeader(n: string): unknown }) => names.push(e.getHeader('Caller-Caller-ID-Name')))
  const bytes = plainEvent('Event-Name: CHANNEL_CREATE\nCaller-Caller-ID-Name: Jos%E9\n\n')
  t.throws(() => socket.emit('data', bytes), URIError, 'decodeURIComponent throws out of the socket data handler')
  t.same(names, [], 'modesl delivers nothing')
  t.equal(eventOf(parseAll(bytes)[0]).headers['Caller-Caller-ID-Name'], 'José')
  t.end()
})

t.test('a frame without Content-Type or with an empty or nameless event is malformed, not thrown', (t) => {
  t.match(parseAll(Buffer.from('Reply-Text: +OK\n\n')), [{ kind: 'malformed', reason: /without Content-Type/ }])
  t.match(parseAll(Buffer.from('Content-Type: text/event-plain\n\n')), [{ kind: 'malformed', reason: /empty plain event/ }])
  t.match(parseAll(plainEvent('Unique-ID: x\n\n')), [{ kind: 'malformed', reason: /without Event-Name/ }])
  t.match(parseAll(Buffer.from('Content-Type: text/event-xml\nContent-Length: 5\n\n<a/>\n')), [{ kind: 'malformed', reason: /xml event without <headers>/ }])
  t.match(parseAll(Buffer.from('Content-Type: text/x-new-thing\nContent-Length: 2\n\nhi')), [{ kind: 'unknown', contentType: 'text/x-new-thing', body: 'hi' }])
  t.end()
})

t.test('a JSON event that is not JSON is a malformed message with the reason and a sample', (t) => {
  const body = '{"Event-Name":"CHANNEL_CREATE",'
  const [m] = parseAll(Buffer.from(`Content-Length: ${body.length}\nContent-Type: text/event-json\n\n${body}`))
  t.match(m, { kind: 'malformed', reason: /^json event is not JSON/, sample: body })
  t.match(parseAll(Buffer.from('Content-Length: 2\nContent-Type: text/event-json\n\n[]')), [{ kind: 'malformed', reason: 'json event is not an object' }])
  const odd = '{"Event-Name":"X","n":5}'
  t.equal(eventOf(parseAll(Buffer.from(`Content-Length: ${odd.length}\nContent-Type: text/event-json\n\n${odd}`))[0]).headers['n'], '5', 'a non-string value is coerced to a string')
  t.end()
})

t.test('a JSON event nested 10,000 levels deep is a malformed message, never a throw', (t) => {
  const deep = '['.repeat(10_000) + ']'.repeat(10_000)
  const body = Buffer.from(`{"Event-Name":"CUSTOM","x":${deep}}`)
  const m = decodeFrame({ headers: { 'Content-Type': 'text/event-json', 'Content-Length': String(body.length) }, body })
  t.match(m, { kind: /malformed|event/ })
  if (m.kind === 'malformed') t.match(m.reason, /nested|decode|JSON/)
  t.end()
})

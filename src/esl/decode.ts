/**
 * Frames → typed messages. Never throws: anything it cannot read becomes a `malformed` message
 * with the reason, so the connection can count it and carry on (ARCHITECTURE principle 5).
 */
import type { EslFrame } from './frame.ts'
import { EslFramer } from './frame.ts'
import { isUtf8 } from 'node:buffer'
import { FlatJsonEvent, eslEvent } from './event.ts'
import { checkFlatJson, flatValue } from './flat-json.ts'
import type { EslMessage, EventFormat } from './message.ts'
import { decodeBytes, urlDecode } from './url-decode.ts'

export function decodeFrame(f: EslFrame): EslMessage {
  try {
    return decodeOne(f)
  } catch (e) {
    // Whatever a body holds, the decoder answers a message: one bad frame never stops the stream.
    return malformed(`could not decode: ${(e as Error).message}`, f.body)
  }
}

function decodeOne(f: EslFrame): EslMessage {
  if (f.malformed) return malformed(f.malformed, f.body)
  const type = f.headers['Content-Type']
  switch (type) {
    case 'auth/request':
      return { kind: 'auth-request' }
    case 'command/reply':
      return commandReply(f.headers)
    case 'api/response':
      return { kind: 'api-response', body: text(f.body) }
    case 'text/event-plain':
      return event(f.body, 'plain', parsePlain)
    case 'text/event-json':
      return jsonEvent(f.body)
    case 'text/event-xml':
      return event(f.body, 'xml', parseXml)
    case 'text/disconnect-notice':
      return { kind: 'disconnect-notice', headers: f.headers, body: text(f.body) }
    case 'text/rude-rejection':
      return { kind: 'rude-rejection', body: text(f.body) }
    case 'log/data':
      return { kind: 'log', level: Number(f.headers['Log-Level'] ?? NaN), headers: f.headers, body: text(f.body) }
    case undefined:
      return malformed('frame without Content-Type', f.body)
    default:
      return { kind: 'unknown', contentType: type, headers: f.headers, body: text(f.body) }
  }
}

/** Every message in a complete byte stream (captures, tests, benchmarks). */
export function parseAll(bytes: Buffer): EslMessage[] {
  return new EslFramer().push(bytes).map(decodeFrame)
}

function commandReply(headers: Readonly<Record<string, string>>): EslMessage {
  // The outbound `connect` reply is ~110 URL-encoded channel headers with Reply-Text `%2BOK%0A`,
  // unlike every other reply (fact 2): decode that block's values, leave the others as sent.
  const encoded = headers['Event-Name'] === 'CHANNEL_DATA' || /^%2[BbDd]/.test(headers['Reply-Text'] ?? '')
  const h = encoded ? mapValues(headers, urlDecode) : headers
  const reply = (h['Reply-Text'] ?? '').replace(/\n$/, '')
  return { kind: 'command-reply', reply, ok: reply.startsWith('+OK'), headers: h }
}

type BodyParser = (body: Buffer) => { headers: Record<string, string>; body: string | undefined } | string

function event(body: Buffer | undefined, format: EventFormat, parse: BodyParser): EslMessage {
  if (!body || body.length === 0) return malformed(`empty ${format} event`, body)
  const parsed = parse(body)
  if (typeof parsed === 'string') return malformed(parsed, body)
  const name = parsed.headers['Event-Name']
  if (!name) return malformed(`${format} event without Event-Name`, body)
  return { kind: 'event', event: eslEvent({ name, subclass: parsed.headers['Event-Subclass'], format, headers: parsed.headers, body: parsed.body }) }
}

/** FreeSWITCH's own flat JSON is read on demand (flat-json.ts); any other JSON through JSON.parse. */
function jsonEvent(body: Buffer | undefined): EslMessage {
  if (!body || body.length === 0) return malformed('empty json event', body)
  const text = body.toString('utf8')
  // cJSON copies a value's bytes as they are, so a GBK or Latin-1 caller name from a PRI gateway
  // arrives as raw non-UTF-8 bytes (plain events URL-encode the same bytes): read value by value.
  if (text.indexOf('\uFFFD') >= 0 && !isUtf8(body)) return event(body, 'json', parseJsonBytes)
  const flat = checkFlatJson(text)
  if (!flat) return event(body, 'json', () => parseJson(text))
  const name = flatValue(flat, 'Event-Name')
  if (!name) return malformed('json event without Event-Name', body)
  return { kind: 'event', event: new FlatJsonEvent(flat, name, flatValue(flat, 'Event-Subclass'), flatValue(flat, '_body')) }
}

/** Plain events nest a header block inside the body (fact 5); an inner Content-Length marks raw bytes. */
function parsePlain(body: Buffer): { headers: Record<string, string>; body: string | undefined } {
  // Latin-1 maps byte i to char i, so string offsets are byte offsets for the inner body.
  const s = body.toString('latin1')
  let end = s.indexOf('\n\n')
  if (end < 0) end = s.length
  const raw = /[\x80-\xff]/.test(s.slice(0, end))
  const headers: Record<string, string> = {}
  let start = 0
  while (start < end) {
    let nl = s.indexOf('\n', start)
    if (nl < 0 || nl > end) nl = end
    const colon = s.indexOf(': ', start)
    if (colon > 0 && colon < nl) {
      const v = s.slice(colon + 2, nl)
      headers[s.slice(start, colon)] = raw && /[\x80-\xff]/.test(v) ? decodeBytes(Buffer.from(urlDecode(v), 'latin1')) : urlDecode(v)
    }
    start = nl + 1
  }
  const inner = headers['Content-Length']
  if (inner === undefined) return { headers, body: undefined }
  const from = end + 2
  const to = Math.min(body.length, from + (Number(inner) || 0))
  return { headers, body: decodeBytes(body.subarray(from, to)) }
}

/** Any JSON object, as JSON.parse reads it; array headers and other non-strings become strings. */
function parseJson(text: string): { headers: Record<string, string>; body: string | undefined } | string {
  let obj: unknown
  try {
    obj = JSON.parse(text)
  } catch (e) {
    return `json event is not JSON: ${(e as Error).message}`
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'json event is not an object'
  const headers = obj as Record<string, unknown>
  // A header nested thousands of levels deep overflows JSON.stringify's stack (RangeError):
  // the event is malformed, never a throw out of the decoder.
  try {
    for (const k in headers) if (typeof headers[k] !== 'string') headers[k] = JSON.stringify(headers[k])
  } catch (e) {
    return `json event header too deeply nested: ${(e as Error).message}`
  }
  const h = headers as Record<string, string>
  return { headers: h, body: h['_body'] }
}

/** JSON that is not UTF-8: read as bytes (Latin-1), then each value with high bytes decoded as plain values are. */
function parseJsonBytes(body: Buffer): { headers: Record<string, string>; body: string | undefined } | string {
  const parsed = parseJson(body.toString('latin1'))
  if (typeof parsed === 'string') return parsed
  // Chars above 0xFF can only come from \u escapes: the byte runs around them are decoded alone.
  const fix = (v: string): string => v.replace(/[\x00-\xff]*[\x80-\xff][\x00-\xff]*/g, (run) => decodeBytes(Buffer.from(run, 'latin1')))
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(parsed.headers)) headers[fix(k)] = fix(v)
  return { headers, body: headers['_body'] }
}

const XML_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" }
const unxml = (v: string): string => v.replace(/&(lt|gt|amp|quot|apos);/g, (m) => XML_ENTITIES[m] ?? m)

/** XML events keep values URL-encoded inside the elements (fact 7). */
function parseXml(body: Buffer): { headers: Record<string, string>; body: string | undefined } | string {
  const s = body.toString('utf8')
  const block = /<headers>([\s\S]*?)<\/headers>/.exec(s)
  if (!block) return 'xml event without <headers>'
  const headers: Record<string, string> = {}
  for (const m of block[1]!.matchAll(/<([A-Za-z0-9_:.-]+)>([^<]*)<\/\1>/g)) headers[m[1]!] = urlDecode(unxml(m[2]!))
  const b = /<body>([\s\S]*?)<\/body>/.exec(s)
  return { headers, body: b ? unxml(b[1]!) : undefined }
}

function mapValues(h: Readonly<Record<string, string>>, f: (v: string) => string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k in h) out[k] = f(h[k]!)
  return out
}

function text(body: Buffer | undefined): string {
  return body ? decodeBytes(body) : ''
}

function malformed(reason: string, body: Buffer | undefined): EslMessage {
  return { kind: 'malformed', reason, sample: body ? body.toString('latin1', 0, Math.min(body.length, 120)) : '' }
}

/**
 * Bytes the simulator puts on the wire, shaped after esl-captures: envelope header order
 * (Content-Length before Content-Type for events, the reverse for api/response; fact 2), plain
 * events with URL-encoded values and an inner Content-Length for a body (fact 5), JSON events
 * with string values and `_body` (fact 6), duplicate header names kept as sent.
 */
export type EventFormat = 'plain' | 'json'
export type HeaderPairs = ReadonlyArray<readonly [string, string]>

// switch_url_encode's unsafe set plus control and non-ASCII bytes; a comma stays as is.
const UNSAFE = new Set('\r\n "#%&+:;<=>?@[\\]^`{|}')

export function urlEncode(v: string): string {
  let out = ''
  for (const byte of Buffer.from(v, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += byte < 0x20 || byte >= 0x7f || UNSAFE.has(c) ? '%' + byte.toString(16).toUpperCase().padStart(2, '0') : c
  }
  return out
}

export function encodeEvent(pairs: HeaderPairs, body: string | undefined, format: EventFormat): Buffer {
  const inner = format === 'json' ? jsonBody(pairs, body) : plainBody(pairs, body)
  const type = format === 'json' ? 'text/event-json' : 'text/event-plain'
  return Buffer.concat([Buffer.from(`Content-Length: ${inner.length}\nContent-Type: ${type}\n\n`), inner])
}

function plainBody(pairs: HeaderPairs, body: string | undefined): Buffer {
  let s = ''
  for (const [k, v] of pairs) s += `${k}: ${urlEncode(v)}\n`
  if (body === undefined) return Buffer.from(s + '\n')
  const b = Buffer.from(body, 'utf8')
  return Buffer.concat([Buffer.from(`${s}Content-Length: ${b.length}\n\n`), b])
}

function jsonBody(pairs: HeaderPairs, body: string | undefined): Buffer {
  // Written by hand, not JSON.stringify(object): FreeSWITCH repeats keys (Hangup-Cause on
  // CHANNEL_HANGUP_COMPLETE) and a client must cope with that (fact 6).
  const parts = pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
  if (body !== undefined) {
    parts.push(`"Content-Length":${JSON.stringify(String(Buffer.byteLength(body)))}`, `"_body":${JSON.stringify(body)}`)
  }
  return Buffer.from(`{${parts.join(',')}}`)
}

export const authRequest = (): Buffer => Buffer.from('Content-Type: auth/request\n\n')

export function commandReply(text: string, extra: HeaderPairs = []): Buffer {
  let s = `Content-Type: command/reply\nReply-Text: ${text}\n`
  for (const [k, v] of extra) s += `${k}: ${v}\n`
  return Buffer.from(s + '\n')
}

export function apiResponse(body: string): Buffer {
  const b = Buffer.from(body, 'utf8')
  return Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${b.length}\n\n`), b])
}

const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n'

export function disconnectNotice(): Buffer {
  return Buffer.from(`Content-Type: text/disconnect-notice\nContent-Length: ${Buffer.byteLength(GOODBYE)}\n\n${GOODBYE}`)
}

export function rudeRejection(): Buffer {
  const body = 'Access Denied, go away.\n'
  return Buffer.from(`Content-Type: text/rude-rejection\nContent-Length: ${body.length}\n\n${body}`)
}

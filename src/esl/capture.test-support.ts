/**
 * Reads the real FreeSWITCH wire captures in test/fixtures/esl-captures (kept in the repository) and
 * their `.cmds.txt` RECV index, so tests can replay byte-exact transcripts and check what the
 * parser makes of them against what the capture script saw. Test support only; never shipped.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** src/esl → repo → test/fixtures/esl-captures. */
export const capturesDir = new URL('../../test/fixtures/esl-captures/', import.meta.url)

/** One `RECV @<offset> len=<n> <Content-Type> …` line of a `.cmds.txt` index. */
export interface RecvEntry {
  readonly line: number
  readonly offset: number
  readonly len: number
  readonly contentType: string
  /** Events: Event-Name, subclass, and `[x]` (Application on EXECUTE, CC-Action on callcenter::info). */
  readonly eventName?: string
  readonly subclass?: string
  readonly bracket?: string
  /** command/reply: the Reply-Text exactly as sent (the outbound connect reply is URL-encoded). */
  readonly replyText?: string
  /** api/response: the start of the body as the index shows it (JSON-escaped, at most 60 chars). */
  readonly bodyPrefix?: string
}

export interface Capture {
  /** e.g. `07-outbound-socket-nolinger-json` */
  readonly name: string
  readonly bytes: Buffer
  readonly recv: readonly RecvEntry[]
}

/** Names of every capture (without extension), in file order. */
export function captureNames(): string[] {
  return readdirSync(fileURLToPath(capturesDir))
    .filter((f) => f.endsWith('.esl'))
    .map((f) => f.slice(0, -'.esl'.length))
    .sort()
}

/** A capture by its name or its two-digit number ("05"). */
export function loadCapture(nameOrNumber: string): Capture {
  const name = captureNames().find((n) => n === nameOrNumber || n.startsWith(`${nameOrNumber}-`))
  if (!name) throw new Error(`no capture ${nameOrNumber} in ${fileURLToPath(capturesDir)}`)
  const bytes = readFileSync(new URL(`${name}.esl`, capturesDir))
  const recv = parseRecvIndex(readFileSync(new URL(`${name}.cmds.txt`, capturesDir), 'utf8'))
  return { name, bytes, recv }
}

const RECV = /^\s*[\d.]+ RECV @(\d+) len=(\d+) (\S+)(?: (.*))?$/

/** Parses every RECV line of a `.cmds.txt`; SEND lines and `#` notes are skipped. */
export function parseRecvIndex(text: string): RecvEntry[] {
  const out: RecvEntry[] = []
  text.split('\n').forEach((raw, i) => {
    const m = RECV.exec(raw)
    if (!m) return
    const base = { line: i + 1, offset: Number(m[1]), len: Number(m[2]), contentType: m[3]! }
    out.push({ ...base, ...describe(base.contentType, m[4] ?? '') })
  })
  return out
}

function describe(contentType: string, rest: string): Partial<RecvEntry> {
  if (contentType === 'command/reply') return { replyText: rest }
  if (contentType === 'api/response') return rest ? { bodyPrefix: JSON.parse(rest) as string } : {}
  if (!contentType.startsWith('text/event-')) return {}
  const tokens = rest.split(' ').filter((s) => s !== '')
  const out: { eventName?: string; subclass?: string; bracket?: string } = {}
  for (const tok of tokens) {
    if (tok.startsWith('[') && tok.endsWith(']')) out.bracket = tok.slice(1, -1)
    else if (out.eventName === undefined) out.eventName = tok
    else out.subclass = tok
  }
  return out
}

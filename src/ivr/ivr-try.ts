/**
 * `hotline ivr try [entry] --caller <number> --digits "2 1234567#"`: runs a flow in the terminal,
 * without FreeSWITCH, through the same pure interpreter the runner uses. Each space-separated group
 * of digits answers one menu or collect; when they run out, the caller stays silent (timeouts).
 */
import { err, ok, systemClock, type Instant, type Result } from '../shared/index.ts'
import { formatFlowError } from './core/locate.ts'
import { parseFlowSet } from './core/parse.ts'
import { startSession, type IvrEffect, type IvrInput, type IvrOutcome, type IvrSession } from './core/session.ts'
import { step } from './core/step.ts'
import type { ToolResult } from './ivr-check.ts'
import { answerLookup, answerWorkOrder, type IvrPorts } from './ports.ts'
import { samplePorts } from './sample-customers.ts'
import { readFlowFiles, readSoundCatalog } from './sources.ts'

export interface IvrTryOptions {
  readonly entry?: string
  readonly caller?: string
  readonly digits?: string
  readonly scriptsDir?: string
  readonly soundsDir?: string
  /** When the call happens (business hours); defaults to now. */
  readonly at?: Instant
  /** Defaults to the sample customers (src/ivr/sample-customers.ts). */
  readonly ports?: IvrPorts
}

/** A flow that takes more steps than this is going round in circles. */
const maxSteps = 500

export async function ivrTry(o: IvrTryOptions = {}): Promise<ToolResult> {
  const entry = o.entry ?? '96200'
  const caller = o.caller ?? '075586001234'
  const parsed = parseFlowSet(await readFlowFiles(o.scriptsDir ?? 'ivr-scripts'), await readSoundCatalog(o.soundsDir ?? 'sounds'), 1)
  if (!parsed.ok) return { exitCode: 1, output: [...parsed.error.map(formatFlowError), 'flows are invalid; run ivr check'].join('\n') }
  const now = o.at ?? systemClock.now()
  const started = startSession(parsed.value, entry, caller, now)
  if (!started.ok) return { exitCode: 1, output: `${started.error.message}; the entries are: ${[...parsed.value.entries.keys()].sort().join(', ')}` }
  const out: string[] = [`call to ${entry} from ${caller} (language ${started.value.lang})`]
  const typed = (o.digits ?? '').split(/\s+/).filter((g) => g !== '')
  const r = await dryRun(started.value, typed, o.ports ?? samplePorts(), now, (e, answer) => out.push(...describeEffect(e, answer)))
  const session = r.session
  if (!session.outcome) return { exitCode: 1, output: [...out, `no end: stuck at ${session.flow}/${session.node}`].join('\n') }
  out.push(`ended: ${describe(session.outcome)}`)
  out.push(`path: ${session.path.join(' → ')}`)
  out.push(`facts: ${Object.entries(session.facts).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`)
  return { exitCode: 0, output: out.join('\n') }
}

export interface DryRun { readonly session: IvrSession; readonly effects: readonly IvrEffect[] }

/**
 * Steps a session to its end as a call would go: prompts finish, each menu or collect takes the
 * next group of `typed` digits (none left: timeout), lookups and work orders go through `ports`.
 */
export async function dryRun(start: IvrSession, typed: readonly string[], ports: IvrPorts, now: Instant,
  onEffect: (e: IvrEffect, answer: IvrInput | null) => void = () => undefined): Promise<DryRun> {
  const digits = [...typed]
  const effects: IvrEffect[] = []
  let session = start
  let input: IvrInput | null = { kind: 'answered' }
  for (let i = 0; i < maxSteps && input && !session.outcome; i++) {
    const r = step(session, input, now)
    session = r.session
    input = null
    for (const e of r.effects) {
      const reply = await replyTo(e, digits, ports)
      effects.push(e)
      onEffect(e, reply)
      input = reply ?? input
    }
  }
  return { session, effects }
}

/** The input a real call would feed back after this effect, if it is awaited. */
async function replyTo(e: IvrEffect, digits: string[], ports: IvrPorts): Promise<IvrInput | null> {
  switch (e.kind) {
    case 'play': return { kind: 'played' }
    case 'collect': {
      const d = digits.shift()
      return d === undefined ? { kind: 'timeout' } : { kind: 'digits', digits: d }
    }
    case 'lookup': return answerLookup(e.query, ports)
    case 'create-work-order': return answerWorkOrder(e, ports)
    case 'record': return e.mode === 'message' ? { kind: 'recorded', file: 'recordings/try-message.wav' } : null
    case 'sms': case 'set-language': case 'enqueue': case 'transfer': case 'hangup': return null
  }
}

function describeEffect(e: IvrEffect, a: IvrInput | null): string[] {
  switch (e.kind) {
    case 'play': return [`  play ${e.files.join(' ')}`]
    case 'collect': {
      const got = a?.kind === 'digits' ? `"${a.digits}"` : `(no input, ${e.timeoutMs / 1000} s timeout)`
      return [`  play ${e.files.join(' ')} and collect ${e.min}-${e.max} digits: ${got}`]
    }
    case 'lookup': {
      const q = e.query.kind === 'customer-by-caller' ? e.query.caller : e.query.kind === 'customer-by-account' ? e.query.account : e.query.area
      const found = a?.kind === 'customer' ? (a.customer ? `${a.customer.account} ${a.customer.name} (${a.customer.tier}, area ${a.customer.area})` : 'not found')
        : a?.kind === 'outage' ? (a.outage ? `outage until ${a.outage.until ?? '?'}` : 'no outage') : '?'
      return [`  lookup ${e.query.kind} ${q}: ${found}`]
    }
    case 'create-work-order':
      return [`  create ${e.order.type} work order for ${e.order.account ?? '?'} ${JSON.stringify(e.order.details)}: ${a?.kind === 'work-order-created' ? a.reference : 'failed'}`]
    case 'record': return [`  record ${e.mode === 'call' ? 'the call (proof)' : `a message (max ${e.maxSeconds} s) after ${e.files.join(' ')}`}`]
    case 'sms': return [`  sms to ${e.to}: ${e.text}`]
    case 'set-language': return [`  language → ${e.lang}`]
    case 'enqueue': return [`  ${e.callback ? 'callback from' : 'enqueue'} ${e.queue} tier ${e.tier} skills ${JSON.stringify(e.skills)} lang ${e.lang}`]
    case 'transfer': return [`  transfer to ${e.to}`]
    case 'hangup': return ['  hang up']
  }
}

function describe(o: IvrOutcome): string {
  switch (o.kind) {
    case 'enqueued': return `queued for an agent in '${o.queue}'`
    case 'transferred': return `transferred to ${o.to}`
    case 'hung-up': return 'the IVR hung up'
    case 'caller-hung-up': return 'the caller hung up'
    case 'failed': return `failed (${o.code})`
  }
}

/**
 * `--at`: when the call is made, for the flows' business hours and holidays. An ISO date-time
 * (`2026-12-25T09:30+08:00`), or a time of day `HH:MM` (today, in the center's time zone, UTC+8).
 */
export function parseAt(text: string, now: Instant, utcOffsetMinutes = 480): Result<Instant, string> {
  const hm = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim())
  if (hm) {
    const local = new Date(now + utcOffsetMinutes * 60_000)
    const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - utcOffsetMinutes * 60_000
    return ok(midnight + (Number(hm[1]) * 60 + Number(hm[2])) * 60_000)
  }
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(text.trim()) ? Date.parse(text) : Number.NaN
  return Number.isNaN(at) ? err(`--at ${text}: expected HH:MM (today, UTC+8) or a date-time with its offset, e.g. 2026-12-25T09:30+08:00`) : ok(at)
}

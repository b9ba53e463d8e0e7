/**
 * Which calls are recorded, where the file goes, and how long it is kept. Pure: no clock, no I/O.
 */
import type { Instant } from '../../shared/index.ts'

export type RecordingFormat = 'wav' | 'mp3'

export interface RecordingPolicy {
  /** Record every call that reaches an agent (the centers' rule); overrides below win. */
  readonly recordAgentCalls: boolean
  /** Per queue: true records, false does not, absent follows the default. */
  readonly queues: Readonly<Record<string, boolean>>
  /** Per agent; an agent override beats a queue override. */
  readonly agents: Readonly<Record<string, boolean>>
  /** Caller and agent on separate channels (uuid_setvar RECORD_STEREO true, fact 15). */
  readonly stereo: boolean
  readonly format: RecordingFormat
  /** Where FreeSWITCH writes and Hotline reads: the same folder on the same host. */
  readonly root: string
  /** Relative path; placeholders {yyyy} {mm} {dd} {hh} {callId} {segment} {kind} {ext}. */
  readonly pathPattern: string
  /** Dates in paths are local to the center: minutes east of UTC (China: 480). */
  readonly utcOffsetMinutes: number
}

export interface RetentionClass {
  readonly minimumDays: number
}

export interface RetentionPolicy {
  /** 'standard' and 'order' must exist; more may be added. */
  readonly classes: Readonly<Record<string, RetentionClass>>
  /** Nothing is kept less than this, whatever a class says (the 31-day guarantee). */
  readonly floorDays: number
}

export const defaultRecordingPolicy = (root: string): RecordingPolicy => ({
  recordAgentCalls: true, queues: {}, agents: {}, stereo: false, format: 'wav', root,
  pathPattern: '{yyyy}/{mm}/{dd}/{callId}-{segment}.{ext}', utcOffsetMinutes: 0,
})

export const defaultRetention: RetentionPolicy = {
  classes: { standard: { minimumDays: 31 }, order: { minimumDays: 365 } },
  floorDays: 31,
}

/** What the rest of Hotline knows about a call when it reaches an agent. */
export interface CallContext {
  readonly agentId?: string | undefined
  readonly queue?: string | undefined
  /** The customer account the IVR or the agent identified. */
  readonly customer?: string | undefined
  readonly callerNumber?: string | undefined
  /** The IVR flagged the call as a phone order (pay-per-view, top-up): kept as proof. */
  readonly order?: boolean | undefined
}

/** Agent override, then queue override, then the default. */
export function shouldRecordAgentCall(p: RecordingPolicy, ctx: CallContext): boolean {
  const byAgent = ctx.agentId === undefined ? undefined : p.agents[ctx.agentId]
  if (byAgent !== undefined) return byAgent
  const byQueue = ctx.queue === undefined ? undefined : p.queues[ctx.queue]
  if (byQueue !== undefined) return byQueue
  return p.recordAgentCalls
}

export const retentionClassOf = (ctx: CallContext): string => (ctx.order === true ? 'order' : 'standard')

const DAY = 86_400_000

/** started + max(class minimum, floor). An unknown class gets the floor, never less. */
export function keepUntil(started: Instant, retentionClass: string, r: RetentionPolicy): Instant {
  const min = r.classes[retentionClass]?.minimumDays ?? 0
  return started + Math.max(min, r.floorDays) * DAY
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
/** uuid_record takes the path as one space-separated argument, so nothing odd may reach it. */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_')

export type RecordingKind = 'agent' | 'consent'

/** `<root>/YYYY/MM/DD/<callId>-<segment>.wav` by default, dated in the center's local time. */
export function recordingPath(p: RecordingPolicy, callId: string, segment: number, kind: RecordingKind, at: Instant): string {
  const d = new Date(at + p.utcOffsetMinutes * 60_000)
  const values: Record<string, string> = {
    yyyy: pad(d.getUTCFullYear(), 4), mm: pad(d.getUTCMonth() + 1), dd: pad(d.getUTCDate()), hh: pad(d.getUTCHours()),
    callId: safe(callId), segment: String(segment), kind, ext: p.format,
  }
  const rel = p.pathPattern.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m)
  return `${p.root.replace(/\/+$/, '')}/${rel.replace(/^\/+/, '')}`
}

/** Checks a pattern once at start-up: known placeholders, no spaces, no climbing out of the root. */
export function checkPathPattern(pattern: string): string | undefined {
  const unknown = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((k) => !['yyyy', 'mm', 'dd', 'hh', 'callId', 'segment', 'kind', 'ext'].includes(k ?? ''))
  if (unknown.length) return `unknown placeholder(s) ${unknown.map((k) => `{${k}}`).join(', ')}`
  if (/\s/.test(pattern)) return 'the pattern must not contain spaces (uuid_record splits its arguments on spaces)'
  if (pattern.split('/').includes('..')) return 'the pattern must stay inside the recordings root'
  if (!pattern.includes('{callId}') || !pattern.includes('{segment}')) return 'the pattern must contain {callId} and {segment} so that files never collide'
  return undefined
}

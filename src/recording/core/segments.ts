/**
 * The recording set of one call: one recording per agent segment (each bridge to an agent,
 * including transfers and consultations), plus an optional IVR consent segment. Pure:
 * `decide(state, input, now) -> { state, effects }`; the shell runs the effects through the
 * RecorderPort and the repository.
 */
import type { Instant } from '../../shared/index.ts'
import {
  keepUntil, recordingPath, retentionClassOf, shouldRecordAgentCall,
  type CallContext, type RecordingKind, type RecordingPolicy, type RetentionPolicy,
} from './policy.ts'

export interface ActiveRecording {
  readonly recordingId: string
  readonly kind: RecordingKind
  readonly leg: string
  readonly file: string
}

export interface CallRecordings {
  readonly callId: string
  /** Segments numbered so far (seeded from the store after a restart so ids never repeat). */
  readonly segments: number
  readonly order: boolean
  readonly active: ActiveRecording | undefined
}

export interface NewRecording {
  readonly id: string
  readonly callId: string
  readonly segment: number
  readonly kind: RecordingKind
  readonly leg: string
  readonly agentId: string | undefined
  readonly queue: string | undefined
  readonly customer: string | undefined
  readonly callerNumber: string | undefined
  readonly file: string
  readonly format: RecordingPolicy['format']
  readonly channels: 1 | 2
  readonly retentionClass: string
  readonly startedAt: Instant
  readonly keepUntil: Instant
}

export type SegmentInput =
  | { readonly type: 'call-bridged'; readonly customerLeg: string; readonly context: CallContext }
  | { readonly type: 'call-unbridged' }
  | { readonly type: 'call-ended' }
  | { readonly type: 'record-consent'; readonly leg: string; readonly context: CallContext }
  | { readonly type: 'consent-done' }
  | { readonly type: 'start-failed'; readonly recordingId: string }
  | { readonly type: 'call-is-order' }

export type SegmentEffect =
  | { readonly type: 'start-recording'; readonly recording: NewRecording; readonly stereo: boolean }
  | { readonly type: 'stop-recording'; readonly recordingId: string; readonly leg: string; readonly file: string }
  | { readonly type: 'upgrade-retention'; readonly callId: string; readonly retentionClass: string }

export interface SegmentDecision {
  readonly state: CallRecordings
  readonly effects: readonly SegmentEffect[]
}

export interface SegmentConfig {
  readonly policy: RecordingPolicy
  readonly retention: RetentionPolicy
}

export const newCallRecordings = (callId: string, segments = 0): CallRecordings => ({ callId, segments, order: false, active: undefined })

function stop(s: CallRecordings): SegmentDecision {
  if (!s.active) return { state: s, effects: [] }
  const a = s.active
  return { state: { ...s, active: undefined }, effects: [{ type: 'stop-recording', recordingId: a.recordingId, leg: a.leg, file: a.file }] }
}

function start(s: CallRecordings, kind: RecordingKind, leg: string, ctx: CallContext, cfg: SegmentConfig, now: Instant): SegmentDecision {
  const segment = s.segments + 1
  const order = s.order || ctx.order === true
  const retentionClass = retentionClassOf({ ...ctx, order })
  const file = recordingPath(cfg.policy, s.callId, segment, kind, now)
  const recording: NewRecording = {
    id: `${s.callId}-${segment}`, callId: s.callId, segment, kind, leg, agentId: ctx.agentId, queue: ctx.queue,
    customer: ctx.customer, callerNumber: ctx.callerNumber, file, format: cfg.policy.format, channels: cfg.policy.stereo ? 2 : 1,
    retentionClass, startedAt: now, keepUntil: keepUntil(now, retentionClass, cfg.retention),
  }
  return {
    state: { ...s, segments: segment, order, active: { recordingId: recording.id, kind, leg, file } },
    effects: [{ type: 'start-recording', recording, stereo: cfg.policy.stereo }],
  }
}

/** A new bridge ends the running segment first: a transfer yields one recording per agent. */
export function decideSegment(s: CallRecordings, input: SegmentInput, cfg: SegmentConfig, now: Instant): SegmentDecision {
  switch (input.type) {
    case 'call-bridged': {
      const stopped = stop(s)
      if (!shouldRecordAgentCall(cfg.policy, input.context)) return stopped
      const started = start(stopped.state, 'agent', input.customerLeg, input.context, cfg, now)
      return { state: started.state, effects: [...stopped.effects, ...started.effects] }
    }
    case 'call-unbridged':
    case 'call-ended':
      return stop(s)
    case 'record-consent':
      // A consent prompt while a segment already runs is covered by that segment.
      if (s.active) return { state: s, effects: [] }
      return start(s, 'consent', input.leg, input.context, cfg, now)
    case 'consent-done':
      return s.active?.kind === 'consent' ? stop(s) : { state: s, effects: [] }
    case 'start-failed':
      // The switch refused: nothing runs, so nothing is to be stopped later.
      return s.active?.recordingId === input.recordingId ? { state: { ...s, active: undefined }, effects: [] } : { state: s, effects: [] }
    case 'call-is-order':
      if (s.order) return { state: s, effects: [] }
      return { state: { ...s, order: true }, effects: [{ type: 'upgrade-retention', callId: s.callId, retentionClass: 'order' }] }
    default:
      return input satisfies never
  }
}

/**
 * The shell around the pure segment policy: owns each live call's recording set, runs the
 * effects through the RecorderPort and the store, and closes recordings from RECORD_STOP events
 * (fed by the lead's ESL wiring through `onRecordEvent`). Work for one call runs in order.
 */
import type { CallEvent } from '../calls/index.ts'
import { Bus, err, ok, type Clock, type Result, type TimerHandle } from '../shared/index.ts'
import {
  closePauses, decideSegment, newCallRecordings, parseRecordEvent, pauseAt, resumeAt, wavDurationMs, keepUntil,
  type CallContext, type CallRecordings, type PauseError, type SegmentConfig, type SegmentEffect, type SegmentInput,
} from './core/index.ts'
import type { RecordingEvent, RecordingLog } from './events.ts'
import type { RecorderPort } from './recorder-port.ts'
import type { RecordingFiles } from './recording-files.ts'
import type { Recording, RecordingStore } from './recording.ts'

export interface RecordingServiceDeps extends SegmentConfig {
  readonly store: RecordingStore
  readonly recorder: RecorderPort
  readonly files: RecordingFiles
  readonly clock: Clock
  readonly log: RecordingLog
  /** Agent, queue, customer and order flag of a call reaching an agent (from the ACD, IVR, CDR). */
  readonly contextOf: (callId: string, agentLeg: string) => CallContext | Promise<CallContext>
  readonly events?: Bus<RecordingEvent>
  /** How long to wait for RECORD_STOP after a stop before checking the file ourselves. */
  readonly stopGraceMs?: number
}

export type RecordingFailureCode = 'recording-not-found' | 'recording-not-active' | PauseError | 'recording-switch-failed'
export interface RecordingFailure {
  readonly code: RecordingFailureCode
  readonly message: string
}

export class RecordingService {
  readonly events: Bus<RecordingEvent>
  readonly #d: RecordingServiceDeps
  readonly #calls = new Map<string, CallRecordings>()
  readonly #chains = new Map<string, Promise<void>>()
  readonly #pending = new Set<Promise<unknown>>()
  readonly #graceTimers = new Set<TimerHandle>()

  constructor(deps: RecordingServiceDeps) {
    this.#d = deps
    this.events = deps.events ?? new Bus<RecordingEvent>((error) => deps.log.error({ error }, 'recording: an event subscriber failed'))
  }

  onCallEvent(e: CallEvent): void {
    switch (e.type) {
      case 'call-bridged':
        this.#input(e.callId, async () => ({ type: 'call-bridged', customerLeg: e.customerLeg, context: await this.#d.contextOf(e.callId, e.agentLeg) }))
        return
      case 'call-unbridged':
        this.#input(e.callId, () => ({ type: 'call-unbridged' }))
        return
      case 'call-ended':
        this.#input(e.call.id, () => ({ type: 'call-ended' }), true)
        return
      default:
        return
    }
  }

  /** An IVR flow asked to record its consent prompt (an explicit `record-consent` step). */
  recordConsent(callId: string, leg: string, context: CallContext = {}): void {
    this.#input(callId, () => ({ type: 'record-consent', leg, context }))
  }

  consentDone(callId: string): void {
    this.#input(callId, () => ({ type: 'consent-done' }))
  }

  /** The IVR or the agent flagged the call as a phone order: its recordings are kept as proof. */
  markOrder(callId: string): void {
    this.#input(callId, () => ({ type: 'call-is-order' }))
  }

  /** RECORD_START / RECORD_STOP headers from the ESL client; other events are ignored. */
  onRecordEvent(headers: Readonly<Record<string, string | undefined>>): void {
    const fact = parseRecordEvent(headers)
    if (fact === undefined) return
    if (!fact.ok) return this.#d.log.warn({ problem: fact.error }, 'recording: unusable record event dropped')
    if (fact.value.kind === 'started') return
    const f = fact.value
    void this.#withRecording(() => this.#d.store.activeByFile(f.file), async (rec) => {
      // Not running any more: a repeated RECORD_STOP, or the grace check got there first.
      if (rec.status === 'recording') await this.#finalize(rec, f.durationMs, `RECORD_STOP ${f.cause}`)
    })
  }

  pause(id: string): Promise<Result<Recording, RecordingFailure>> {
    return this.#mask(id, 'pause')
  }

  resume(id: string): Promise<Result<Recording, RecordingFailure>> {
    return this.#mask(id, 'resume')
  }

  /**
   * Shutdown: the grace checks still armed are dropped (a restarted Hotline finishes those
   * recordings from the files on disk), so nothing keeps the process alive.
   */
  stop(): void {
    for (const t of this.#graceTimers) t.cancel()
    this.#graceTimers.clear()
  }

  /** Resolves once every piece of work queued so far has finished (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending])
  }

  #input(callId: string, make: () => SegmentInput | Promise<SegmentInput>, last = false): void {
    this.#chain(callId, async () => {
      const input = await make()
      const state = this.#calls.get(callId) ?? newCallRecordings(callId, await this.#d.store.lastSegment(callId))
      const r = decideSegment(state, input, this.#d, this.#d.clock.now())
      if (last) this.#calls.delete(callId)
      else this.#calls.set(callId, r.state)
      for (const eff of r.effects) await this.#run(callId, eff)
    })
  }

  async #run(callId: string, eff: SegmentEffect): Promise<void> {
    switch (eff.type) {
      case 'start-recording': {
        const rec = eff.recording
        // The row exists before FreeSWITCH is asked, so a failure is recorded, never lost.
        await this.#d.store.insert(rec)
        await this.#d.files.prepare(rec.file).catch((error: unknown) => this.#d.log.warn({ error, file: rec.file }, 'recording: could not create the folder'))
        const s = await this.#d.recorder.start(rec.leg, rec.file, { stereo: eff.stereo })
        if (s.ok) return this.events.publish({ type: 'recording-started', recording: rec })
        await this.#d.store.fail(rec.id, s.error.message, this.#d.clock.now())
        this.#d.log.error({ recording: rec.id, callId, file: rec.file, error: s.error }, 'recording: FreeSWITCH refused to start the recording')
        this.events.publish({ type: 'recording-failed', id: rec.id, callId, status: 'failed', problem: s.error.message })
        const r = decideSegment(this.#calls.get(callId) ?? newCallRecordings(callId), { type: 'start-failed', recordingId: rec.id }, this.#d, this.#d.clock.now())
        if (this.#calls.has(callId)) this.#calls.set(callId, r.state)
        return
      }
      case 'stop-recording': {
        const s = await this.#d.recorder.stop(eff.leg, eff.file)
        // A hung-up leg stops its own recordings (RECORD_STOP in CS_HANGUP, fact 14): a refused stop is expected then.
        if (!s.ok) this.#d.log.info({ recording: eff.recordingId, error: s.error }, 'recording: stop refused; waiting for RECORD_STOP')
        this.#armStopGrace(callId, eff.recordingId)
        return
      }
      case 'upgrade-retention': {
        for (const rec of await this.#d.store.listByCall(eff.callId)) {
          const until = Math.max(rec.keepUntil, keepUntil(rec.startedAt, eff.retentionClass, this.#d.retention))
          await this.#d.store.setRetention(rec.id, eff.retentionClass, until)
        }
        return
      }
      default:
        return eff satisfies never
    }
  }

  /** If RECORD_STOP never comes (Hotline was away), the file on disk closes the recording. */
  #armStopGrace(callId: string, id: string): void {
    const timer = this.#d.clock.setTimer(this.#d.stopGraceMs ?? 60_000, () => {
      this.#graceTimers.delete(timer)
      this.#chain(callId, async () => {
        const rec = await this.#d.store.get(id)
        if (rec?.status === 'recording') await this.#finalize(rec, undefined, 'no RECORD_STOP after stop')
      })
    })
    this.#graceTimers.add(timer)
  }

  async #finalize(rec: Recording, reportedMs: number | undefined, why: string): Promise<void> {
    const now = this.#d.clock.now()
    const facts = await this.#d.files.inspect(rec.file)
    if (!facts || facts.size === 0) {
      const problem = `${why}, but ${rec.file} is ${facts ? 'empty' : 'not on disk'}`
      const durationMs = reportedMs
      await this.#d.store.finish(rec.id, { status: 'missing-file', endedAt: now, durationMs, sizeBytes: facts?.size, sha256: undefined, pauses: closePauses(rec.pauses, durationMs ?? now - rec.startedAt), problem })
      this.#d.log.error({ recording: rec.id, callId: rec.callId, file: rec.file }, `recording: ${problem}`)
      this.events.publish({ type: 'recording-failed', id: rec.id, callId: rec.callId, status: 'missing-file', problem })
      return
    }
    const durationMs = reportedMs ?? (rec.format === 'wav' ? wavDurationMs(facts.header, facts.size) : undefined)
    const pauses = closePauses(rec.pauses, durationMs ?? now - rec.startedAt)
    const done = await this.#d.store.finish(rec.id, { status: 'complete', endedAt: now, durationMs, sizeBytes: facts.size, sha256: facts.sha256, pauses, problem: undefined })
    if (done) this.events.publish({ type: 'recording-completed', id: rec.id, callId: rec.callId, durationMs, sizeBytes: facts.size })
  }

  async #mask(id: string, action: 'pause' | 'resume'): Promise<Result<Recording, RecordingFailure>> {
    const r = await this.#withRecording(() => this.#d.store.get(id), (rec) => this.#maskNow(rec, action))
    return r ?? err({ code: 'recording-not-found', message: `no recording ${id}` })
  }

  /**
   * Runs op on the freshest copy of a recording, in its call's chain, so that a pause and the
   * RECORD_STOP of the same recording never overwrite each other's pauses.
   */
  #withRecording<T>(find: () => Promise<Recording | undefined>, op: (rec: Recording) => Promise<T>): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve) => {
      const found = find().then((first) => {
        if (!first) return resolve(undefined)
        this.#chain(first.callId, async () => {
          const fresh = await this.#d.store.get(first.id)
          resolve(fresh ? await op(fresh) : undefined)
        }, () => resolve(undefined))
      })
      this.#track(found.catch((error: unknown) => {
        this.#d.log.error({ error }, 'recording: store lookup failed')
        resolve(undefined)
      }))
    })
  }

  async #maskNow(rec: Recording, action: 'pause' | 'resume'): Promise<Result<Recording, RecordingFailure>> {
    const id = rec.id
    if (rec.status !== 'recording') return err({ code: 'recording-not-active', message: `recording ${id} is ${rec.status}, not running` })
    const offsetMs = this.#d.clock.now() - rec.startedAt
    const next = action === 'pause' ? pauseAt(rec.pauses, offsetMs) : resumeAt(rec.pauses, offsetMs)
    if (!next.ok) return err({ code: next.error, message: `recording ${id}: ${next.error}` })
    const s = action === 'pause' ? await this.#d.recorder.mask(rec.leg, rec.file) : await this.#d.recorder.unmask(rec.leg, rec.file)
    if (!s.ok) return err({ code: 'recording-switch-failed', message: s.error.message })
    if (!(await this.#d.store.setPauses(id, next.value))) return err({ code: 'recording-not-active', message: `recording ${id} ended meanwhile` })
    this.events.publish({ type: action === 'pause' ? 'recording-paused' : 'recording-resumed', id, callId: rec.callId, offsetMs })
    return ok({ ...rec, pauses: next.value })
  }

  #chain(key: string, op: () => Promise<void>, onError?: () => void): void {
    const prev = this.#chains.get(key) ?? Promise.resolve()
    const next = prev.then(op).catch((error: unknown) => {
      this.#d.log.error({ error, key }, 'recording: work for a call failed')
      onError?.()
    })
    this.#chains.set(key, next)
    this.#track(next)
    void next.finally(() => {
      if (this.#chains.get(key) === next) this.#chains.delete(key)
    })
  }

  #track(p: Promise<unknown>): void {
    this.#pending.add(p)
    void p.finally(() => this.#pending.delete(p))
  }
}

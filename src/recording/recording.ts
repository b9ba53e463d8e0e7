/**
 * A recording's metadata and the store port the shell and the routes use. The knex adapter is
 * knex-recording-store.ts.
 */
import type { NewRecording, PauseSpan } from './core/index.ts'

/**
 * `recording` while FreeSWITCH writes; `complete` once the file is checked and hashed;
 * `missing-file` when FreeSWITCH reported a stop but no file is on disk; `failed` when the start
 * was refused; `deleting` while a sweep holds it; `deleted` after retention removed the file.
 */
export type RecordingStatus = 'recording' | 'complete' | 'missing-file' | 'failed' | 'deleting' | 'deleted'

/** A recording as stored: what was decided at its start, plus what its end and life added. */
export interface Recording extends Omit<NewRecording, 'channels'> {
  readonly channels: number
  readonly endedAt: number | undefined
  readonly durationMs: number | undefined
  readonly sizeBytes: number | undefined
  readonly sha256: string | undefined
  readonly legalHold: boolean
  readonly holdReason: string | undefined
  readonly status: RecordingStatus
  readonly pauses: readonly PauseSpan[]
  /** Why a recording is failed or missing its file. */
  readonly problem: string | undefined
}

export interface RecordingEnding {
  readonly status: 'complete' | 'missing-file'
  readonly endedAt: number
  readonly durationMs: number | undefined
  readonly sizeBytes: number | undefined
  readonly sha256: string | undefined
  readonly pauses: readonly PauseSpan[]
  readonly problem: string | undefined
}

export interface RecordingFilter {
  readonly from?: number | undefined
  readonly to?: number | undefined
  readonly agentId?: string | undefined
  readonly queue?: string | undefined
  readonly caller?: string | undefined
  readonly customer?: string | undefined
  readonly disposition?: string | undefined
  readonly status?: RecordingStatus | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

export interface Deletion {
  readonly recording: Recording
  readonly deletedAt: number
  readonly sweep: string
  readonly fileWasPresent: boolean
}

export interface AccessEntry {
  readonly recordingId: string
  readonly userId: string
  readonly username: string
  readonly role: string
  readonly action: 'play' | 'download'
  readonly range: string | undefined
  readonly at: number
}

export interface RecordingStore {
  insert(r: NewRecording): Promise<void>
  get(id: string): Promise<Recording | undefined>
  /** The highest segment number stored for a call (0 if none): seeds numbering after a restart. */
  lastSegment(callId: string): Promise<number>
  listByCall(callId: string): Promise<Recording[]>
  /** The running recording FreeSWITCH writes to this path, if any. */
  activeByFile(file: string): Promise<Recording | undefined>
  /** Closes a running recording; false when it was not running (a repeated RECORD_STOP). */
  finish(id: string, e: RecordingEnding): Promise<boolean>
  fail(id: string, problem: string, at: number): Promise<boolean>
  setPauses(id: string, pauses: readonly PauseSpan[]): Promise<boolean>
  setRetention(id: string, retentionClass: string, keepUntil: number): Promise<void>
  /** false when the recording is being deleted or is gone. */
  setLegalHold(id: string, hold: boolean, reason: string | undefined): Promise<boolean>
  search(f: RecordingFilter): Promise<Recording[]>
  logAccess(a: AccessEntry): Promise<void>
  listAccess(recordingId: string): Promise<AccessEntry[]>
  /** Marks up to `limit` due, unheld, complete rows as `deleting` for `sweep`; returns those it won. */
  claimDue(now: number, sweep: string, limit: number): Promise<Recording[]>
  /** Takes over rows left in `deleting` by a sweep that died before `staleBefore`. */
  claimStuck(staleBefore: number, now: number, sweep: string, limit: number): Promise<Recording[]>
  /** Writes each audit row (once per recording) and marks the recordings deleted, in one transaction. */
  finishDeletions(ds: readonly Deletion[]): Promise<void>
  /** Gives a claimed row back (its file could not be removed); the next sweep tries again. */
  releaseClaim(id: string, sweep: string): Promise<void>
  deletions(): Promise<Array<{ recordingId: string; filePath: string; deletedAt: number; sweep: string; fileWasPresent: boolean }>>
}

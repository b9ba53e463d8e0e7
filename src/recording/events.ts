/** What recording tells the rest of Hotline (console, wallboard, alarms), in the past tense. */
import type { NewRecording } from './core/index.ts'

export type RecordingEvent =
  | { readonly type: 'recording-started'; readonly recording: NewRecording }
  | { readonly type: 'recording-completed'; readonly id: string; readonly callId: string; readonly durationMs: number | undefined; readonly sizeBytes: number }
  | { readonly type: 'recording-failed'; readonly id: string; readonly callId: string; readonly status: 'failed' | 'missing-file'; readonly problem: string }
  | { readonly type: 'recording-paused'; readonly id: string; readonly callId: string; readonly offsetMs: number }
  | { readonly type: 'recording-resumed'; readonly id: string; readonly callId: string; readonly offsetMs: number }
  | { readonly type: 'recording-deleted'; readonly id: string; readonly callId: string; readonly file: string }
  | { readonly type: 'recording-disk-low'; readonly root: string; readonly freeBytes: number; readonly thresholdBytes: number }

export interface RecordingLog {
  info(o: object, msg: string): void
  warn(o: object, msg: string): void
  error(o: object, msg: string): void
}

/**
 * Pause spans of one recording (masked for card numbers, fact 15: `uuid_record mask` makes the
 * span digital silence and fires no event, so Hotline's own record is the only trace of it).
 * Offsets are milliseconds from the start of the recording.
 */
import { err, ok, type Result } from '../../shared/index.ts'

export interface PauseSpan {
  readonly startMs: number
  readonly endMs?: number
}

export type PauseError = 'recording-already-paused' | 'recording-not-paused'

export const isPaused = (pauses: readonly PauseSpan[]): boolean => pauses.at(-1)?.endMs === undefined && pauses.length > 0

export function pauseAt(pauses: readonly PauseSpan[], offsetMs: number): Result<PauseSpan[], PauseError> {
  if (isPaused(pauses)) return err('recording-already-paused')
  return ok([...pauses, { startMs: Math.max(0, offsetMs) }])
}

export function resumeAt(pauses: readonly PauseSpan[], offsetMs: number): Result<PauseSpan[], PauseError> {
  const last = pauses.at(-1)
  if (!last || last.endMs !== undefined) return err('recording-not-paused')
  return ok([...pauses.slice(0, -1), { startMs: last.startMs, endMs: Math.max(last.startMs, offsetMs) }])
}

/** A recording that stops while paused: the span ends where the recording does. */
export const closePauses = (pauses: readonly PauseSpan[], endMs: number): PauseSpan[] =>
  pauses.map((p) => (p.endMs === undefined ? { startMs: p.startMs, endMs: Math.max(p.startMs, endMs) } : p))

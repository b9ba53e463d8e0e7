/**
 * RECORD_START / RECORD_STOP event headers (esl-captures fact 14) reduced to what recording needs.
 * Parsed once at the edge; a malformed event is a value, not an exception.
 */
import { err, ok, type Result } from '../../shared/index.ts'

export type RecordEventFact =
  | { readonly kind: 'started'; readonly leg: string; readonly file: string }
  | {
      readonly kind: 'stopped'; readonly leg: string; readonly file: string
      /** `success-maxtime` after stop or a limit; `success-silence` when the call hung up mid-recording. */
      readonly cause: string
      readonly durationMs: number | undefined
      readonly reportedSize: number | undefined
    }

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || !/^\d+$/.test(v)) return undefined
  return Number(v)
}

/** undefined for other events; an error string for a RECORD_* event we cannot use. */
export function parseRecordEvent(h: Readonly<Record<string, string | undefined>>): Result<RecordEventFact, string> | undefined {
  const name = h['Event-Name']
  if (name !== 'RECORD_START' && name !== 'RECORD_STOP') return undefined
  const file = h['Record-File-Path']
  const leg = h['Unique-ID'] ?? ''
  if (file === undefined || file === '') return err(`${name} without Record-File-Path`)
  if (name === 'RECORD_START') return ok({ kind: 'started', leg, file })
  return ok({
    kind: 'stopped', leg, file,
    cause: h['Record-Completion-Cause'] ?? h['variable_record_completion_cause'] ?? 'unknown',
    durationMs: num(h['variable_record_ms']),
    reportedSize: num(h['variable_record_file_size']),
  })
}

/**
 * Duration of a PCM WAV from its header's byte rate, for a recording whose RECORD_STOP never came
 * (Hotline was away when the call ended). undefined when the header is not a plain RIFF/WAVE one.
 */
export function wavDurationMs(header: Uint8Array, fileSize: number): number | undefined {
  if (header.length < 44) return undefined
  const ascii = (from: number): string => String.fromCharCode(...header.subarray(from, from + 4))
  if (ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE' || ascii(12) !== 'fmt ') return undefined
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength)
  const byteRate = v.getUint32(28, true)
  if (byteRate === 0) return undefined
  return Math.round(((fileSize - 44) / byteRate) * 1000)
}

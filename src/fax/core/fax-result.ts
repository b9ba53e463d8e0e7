/**
 * What mod_spandsp reports when a fax ends: the CUSTOM events spandsp::rxfaxresult and
 * spandsp::txfaxresult (esl-captures 09-fax, 19-fax-parked, fact 22). They carry the channel's
 * headers (Unique-ID …) plus lowercase `fax-*` fields. `fax-remote-station-id` is absent on a
 * failed receive; a sender hanging up mid-fax gives code 49 "The call dropped prematurely".
 */
import type { AttemptOutcome } from './model.ts'

export type FaxDirection = 'rx' | 'tx'

export interface FaxResult {
  readonly direction: FaxDirection
  readonly leg: string
  readonly success: boolean
  /** spandsp's T.30 completion code: 0 is OK. */
  readonly code: number | undefined
  readonly text: string
  readonly pages: number
  readonly totalPages: number
  readonly transferRate: number | undefined
  readonly ecm: boolean
  readonly t38: string | undefined
  readonly badRows: number
  readonly imageResolution: string | undefined
  readonly localStationId: string | undefined
  readonly remoteStationId: string | undefined
}

const SUBCLASS: Readonly<Record<string, FaxDirection>> = { 'spandsp::rxfaxresult': 'rx', 'spandsp::txfaxresult': 'tx' }

const int = (v: string | undefined): number | undefined => {
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return undefined
  return Number(v)
}
const text = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v)

/**
 * Reads a fax result from an event's headers; `undefined` when the headers are not a spandsp
 * result (another CUSTOM event) or name no leg. Missing numbers read as 0 or undefined, so a
 * truncated event is still recorded rather than dropped.
 */
export function parseFaxResult(h: Readonly<Record<string, string>>): FaxResult | undefined {
  const direction = SUBCLASS[h['Event-Subclass'] ?? '']
  const leg = h['Unique-ID']
  if (!direction || !leg) return undefined
  const code = int(h['fax-result-code'])
  return {
    direction,
    leg,
    success: h['fax-success'] === '1' && (code === undefined || code === 0),
    code,
    text: h['fax-result-text'] ?? 'no result text',
    pages: int(h['fax-document-transferred-pages']) ?? 0,
    totalPages: int(h['fax-document-total-pages']) ?? 0,
    transferRate: int(h['fax-transfer-rate']),
    ecm: h['fax-ecm-used'] === 'on',
    t38: text(h['fax-t38-status']),
    badRows: int(h['fax-bad-rows']) ?? 0,
    imageResolution: text(h['fax-image-resolution']),
    localStationId: text(h['fax-local-station-id']),
    remoteStationId: text(h['fax-remote-station-id']),
  }
}

/** A txfax result as the outcome of an outbound attempt. */
export function outcomeOfSend(r: FaxResult): AttemptOutcome {
  if (r.success) return { kind: 'sent', pages: r.pages }
  return { kind: 'fax-failed', code: r.code, text: r.text, pages: r.pages }
}

/** Hangup causes that mean the number itself is wrong: another try cannot help. */
const NUMBER_REJECTED = new Set(['UNALLOCATED_NUMBER', 'INVALID_NUMBER_FORMAT', 'NUMBER_CHANGED', 'NO_ROUTE_DESTINATION'])
const BUSY = new Set(['USER_BUSY'])
const NO_ANSWER = new Set(['NO_ANSWER', 'NO_USER_RESPONSE', 'ORIGINATOR_CANCEL', 'PROGRESS_TIMEOUT'])

/**
 * A failed originate as an attempt outcome. The cause is the BACKGROUND_JOB's `-ERR <CAUSE>`
 * (esl-captures fact 13/16). A SIP 404 arrives as NO_ROUTE_DESTINATION, so it counts as a
 * wrong number too.
 */
export function outcomeOfDialFailure(cause: string): AttemptOutcome {
  const c = cause.trim().toUpperCase()
  if (BUSY.has(c)) return { kind: 'busy', cause: c }
  if (NO_ANSWER.has(c)) return { kind: 'no-answer', cause: c }
  if (NUMBER_REJECTED.has(c)) return { kind: 'number-rejected', cause: c }
  return { kind: 'dial-failed', cause: c || 'UNKNOWN' }
}

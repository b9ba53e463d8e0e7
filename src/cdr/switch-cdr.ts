/**
 * What FreeSWITCH itself recorded about a call: the file mod_xml_cdr writes for every channel when
 * it is destroyed (`<log-dir>/a_<uuid>.cdr.xml` with the kit's prefix-a-leg; mod_xml_cdr.c
 * my_on_reporting). It is written whether or not Hotline is connected, so it is how a call that
 * ended while Hotline was down gets its real end time and cause. Pure: the shell reads the file.
 *
 * The layout (switch_ivr.c switch_ivr_generate_xml_cdr): `<cdr><variables><name>value</name>…`,
 * each value URL-encoded (switch_url_encode), end_uepoch in microseconds since the epoch.
 */

export interface SwitchCdr {
  readonly uuid: string
  /** Epoch ms of the hangup, as the switch saw it. */
  readonly endedAt: number
  readonly hangupCause: string
  /** hotline_call_id when the call was stamped, else the uuid (calls/core/track.ts). */
  readonly callId: string
}

export type SwitchCdrParse = { readonly ok: true; readonly value: SwitchCdr } | { readonly ok: false; readonly reason: string }

function variable(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)
  if (!m) return undefined
  try {
    return decodeURIComponent((m[1] ?? '').replace(/\+/g, ' '))
  } catch {
    return m[1]
  }
}

export function parseSwitchCdr(xml: string): SwitchCdrParse {
  const vars = /<variables>([\s\S]*?)<\/variables>/.exec(xml)?.[1]
  if (vars === undefined) return { ok: false, reason: 'no <variables> section' }
  const uuid = variable(vars, 'uuid')
  if (!uuid) return { ok: false, reason: 'no uuid variable' }
  const micro = Number(variable(vars, 'end_uepoch'))
  const seconds = Number(variable(vars, 'end_epoch'))
  const endedAt = Number.isFinite(micro) && micro > 0 ? Math.round(micro / 1000) : Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined
  if (endedAt === undefined) return { ok: false, reason: 'no end_uepoch or end_epoch' }
  const hangupCause = variable(vars, 'hangup_cause') ?? 'UNKNOWN'
  return { ok: true, value: { uuid, endedAt, hangupCause, callId: variable(vars, 'hotline_call_id') || uuid } }
}

/** The file names mod_xml_cdr may have used for a call's customer leg (with and without the a_ prefix). */
export const switchCdrFiles = (callId: string): readonly string[] => [`a_${callId}.cdr.xml`, `${callId}.cdr.xml`]

export interface OpenCdr {
  readonly callId: string
  readonly arrivedAt: number
  readonly ivrEndedAt?: number
  readonly queuedAt?: number
  readonly answeredAt?: number
}

/**
 * The cause of a CDR closed without the switch's record, at the last moment Hotline knew the call
 * was up: the same cause CallService gives a call it finds gone at a reconcile (LOST_WHILE_AWAY).
 */
export const LAST_SEEN_CAUSE = 'ENDED_WHILE_DISCONNECTED'

/**
 * How an open CDR whose call is gone closes: with the switch's end time and cause when its file
 * was found, else at the last moment Hotline saw the call (the latest time the row holds).
 */
export function closingOf(row: OpenCdr, found: SwitchCdr | undefined): { readonly endedAt: number; readonly hangupCause: string; readonly from: 'switch' | 'last-seen' } {
  if (found) return { endedAt: Math.max(found.endedAt, row.arrivedAt), hangupCause: found.hangupCause, from: 'switch' }
  const seen = Math.max(row.arrivedAt, row.ivrEndedAt ?? 0, row.queuedAt ?? 0, row.answeredAt ?? 0)
  return { endedAt: seen, hangupCause: LAST_SEEN_CAUSE, from: 'last-seen' }
}

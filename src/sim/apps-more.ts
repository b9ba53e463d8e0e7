/** bridge, eavesdrop, record, record_session, rxfax and txfax. */
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Channel } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import type { AppRun } from './apps.ts'
import { originate, parseCallUrl } from './originate.ts'
import { emitDtmf } from './playback.ts'
import { writeSilence } from './switch.ts'

/** bridge <dialstring>: the app runs inside park and completes when the bridge ends. */
export function bridgeApp(r: AppRun): void {
  // The app's argument is the call url itself: no blank splitting before switch_ivr_originate.
  const req = parseCallUrl(r.app.arg)
  if (!req) return r.complete('_none_')
  let far: Channel | undefined
  const vars = new Map([...req.vars, ['bridge_caller', r.ch.uuid]])
  originate(r.sw, { ...req, vars, app: '', appArg: '' }, (body) => {
    const uuid = /^\+OK (\S+)/.exec(body)?.[1]
    far = uuid ? r.sw.channels.get(uuid) : undefined
    if (!far || r.ch.hangupCause) {
      r.ch.vars.set('originate_disposition', body.replace(/^-ERR /, '').trim())
      return r.complete('_none_')
    }
    r.sw.bridge(r.ch, far)
    r.ch.onBridgeEnd = (cause) => {
      r.complete('_none_')
      if (r.ch.vars.get('park_after_bridge') === 'true') r.sw.park(r.ch, r.ch.parkAppUuid)
      else if (r.ch.vars.get('hangup_after_bridge') === 'true') r.sw.hangup(r.ch, cause)
    }
  })
  // The far leg learns its uuid only via the result; a ringing far leg is found by its caller id.
  r.app.stop = (why) => {
    const ringing = [...r.sw.channels.values()].find((c) => c.vars.get('bridge_caller') === r.ch.uuid && !c.answeredAt)
    if (ringing) r.sw.hangup(ringing, why === 'hangup' ? 'ORIGINATOR_CANCEL' : 'NORMAL_CLEARING')
    r.complete('_none_')
  }
}

/** eavesdrop <uuid>: no event on the target; ends when either side leaves (fact 21). */
export function eavesdropApp(r: AppRun): void {
  const target = r.sw.channels.get(r.app.arg.trim())
  if (!target) return r.complete('_none_')
  const unwatch = r.sw.watch(target.uuid, () => r.complete('_none_'))
  r.app.dtmf = (digit, source) => emitDtmf(r.sw, r.ch, digit, source)
  r.app.stop = () => {
    unwatch()
    r.complete('_none_')
  }
}

export function startRecording(sw: SimSwitch, ch: Channel, path: string, limitSeconds?: number): void {
  const rec = { startedAt: sw.now(), timer: undefined as ReturnType<SimSwitch['after']> | undefined }
  ch.recordings.set(path, rec)
  sw.emitChannel('MEDIA_BUG_START', ch, { 'Media-Bug-Function': 'session_record', 'Media-Bug-Target': path })
  sw.emitChannel('RECORD_START', ch, { 'Record-File-Path': path })
  // A limit of N s stops a little early on the real switch (fact 14: 2 s → 1.94 s).
  if (limitSeconds && limitSeconds > 0) {
    rec.timer = sw.after(limitSeconds * 1000 - 60, () => sw.stopRecording(ch, path, rec, 'success-maxtime'))
  }
}

export function recordSessionApp(r: AppRun): void {
  const [path = '', limit] = r.app.arg.trim().split(/\s+/)
  startRecording(r.sw, r.ch, path, limit ? Number(limit) : undefined)
  r.complete('_none_')
}

/**
 * record <path> [<limit s>]: a caller's message (mod_dptools record_function →
 * switch_ivr_record_file). Unlike record_session it creates no folder: when the file cannot be
 * opened the app hangs the caller up with DESTINATION_OUT_OF_ORDER. It ends at the limit, on a
 * terminator key (`playback_terminators`, `*` when unset) or when the caller hangs up, and the
 * file is on disk at RECORD_STOP, which carries no completion cause on this path.
 */
export function recordApp(r: AppRun): void {
  const [path = '', limit] = r.app.arg.trim().split(/\s+/)
  r.app.stop = () => r.complete('_none_')
  if (!path || !existsSync(dirname(path))) return r.sw.hangup(r.ch, 'DESTINATION_OUT_OF_ORDER')
  const startedAt = r.sw.now()
  r.sw.emitChannel('RECORD_START', r.ch, { 'Record-File-Path': path })
  let stopped = false
  const stop = (): void => {
    if (stopped) return
    stopped = true
    const ms = r.sw.now() - startedAt
    for (const [k, v] of Object.entries({ record_ms: String(ms), record_seconds: String(Math.floor(ms / 1000)), record_samples: String(ms * 8) })) r.ch.vars.set(k, v)
    writeSilence(path, ms * 8, 1)
    r.sw.emitChannel('RECORD_STOP', r.ch, { 'Record-File-Path': path })
    r.complete('_none_')
  }
  r.app.stop = stop
  if (limit && Number(limit) > 0) r.app.timer = r.sw.after(Number(limit) * 1000, stop)
  r.app.dtmf = (digit, source) => {
    const set = r.ch.vars.get('playback_terminators') ?? '*'
    const terms = set === 'any' ? '0123456789*#' : set === 'none' ? '' : set
    emitDtmf(r.sw, r.ch, digit, source)
    if (!terms.includes(digit)) return
    r.ch.vars.set('playback_terminator_used', digit)
    stop()
  }
}

export const FAX_MS = 21_500

/** rxfax/txfax: a 2-page fax that takes ~21.5 s (fact 22); a hangup mid-fax is code 49. */
export function faxApp(r: AppRun, dir: 'rx' | 'tx'): void {
  const result = (ok: boolean): void => {
    const fields: Record<string, string> = {
      'fax-success': ok ? '1' : '0', 'fax-result-code': ok ? '0' : '49',
      'fax-result-text': ok ? 'OK' : 'The call dropped prematurely',
      'fax-document-transferred-pages': ok ? '2' : '0', 'fax-document-total-pages': ok ? '2' : '0',
      'fax-image-resolution': '8040x7700', 'fax-image-size': ok ? '2517' : '0', 'fax-bad-rows': '0',
      'fax-transfer-rate': '14400', 'fax-ecm-used': 'on', 'fax-t38-status': 'off', 'fax-local-station-id': 'hotline fax',
    }
    if (ok) fields['fax-remote-station-id'] = 'remote fax'
    r.ch.vars.set('fax_success', fields['fax-success']!)
    r.ch.vars.set('fax_result_code', fields['fax-result-code']!)
    r.ch.vars.set('fax_result_text', fields['fax-result-text']!)
    r.ch.vars.set('fax_document_transferred_pages', fields['fax-document-transferred-pages']!)
    r.sw.emit('CUSTOM', { subclass: `spandsp::${dir}faxresult`, channel: r.ch, fields: { ...fields, uuid: r.ch.uuid } })
    r.complete('_none_')
  }
  r.app.timer = r.sw.after(FAX_MS, () => result(true))
  r.app.stop = () => result(false)
}

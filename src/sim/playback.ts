/**
 * Prompts: PLAYBACK_START/STOP around a timed (or endless) play, `FILE PLAYED` for a normal end
 * and after uuid_break, `PLAYBACK ERROR` when a hangup/transfer/bridge cut it (Playback-Status
 * still `done`), `FILE NOT FOUND` with no playback events for a missing file (fact 15).
 */
import type { Channel } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import type { AppRun } from './apps.ts'
import { fileType } from './media.ts'

export type PlayEnd = 'done' | 'break' | 'missing'

export interface Playing {
  stop(status: 'done' | 'break'): void
}

export function playFile(sw: SimSwitch, ch: Channel, file: string, onEnd: (how: PlayEnd) => void): Playing {
  const length = sw.media(file)
  if (length.kind === 'missing') {
    onEnd('missing')
    return { stop: () => undefined }
  }
  const type = fileType(file)
  const fields: Record<string, string> = { 'Playback-File-Path': file, ...(type ? { 'Playback-File-Type': type } : {}) }
  sw.emitChannel('PLAYBACK_START', ch, fields)
  let over = false
  const end = (status: 'done' | 'break'): void => {
    if (over) return
    over = true
    timer?.cancel()
    ch.vars.set('playback_last_offset_pos', '0')
    ch.vars.set('playback_ms', String(length.kind === 'ms' ? length.ms : 0))
    sw.emitChannel('PLAYBACK_STOP', ch, { ...fields, 'Playback-Status': status })
    onEnd(status)
  }
  const timer = length.kind === 'ms' ? sw.after(length.ms, () => end('done')) : undefined
  return { stop: end }
}

export function emitDtmf(sw: SimSwitch, ch: Channel, digit: string, source: string): void {
  sw.emitChannel('DTMF', ch, { 'DTMF-Digit': digit, 'DTMF-Duration': '2000', 'DTMF-Source': source })
}

/** The playback app; a digit in playback_terminators (or `any`) breaks the prompt. */
export function playMedia(r: AppRun, file: string, done: (response: string) => void): void {
  let cutBy: string | undefined
  const p = playFile(r.sw, r.ch, file, (how) => {
    if (how === 'missing') done('FILE NOT FOUND')
    else done(cutBy && cutBy !== 'break' ? 'PLAYBACK ERROR' : 'FILE PLAYED')
  })
  r.app.stop = (why) => {
    cutBy = why
    p.stop(why === 'break' ? 'break' : 'done')
  }
  r.app.dtmf = (digit, source) => {
    const terms = r.ch.vars.get('playback_terminators') ?? ''
    if (terms === 'any' || (terms !== 'none' && terms.includes(digit))) {
      emitDtmf(r.sw, r.ch, digit, source)
      r.ch.vars.set('playback_terminator_used', digit)
      cutBy = 'break'
      p.stop('break')
      return
    }
    // Not a terminator: the playback does not take the digit, it waits for the next reader.
    r.ch.dtmfQueue.push({ digit, source })
  }
}

/**
 * Prompts: PLAYBACK_START/STOP around a timed (or endless) play, `FILE PLAYED` for a normal end
 * and after uuid_break, `PLAYBACK ERROR` when a hangup/transfer/bridge cut it (Playback-Status
 * still `done`), `FILE NOT FOUND` with no playback events for a missing file (fact 15).
 */
import type { Channel } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import type { AppRun } from './apps.ts'
import { fileType, type MediaLength } from './media.ts'

export type PlayEnd = 'done' | 'break' | 'missing'

export interface Playing {
  stop(status: 'done' | 'break'): void
}

export function playFile(sw: SimSwitch, ch: Channel, file: string, onEnd: (how: PlayEnd) => void): Playing {
  const length = soundLength(sw, file)
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

/**
 * A path that is neither absolute nor a stream is resolved as switch_ivr_play_say.c does: against
 * the `sound_prefix` variable, by default the switch's sounds_dir (switch_core.c). That folder holds
 * none of Hotline's prompts (they live in Hotline's own sounds folder), so on the real switch such a
 * path is FILE NOT FOUND with no PLAYBACK events (seen on 1.11.3) — and here too.
 * A file_string:// list plays when any of its files exists; when none does it is FILE NOT FOUND.
 */
export function soundLength(sw: SimSwitch, file: string): MediaLength {
  if (file.startsWith('file_string://')) {
    const parts = file.slice('file_string://'.length).split('!')
    return parts.every((p) => soundLength(sw, p).kind === 'missing') ? { kind: 'missing' } : sw.media(file)
  }
  if (isRelativeSound(file)) return { kind: 'missing' }
  return sw.media(file)
}

export const isRelativeSound = (file: string): boolean => !file.startsWith('/') && !file.includes('://') && !file.startsWith('{')

export function emitDtmf(sw: SimSwitch, ch: Channel, digit: string, source: string): void {
  sw.emitChannel('DTMF', ch, { 'DTMF-Digit': digit, 'DTMF-Duration': '2000', 'DTMF-Source': source })
}

/**
 * endless_playback <file>: mod_dptools.c endless_playback_function plays the file again and again
 * while the channel is up, and a uuid_break (SWITCH_STATUS_BREAK) only restarts it — even
 * `uuid_break all` (seen on 1.11.3: PLAYBACK_STOP Playback-Status=break, PLAYBACK_START at once).
 * Only a hangup, a transfer or a bridge ends it (PLAYBACK ERROR); a missing file ends it at once.
 * It takes no digits (no input callback).
 */
export function endlessPlayback(r: AppRun, file: string, done: (response: string) => void): void {
  const round = (): void => {
    current = playFile(r.sw, r.ch, file, (how) => {
      if (how === 'missing') done('FILE NOT FOUND')
      else if (how === 'done' && !cut) round()
    })
  }
  let cut = false
  let current: Playing | undefined
  r.app.stop = (why) => {
    if (why === 'break') {
      current?.stop('break')
      round()
      return
    }
    cut = true
    current?.stop('done')
    done('PLAYBACK ERROR')
  }
  r.app.dtmf = (digit, source) => void r.ch.dtmfQueue.push({ digit, source })
  round()
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
    // Unset, the terminator is `*` (mod_dptools.c on_dtmf): the caller's * ends a prompt or hold music.
    const terms = r.ch.vars.get('playback_terminators') ?? '*'
    if (terms === 'any' || (terms !== 'none' && terms.includes(digit))) {
      emitDtmf(r.sw, r.ch, digit, source)
      r.ch.vars.set('playback_terminator_used', digit)
      cutBy = 'break'
      p.stop('break')
      return
    }
    // Not a terminator: the DTMF event fires at once, the playback goes on (seen on 1.11.3 with
    // hold music and `1`). The digit also waits for the next reader (callers who type ahead of a
    // menu, test/ivr-e2e.test.ts).
    emitDtmf(r.sw, r.ch, digit, source)
    r.ch.dtmfQueue.push({ digit, source })
  }
}

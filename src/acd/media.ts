/**
 * What callers and agents hear from the ACD. Prompts are absolute paths under Hotline's own sounds
 * folder: FreeSWITCH resolves a relative path against its `sound_prefix` (its own sounds_dir by
 * default, switch_core.c / switch_ivr_play_say.c), where Hotline's prompts are not, and answers
 * FILE NOT FOUND without a sound (seen on 1.11.3).
 */
import { isAbsolute, join } from 'node:path'
import { say, type Lang } from '../ivr/index.ts'

export interface AcdMedia {
  /** Hold music (`playback` of it plays until broken: CallControl.hold, hold-music.ts). */
  readonly moh: string
  /**
   * Position (1-based), estimated wait (seconds, undefined when unknown) and the key that asks for
   * a callback (undefined when the queue offers none) → prompts.
   */
  readonly announcement: (position: number, estimatedWaitSeconds: number | undefined, callbackKey?: string) => readonly string[]
  readonly callbackConfirmed: readonly string[]
  /** After a feature code worked / failed (an unknown extension, an unknown reason). */
  readonly featureDone: string
  readonly featureFailed: string
}

/** The ACD's prompt ids besides numbers (sounds/prompts.yaml, "what a caller waiting … hears"). */
export const ACD_PROMPTS = ['queue-position', 'queue-position-end', 'queue-wait', 'minutes', 'callback-offer', 'callback-confirmed', 'goodbye'] as const

/** Minutes announced for an estimated wait: at least one. */
export const waitMinutes = (seconds: number): number => Math.max(1, Math.ceil(seconds / 60))

/** The center speaks Mandarin (sounds/zh); `soundsDir` is Hotline's configured ivr.soundsDir, resolved. */
export function defaultMedia(soundsDir: string, lang: Lang = 'zh'): AcdMedia {
  // A relative folder would reach FreeSWITCH as a relative path: a bug in the composition, not input.
  if (!isAbsolute(soundsDir)) throw new Error(`acd media: sounds folder must be absolute, got ${soundsDir}`)
  const file = (id: string): string => join(soundsDir, lang, `${id}.wav`)
  const spoken = (as: 'number' | 'digits', n: number | string): string[] => {
    const ids = say(as, n, lang)
    return Array.isArray(ids) ? ids.map(file) : []
  }
  return {
    moh: 'local_stream://moh',
    announcement: (position, est, key) => [
      file('queue-position'), ...spoken('number', position), file('queue-position-end'),
      ...(est === undefined ? [] : [file('queue-wait'), ...spoken('number', waitMinutes(est)), file('minutes')]),
      ...(key === undefined ? [] : [file('callback-offer'), ...spoken('digits', key)]),
    ],
    callbackConfirmed: [file('callback-confirmed'), file('goodbye')],
    featureDone: 'tone_stream://%(200,0,800)',
    featureFailed: 'tone_stream://%(250,250,450);loops=3',
  }
}

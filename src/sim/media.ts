/**
 * How long the simulated switch plays a file. There are no audio files: a path whose base name
 * starts with `missing` is a missing file (FILE NOT FOUND, fact 15), streams that loop forever
 * (`local_stream://`, `tone_stream://…;loops=-1`) play until broken, `silence_stream://N` lasts
 * N ms, and anything else lasts `promptMs`.
 */
export type MediaLength = { readonly kind: 'missing' } | { readonly kind: 'endless' } | { readonly kind: 'ms'; readonly ms: number }
export type MediaLengths = (file: string) => MediaLength

export function defaultMedia(promptMs = 3000): MediaLengths {
  return (file) => {
    const base = file.split('/').pop() ?? file
    if (base.startsWith('missing')) return { kind: 'missing' }
    if (file.startsWith('local_stream://') || /loops=-1/.test(file)) return { kind: 'endless' }
    const silence = /^silence_stream:\/\/(\d+)/.exec(file)
    if (silence) return { kind: 'ms', ms: Number(silence[1]) }
    if (file.startsWith('tone_stream://')) return { kind: 'ms', ms: 1000 }
    return { kind: 'ms', ms: promptMs }
  }
}

/** Playback-File-Type, sent only for streams. */
export function fileType(file: string): string | undefined {
  const m = /^(local_stream|tone_stream|silence_stream):\/\//.exec(file)
  return m?.[1]
}

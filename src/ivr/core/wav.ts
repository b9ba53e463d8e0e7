/**
 * Reads the header of a RIFF WAV prompt. FreeSWITCH on a PRI/E1 trunk plays 8 kHz mono 16-bit PCM
 * without resampling; any other format is resampled on every play (CPU per channel) or refused,
 * so the checker insists on the telephony format.
 */
export interface WavFormat { readonly audioFormat: number; readonly channels: number; readonly sampleRate: number; readonly bitsPerSample: number }

const ascii = (b: Uint8Array, at: number): string => String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0)

/** The format chunk of a WAV file, or why these bytes are not one. */
export function readWavFormat(bytes: Uint8Array): WavFormat | string {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return 'not a RIFF WAV file'
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 12
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at)
    const size = view.getUint32(at + 4, true)
    if (id === 'fmt ') {
      if (at + 24 > bytes.length) return 'truncated fmt chunk'
      return {
        audioFormat: view.getUint16(at + 8, true),
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        bitsPerSample: view.getUint16(at + 22, true),
      }
    }
    at += 8 + size + (size % 2) // chunks are word-aligned
  }
  return 'no fmt chunk'
}

/** Null when the prompt is telephony-ready, else the reason in the designer's terms. */
export function wavProblem(bytes: Uint8Array): string | null {
  const f = readWavFormat(bytes)
  if (typeof f === 'string') return f
  // audioFormat 0xFFFE (WAVE_FORMAT_EXTENSIBLE) may also carry PCM; sox writes it only for >2 channels or >16 bits.
  const pcm = f.audioFormat === 1
  if (pcm && f.sampleRate === 8000 && f.channels === 1 && f.bitsPerSample === 16) return null
  // Name only what is wrong, e.g. `44100 Hz` or `2 channels 8-bit`.
  const what = [
    ...(f.sampleRate === 8000 ? [] : [`${f.sampleRate} Hz`]),
    ...(f.channels === 1 ? [] : [`${f.channels} channels`]),
    ...(f.bitsPerSample === 16 ? [] : [`${f.bitsPerSample}-bit`]),
    ...(pcm ? [] : [`format ${f.audioFormat} (not PCM)`]),
  ].join(' ')
  return `${what}, expected 8000 Hz mono 16-bit`
}

import t from 'tap'
import { readWavFormat, wavProblem } from './wav.ts'

function wav(rate: number, channels: number, bits: number, format = 1, extraChunk = false): Uint8Array {
  const extra = extraChunk ? 12 : 0
  const b = new Uint8Array(44 + extra)
  const v = new DataView(b.buffer)
  const put = (at: number, s: string): void => { for (let i = 0; i < 4; i++) b[at + i] = s.charCodeAt(i) }
  put(0, 'RIFF'); v.setUint32(4, 36 + extra, true); put(8, 'WAVE')
  let at = 12
  if (extraChunk) { put(at, 'LIST'); v.setUint32(at + 4, 3, true); at += 12 } // odd size: padded to 4
  put(at, 'fmt '); v.setUint32(at + 4, 16, true); v.setUint16(at + 8, format, true); v.setUint16(at + 10, channels, true)
  v.setUint32(at + 12, rate, true); v.setUint32(at + 16, rate * channels * bits / 8, true); v.setUint16(at + 20, channels * bits / 8, true)
  v.setUint16(at + 22, bits, true)
  return b
}

t.test('a telephony prompt (8 kHz mono 16-bit PCM) has no problem', (t) => {
  t.equal(wavProblem(wav(8000, 1, 16)), null)
  t.equal(wavProblem(wav(8000, 1, 16, 1, true)), null, 'the fmt chunk is found after another, word-aligned chunk')
  t.end()
})

t.test('a prompt in another format names exactly what is wrong', (t) => {
  t.equal(wavProblem(wav(44100, 1, 16)), '44100 Hz, expected 8000 Hz mono 16-bit')
  t.equal(wavProblem(wav(8000, 2, 8)), '2 channels 8-bit, expected 8000 Hz mono 16-bit')
  t.equal(wavProblem(wav(8000, 1, 16, 6)), 'format 6 (not PCM), expected 8000 Hz mono 16-bit')
  t.end()
})

t.test('bytes that are not a WAV file are reported, never thrown', (t) => {
  t.equal(wavProblem(new TextEncoder().encode('ID3 this is an mp3')), 'not a RIFF WAV file')
  t.equal(wavProblem(new Uint8Array(0)), 'not a RIFF WAV file')
  t.equal(readWavFormat(wav(8000, 1, 16).subarray(0, 30)), 'truncated fmt chunk')
  const noFmt = wav(8000, 1, 16).subarray(0, 12)
  t.equal(wavProblem(noFmt), 'no fmt chunk')
  t.end()
})

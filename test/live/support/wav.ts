/**
 * Audio for the live tier: tones as 8 kHz 16-bit mono WAV files (what a phone or the carrier
 * "says"), and how much of a recording is a given tone (what the other side "heard"), measured
 * with the Goertzel filter frame by frame, so silence, music or the wrong voice do not pass.
 */
import { readFileSync, writeFileSync } from 'node:fs'

export interface Pcm {
  readonly rate: number
  readonly channels: number
  readonly samples: Int16Array
}

export function writeToneWav(file: string, hz: number, seconds: number, rate = 8000): void {
  const n = Math.round(seconds * rate)
  const data = Buffer.alloc(n * 2)
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2)
  const h = Buffer.alloc(44)
  h.write('RIFF', 0)
  h.writeUInt32LE(36 + data.length, 4)
  h.write('WAVEfmt ', 8)
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(1, 22)
  h.writeUInt32LE(rate, 24)
  h.writeUInt32LE(rate * 2, 28)
  h.writeUInt16LE(2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36)
  h.writeUInt32LE(data.length, 40)
  writeFileSync(file, Buffer.concat([h, data]))
}

/** A PCM WAV (16-bit), walking its chunks: FreeSWITCH and libsndfile write extra ones. */
export function readWav(file: string): Pcm {
  const b = readFileSync(file)
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a WAV file`)
  let at = 12
  let rate = 0
  let channels = 0
  let bits = 0
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4)
    const size = b.readUInt32LE(at + 4)
    const body = at + 8
    if (id === 'fmt ') {
      channels = b.readUInt16LE(body + 2)
      rate = b.readUInt32LE(body + 4)
      bits = b.readUInt16LE(body + 14)
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`${file}: ${bits}-bit samples, expected 16`)
      const len = Math.min(size, b.length - body) & ~1
      const samples = new Int16Array(len / 2)
      for (let i = 0; i < samples.length; i++) samples[i] = b.readInt16LE(body + i * 2)
      return { rate, channels, samples }
    }
    at = body + size + (size & 1)
  }
  throw new Error(`${file}: no data chunk`)
}

/** The share of a frame's energy at `hz` (0…1), by the Goertzel algorithm. */
function toneShare(frame: Int16Array, hz: number, rate: number): number {
  const k = (2 * Math.PI * hz) / rate
  const coeff = 2 * Math.cos(k)
  let s1 = 0
  let s2 = 0
  let energy = 0
  for (const x of frame) {
    const s0 = x + coeff * s1 - s2
    s2 = s1
    s1 = s0
    energy += x * x
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2
  return energy === 0 ? 0 : Math.min(1, (2 * power) / (frame.length * energy))
}

export interface Heard {
  /** Seconds of audio in the file. */
  readonly seconds: number
  /** Seconds of it that held the tone (its share of a 50 ms frame's energy ≥ minShare, not near-silence). */
  readonly toneSeconds: number
}

/**
 * How long the recording holds the tone (first channel of a stereo file, or the one given). A
 * one-voice recording wants the tone to dominate (minShare 0.6, the default); a mono mix of two
 * voices talking at once gives each about its level's share, so such a check asks less.
 */
export function heardTone(file: string, hz: number, o: { channel?: number; minShare?: number } = {}): Heard {
  const pcm = readWav(file)
  const ch = o.channel ?? 0
  const mono = pcm.channels === 1 ? pcm.samples : pcm.samples.filter((_, i) => i % pcm.channels === ch)
  const size = Math.round(pcm.rate / 20)
  let frames = 0
  for (let at = 0; at + size <= mono.length; at += size) {
    const frame = mono.subarray(at, at + size)
    let peak = 0
    for (const x of frame) peak = Math.max(peak, Math.abs(x))
    if (peak > 300 && toneShare(frame, hz, pcm.rate) >= (o.minShare ?? 0.6)) frames++
  }
  return { seconds: mono.length / pcm.rate, toneSeconds: frames / 20 }
}

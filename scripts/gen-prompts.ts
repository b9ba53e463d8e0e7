/**
 * Synthesises the sounds of sounds/prompts.yaml, all 8 kHz mono 16-bit PCM (what an E1/PRI channel
 * carries, so FreeSWITCH never resamples):
 *   <id>: { zh, en }         IVR prompts → sounds/zh/<id>.wav and sounds/en/<id>.wav
 *   <dir>/<id>: { zh, en }   one bilingual announcement, Mandarin then English → sounds/<dir>/<id>.wav
 *                            (the FreeSWITCH kit's safety net plays sounds/system/* while Hotline is
 *                            down, so nothing knows the caller's language)
 *   <dir>/<id>: { chords, bar }  hold music synthesised with sox → sounds/<dir>/<id>.wav (sounds/moh/)
 *   npx tsx scripts/gen-prompts.ts [--force]
 * Installs espeak-ng and sox with apt-get when missing. Idempotent: a sound is regenerated only
 * when its file is missing or its source changed since the last run (sounds/prompts.lock.json keeps
 * a hash of the text or score each file was made from), so a studio recording dropped in stays.
 * sox runs with -R (fixed seeds) and without dither, so the same tools make the same bytes.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const sounds = join(root, 'sounds')
const manifestFile = join(sounds, 'prompts.yaml')
const lockFile = join(sounds, 'prompts.lock.json')
const voices = { zh: 'cmn', en: 'en' } as const
type Lang = keyof typeof voices
/** Part of each prompt's hash: changing how prompts are made regenerates them all. */
const recipe = 'espeak-ng -s 165 | sox -v 0.8 8000/1/16 trim-silence'
const announcementRecipe = `${recipe} | zh + 0.8 s + en, 0.3 s lead-in and tail`
const musicRecipe = 'sox -R -D synth: close-voiced sine pad + triangle bass at -12 dB, pluck at -6 dB, crossfaded bars wrapped for the loop, pluck arpeggio, norm -6'
const telephony = ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer']

/** Chord qualities, as semitones above the root. */
const qualities: Record<string, readonly number[]> = {
  '': [0, 4, 7], m: [0, 3, 7], '7': [0, 4, 7, 10], maj7: [0, 4, 7, 11], m7: [0, 3, 7, 10],
  sus2: [0, 2, 7], sus4: [0, 5, 7], add9: [0, 4, 7, 14],
}
const roots: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 }

interface Chord { readonly name: string; readonly root: number; readonly tones: readonly number[] }
type Sound =
  | { readonly kind: 'prompt'; readonly id: string; readonly texts: Partial<Record<Lang, string>> }
  | { readonly kind: 'announcement'; readonly path: string; readonly zh: string; readonly en: string }
  | { readonly kind: 'music'; readonly path: string; readonly chords: readonly Chord[]; readonly bar: number }

function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function installTools(): void {
  if (have('espeak-ng') && have('sox')) return
  console.log('installing espeak-ng and sox with apt-get …')
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
  execFileSync('apt-get', ['install', '-y', '-qq', 'espeak-ng', 'sox'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
}

function text(id: string, lang: string, t: unknown): string {
  if (typeof t !== 'string' && typeof t !== 'number') throw new Error(`prompts.yaml: ${id}.${lang} must be text`)
  return String(t)
}

function parseChord(id: string, name: string): Chord {
  const m = /^([A-G])([#b]?)(.*)$/.exec(name)
  const tones = qualities[m?.[3] ?? '?']
  if (!m || !tones) throw new Error(`prompts.yaml: ${id}: chord "${name}" (expected a root A-G, # or b, then one of ${Object.keys(qualities).map((q) => `"${q}"`).join(' ')})`)
  const root = ((roots[m[1] ?? 'C'] ?? 0) + (m[2] === '#' ? 1 : m[2] === 'b' ? -1 : 0) + 12) % 12
  return { name, root, tones }
}

function readSound(id: string, entry: Record<string, unknown>): Sound {
  const dir = /^([\w-]+)\/[\w-]+$/.exec(id)?.[1]
  if (dir === undefined) {
    if (id.includes('/')) throw new Error(`prompts.yaml: ${id}: expected <id> or <folder>/<id>`)
    const texts: Partial<Record<Lang, string>> = {}
    for (const lang of Object.keys(voices) as Lang[]) if (entry[lang] !== undefined) texts[lang] = text(id, lang, entry[lang])
    return { kind: 'prompt', id, texts }
  }
  // sounds/zh and sounds/en hold one file per language; a bilingual file there would be played as either.
  if (dir in voices) throw new Error(`prompts.yaml: ${id}: sounds/${dir}/ is for prompts in one language, write "${id.slice(dir.length + 1)}"`)
  if (entry['chords'] !== undefined) {
    const bar = entry['bar']
    if (typeof entry['chords'] !== 'string' || typeof bar !== 'number' || bar < 1 || bar > 20) throw new Error(`prompts.yaml: ${id}: music needs chords: "C Am F G" and bar: seconds (1-20)`)
    return { kind: 'music', path: id, chords: entry['chords'].trim().split(/\s+/).map((c) => parseChord(id, c)), bar }
  }
  return { kind: 'announcement', path: id, zh: text(id, 'zh', entry['zh']), en: text(id, 'en', entry['en']) }
}

function readManifest(): Sound[] {
  const raw = parse(readFileSync(manifestFile, 'utf8')) as Record<string, Record<string, unknown>>
  return Object.entries(raw).map(([id, entry]) => readSound(id, entry))
}

function synthesise(lang: Lang, text: string, out: string, work: string): void {
  const raw = join(work, 'espeak.wav')
  execFileSync('espeak-ng', ['-v', voices[lang], '-s', '165', '-w', raw, text])
  // Trim the leading and trailing silence espeak adds, so concatenated digits sound like one number.
  // -R seeds sox's dither: without it every run writes different bytes for the same text.
  execFileSync('sox', ['-R', '-v', '0.8', raw, ...telephony, out,
    'silence', '1', '0.02', '0.5%', 'reverse', 'silence', '1', '0.02', '0.5%', 'reverse'])
}

/** Mandarin, a pause, English; a short lead-in because the first syllable after answer is often clipped. */
function announce(zh: string, en: string, out: string, work: string): void {
  const [a, b, gap] = [join(work, 'zh.wav'), join(work, 'en.wav'), join(work, 'gap.wav')]
  synthesise('zh', zh, a, work)
  synthesise('en', en, b, work)
  execFileSync('sox', ['-R', '-n', ...telephony, gap, 'trim', '0', '0.8'])
  execFileSync('sox', ['-R', a, gap, b, out, 'pad', '0.3', '0.3'])
}

/** sox names a pitch as %n, n semitones from A4 (440 Hz). C4 is %-9. */
const pitch = (semitonesFromC4: number): string => `%${semitonesFromC4 - 9}`

/**
 * One chord as a soft pad, `length` seconds, faded in and out over `fade`: every tone folded into
 * the octave above middle C (close voicing, so chord changes move by steps) plus the root an
 * octave lower as a triangle, whose overtones survive the telephone band's 300 Hz cut.
 */
function pad(chord: Chord, length: number, fade: number, out: string): void {
  const tones = chord.tones.map((t) => pitch((chord.root + t) % 12))
  const voices = [['triangle', pitch(chord.root - 12)], ...tones.map((p) => ['sine', p])].flat()
  execFileSync('sox', ['-R', '-D', '-n', ...telephony, out, 'synth', String(length), ...voices, 'remix', '-', 'gain', '-n', '-12', 'fade', 'q', String(fade), String(length), String(fade)])
}

/** Four plucked notes per bar, up the chord an octave higher: root, third, fifth, third. */
function arpeggio(chord: Chord, bar: number, out: string, work: string): void {
  const step = bar / 4
  const notes = [0, 1, 2, 1].map((i, n) => {
    const f = join(work, `note-${n}.wav`)
    const semis = chord.root + (chord.tones[i] ?? 0) + 12
    execFileSync('sox', ['-R', '-D', '-n', ...telephony, f, 'synth', String(step), 'pluck', pitch(semis), 'gain', '-n', '-6', 'fade', 'q', '0.01', String(step), String(step * 0.8)])
    return f
  })
  execFileSync('sox', [...notes, out])
}

/**
 * Bars overlap by a crossfade; the tail that runs past the end is mixed back over the start, so
 * the file loops without a gap or click when local_stream plays it again and again.
 */
function compose(chords: readonly Chord[], bar: number, out: string, work: string): void {
  const fade = Math.min(1.5, bar / 3)
  const total = chords.length * bar
  const bars = chords.map((c, i) => {
    const f = join(work, `pad-${i}.wav`)
    pad(c, bar + fade, fade, f)
    const g = join(work, `padded-${i}.wav`)
    execFileSync('sox', [f, g, 'pad', String(i * bar)])
    return g
  })
  const pads = join(work, 'pads.wav')
  execFileSync('sox', ['-D', '-m', ...bars.flatMap((b) => ['-v', '1', b]), pads])
  const [head, tail, loop] = [join(work, 'head.wav'), join(work, 'tail.wav'), join(work, 'loop.wav')]
  execFileSync('sox', [pads, head, 'trim', '0', String(total)])
  execFileSync('sox', [pads, tail, 'trim', String(total)])
  execFileSync('sox', ['-D', '-m', '-v', '1', head, '-v', '1', tail, loop])
  const arps = chords.map((c, i) => {
    const f = join(work, `arp-${i}.wav`)
    arpeggio(c, bar, f, work)
    return f
  })
  const arp = join(work, 'arp.wav')
  execFileSync('sox', [...arps, arp])
  execFileSync('sox', ['-D', '-m', '-v', '1', loop, '-v', '0.35', arp, ...telephony, out, 'norm', '-6'])
}

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16)
}

/** Every file a manifest entry makes: lock key, output path, source hash, how to make it. */
function targets(s: Sound): { key: string; out: string; hash: string; make: (out: string, work: string) => void }[] {
  switch (s.kind) {
    case 'prompt':
      return (Object.entries(s.texts) as [Lang, string][]).map(([lang, t]) => ({
        key: `${lang}/${s.id}`, out: join(sounds, lang, `${s.id}.wav`), hash: hash(recipe, voices[lang], t),
        make: (out, work) => synthesise(lang, t, out, work),
      }))
    case 'announcement':
      return [{ key: s.path, out: join(sounds, `${s.path}.wav`), hash: hash(announcementRecipe, s.zh, s.en), make: (out, work) => announce(s.zh, s.en, out, work) }]
    case 'music':
      return [{
        key: s.path, out: join(sounds, `${s.path}.wav`), hash: hash(musicRecipe, String(s.bar), ...s.chords.map((c) => c.name)),
        make: (out, work) => compose(s.chords, s.bar, out, work),
      }]
  }
}

function main(): void {
  const force = process.argv.includes('--force')
  installTools()
  const lock = existsSync(lockFile) ? (JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, string>) : {}
  const work = mkdtempSync(join(tmpdir(), 'hotline-sounds-'))
  let made = 0
  let kept = 0
  try {
    for (const target of readManifest().flatMap(targets)) {
      if (!force && existsSync(target.out) && lock[target.key] === target.hash) {
        kept++
        continue
      }
      mkdirSync(dirname(target.out), { recursive: true })
      target.make(target.out, work)
      lock[target.key] = target.hash
      made++
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  writeFileSync(lockFile, JSON.stringify(Object.fromEntries(Object.entries(lock).sort()), null, 1) + '\n')
  console.log(`sounds: ${made} generated, ${kept} unchanged`)
}

main()

// The sounds the FreeSWITCH kit plays by itself ship in sounds/, and doctor notices when they do not.
import t, { type Test } from 'tap'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readWavFormat, wavProblem } from '../ivr/index.ts'
import { KIT_SOUND_FILES, KIT_SOUND_STREAMS, kitSoundProblems, withKitSounds } from './kit-sounds.ts'
import { runDoctor, type LocalCheck } from './run.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const sounds = join(root, 'sounds')

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? xmlFiles(p) : n.endsWith('.xml') ? [p] : []
  })
}
// Comments go first: FreeSWITCH plays nothing a comment names.
const kit = [...xmlFiles(join(root, 'freeswitch-conf')), ...xmlFiles(join(root, 'dialplan'))]
  .map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8').replace(/<!--[\s\S]*?-->/g, '') }))
/** local_stream directories: name → path under the sounds dir. */
const streams = new Map(kit.flatMap(({ text }) =>
  [...text.matchAll(/<directory name="([^"]+)" path="\$\$\{hotline_sounds_dir\}\/([^"]+)"/g)].map((m) => [m[1] ?? '', m[2] ?? ''] as const)))
const streamPaths = new Set(streams.values())
const referenced = kit.flatMap(({ file, text }) =>
  [...text.matchAll(/\$\$\{hotline_sounds_dir\}\/([^"\s]+)/g)].map((m) => ({ file, path: m[1] ?? '' })).filter((r) => !streamPaths.has(r.path)))

const telephony = (bytes: Uint8Array): string => wavProblem(bytes) ?? 'ok'

t.test('the kit names its sounds: the safety net plays files and the hold music streams a folder', (t) => {
  t.ok(referenced.length >= 3, 'the safety net announcements')
  t.ok(streams.size >= 1, 'a local_stream directory')
  t.end()
})

t.test('every sound file the kit plays ships under sounds/ as 8 kHz mono 16-bit WAV', (t) => {
  for (const { file, path } of referenced) {
    let bytes: Uint8Array
    try {
      bytes = readFileSync(join(sounds, path))
    } catch {
      t.fail(`${file} plays sounds/${path}, which does not exist (npx tsx scripts/gen-prompts.ts makes it)`)
      continue
    }
    t.equal(telephony(bytes), 'ok', `${file}: sounds/${path}`)
  }
  t.end()
})

t.test('every local_stream directory of the kit holds at least one telephony WAV, and all of its WAVs are', (t) => {
  for (const [name, path] of streams) {
    const dir = join(sounds, path)
    let wavs: string[] = []
    try {
      wavs = readdirSync(dir).filter((n) => n.endsWith('.wav'))
    } catch {
      t.fail(`local_stream://${name}: sounds/${path}/ does not exist`)
      continue
    }
    t.ok(wavs.length > 0, `local_stream://${name}: sounds/${path}/ has a .wav`)
    for (const w of wavs) t.equal(telephony(readFileSync(join(dir, w))), 'ok', `sounds/${path}/${w}`)
  }
  t.end()
})

t.test('every local_stream the kit plays is a directory it defines', (t) => {
  const used = kit.flatMap(({ file, text }) => [...text.matchAll(/local_stream:\/\/([\w-]+)/g)].map((m) => ({ file, name: m[1] ?? '' })))
  t.ok(used.length > 0)
  for (const u of used) t.ok(streams.has(u.name), `${u.file}: local_stream://${u.name}`)
  t.end()
})

t.test('the hold music is 30-60 s so it neither repeats every few seconds nor weighs megabytes', (t) => {
  for (const path of streams.values()) {
    for (const w of readdirSync(join(sounds, path)).filter((n) => n.endsWith('.wav'))) {
      const bytes = readFileSync(join(sounds, path, w))
      const f = readWavFormat(bytes)
      if (typeof f === 'string') continue // the format test above already failed
      const seconds = (bytes.length - 44) / (f.sampleRate * f.channels * (f.bitsPerSample / 8))
      t.ok(seconds >= 30 && seconds <= 60, `sounds/${path}/${w}: ${seconds.toFixed(1)} s`)
    }
  }
  t.end()
})

t.test("doctor's list of kit sounds is exactly what the kit plays", (t) => {
  t.same([...new Set(referenced.map((r) => r.path))].sort(), [...KIT_SOUND_FILES].sort())
  t.same([...streamPaths].sort(), [...KIT_SOUND_STREAMS].sort())
  t.end()
})

// ---- doctor's check, against folders built here ----

/** A WAV header with `samples` samples of silence. */
function wav(rate = 8000, channels = 1, bits = 16, samples = 80): Buffer {
  const data = samples * channels * (bits / 8)
  const b = Buffer.alloc(44 + data)
  b.write('RIFF', 0, 'ascii'); b.writeUInt32LE(36 + data, 4); b.write('WAVE', 8, 'ascii')
  b.write('fmt ', 12, 'ascii'); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(channels, 22)
  b.writeUInt32LE(rate, 24); b.writeUInt32LE(rate * channels * (bits / 8), 28); b.writeUInt16LE(channels * (bits / 8), 32); b.writeUInt16LE(bits, 34)
  b.write('data', 36, 'ascii'); b.writeUInt32LE(data, 40)
  return b
}

function soundsDir(t: Test, files: Record<string, Buffer | 'dir'>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-kit-sounds-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [path, body] of Object.entries(files)) {
    if (body === 'dir') {
      mkdirSync(join(dir, path), { recursive: true })
      continue
    }
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), body)
  }
  return dir
}

const complete = (): Record<string, Buffer | 'dir'> => ({
  ...Object.fromEntries(KIT_SOUND_FILES.map((f) => [f, wav()])),
  'moh/calm.wav': wav(),
})
const promptsPass: LocalCheck = () => Promise.resolve({ status: 'pass', detail: 'sounds: 2 zh + 2 en prompts' })

t.test("the repo's sounds/ passes doctor's kit check", async (t) => {
  t.same(await kitSoundProblems(sounds), [])
})

t.test('a complete set of kit sounds keeps the sounds check green and says so', async (t) => {
  const r = await withKitSounds(promptsPass, soundsDir(t, complete()))()
  t.equal(r.status, 'pass')
  t.match(r.detail, /^sounds: 2 zh \+ 2 en prompts; kit: 3 safety-net announcements and hold music \(moh\/\) present$/)
})

t.test('a missing safety-net announcement fails the sounds check, naming the file and the fix', async (t) => {
  const files = complete()
  delete files['system/call-back-later.wav']
  const r = await withKitSounds(promptsPass, soundsDir(t, files))()
  t.equal(r.status, 'fail')
  t.match(r.detail, /system\/call-back-later\.wav: missing/)
  t.notMatch(r.detail, /service-degraded/)
  t.match(r.hint, /gen-prompts\.ts/)
})

t.test('an announcement in the wrong format fails with what is wrong about it', async (t) => {
  const dir = soundsDir(t, { ...complete(), 'system/service-degraded.wav': wav(44100, 2), 'system/feature-unavailable.wav': Buffer.from('not audio') })
  t.same(await kitSoundProblems(dir), [
    'system/service-degraded.wav: 44100 Hz 2 channels, expected 8000 Hz mono 16-bit',
    'system/feature-unavailable.wav: not a RIFF WAV file',
  ])
})

t.test('an empty or missing hold-music folder fails: callers on hold would hear silence', async (t) => {
  const files = complete()
  delete files['moh/calm.wav']
  t.same(await kitSoundProblems(soundsDir(t, { ...files, moh: 'dir', 'moh/readme.txt': Buffer.from('x') })), ['moh/: no .wav file, callers on hold would hear silence'])
  t.same(await kitSoundProblems(soundsDir(t, files)), ['moh/: missing, callers on hold would hear silence'])
})

t.test('hold music in the wrong format fails, since local_stream plays every file of the folder', async (t) => {
  const dir = soundsDir(t, { ...complete(), 'moh/loud.wav': wav(8000, 1, 8) })
  t.same(await kitSoundProblems(dir), ['moh/loud.wav: 8-bit, expected 8000 Hz mono 16-bit'])
})

t.test("the kit's failure is added to a failing prompts check, keeping both hints", async (t) => {
  const prompts: LocalCheck = () => Promise.resolve({ status: 'fail', detail: '1 problem: en/welcome.wav: 44100 Hz', hint: 'Convert the prompts.' })
  const r = await withKitSounds(prompts, soundsDir(t, {}))()
  t.equal(r.status, 'fail')
  t.match(r.detail, /^1 problem: en\/welcome\.wav: 44100 Hz; kit sounds under .*: system\/service-degraded\.wav: missing; .*moh\/: missing/)
  t.match(r.hint, /^Convert the prompts\. Run `npx tsx scripts\/gen-prompts\.ts`/)
})

t.test('a failing prompts check stays failed when the kit sounds are fine', async (t) => {
  const prompts: LocalCheck = () => Promise.resolve({ status: 'fail', detail: "prompt 'bye' is missing", hint: 'Record it.' })
  const r = await withKitSounds(prompts, soundsDir(t, complete()))()
  t.same(r, { status: 'fail', detail: "prompt 'bye' is missing; kit: 3 safety-net announcements and hold music (moh/) present", hint: 'Record it.' })
})

t.test('without a prompts check the kit sounds are judged alone, and the report shows them as the sounds line', async (t) => {
  const dir = soundsDir(t, {})
  const report = await runDoctor({
    probe: { connection: { kind: 'unreachable', address: '127.0.0.1:8021', message: 'ECONNREFUSED' }, password: 'x', api: () => Promise.resolve({ ok: false, error: { message: 'no' } }) },
    sounds: withKitSounds(undefined, dir),
  })
  const line = report.checks.find((c) => c.id === 'sounds')
  t.match(line, { status: 'fail', detail: /system\/feature-unavailable\.wav: missing/, hint: /gen-prompts/ })
})

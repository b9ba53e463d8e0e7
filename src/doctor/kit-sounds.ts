/**
 * The sounds the FreeSWITCH kit plays by itself, with no Hotline to ask: the safety net's
 * announcements (dialplan/hotline-gate.xml) and the hold music (local_stream://moh). A missing
 * file there is dead air exactly when Hotline is down, and FreeSWITCH only logs it, so doctor
 * checks them next to the prompts the IVR flows use.
 */
import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { wavProblem } from '../ivr/index.ts'
import type { LocalCheck } from './run.ts'

/** Every $${hotline_sounds_dir}/… file the kit plays; kit-sounds.test.ts keeps it equal to the dialplan's. */
export const KIT_SOUND_FILES: readonly string[] = ['system/service-degraded.wav', 'system/call-back-later.wav', 'system/feature-unavailable.wav']
/** Folders local_stream.conf.xml streams from (local_stream://moh): each needs at least one file. */
export const KIT_SOUND_STREAMS: readonly string[] = ['moh']

type Verdict = Awaited<ReturnType<LocalCheck>>

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code

/** Null when the file is telephony-ready, else why not. The RIFF header and fmt chunk lie in the first bytes. */
async function fileProblem(file: string): Promise<string | null> {
  let h
  try {
    h = await open(file, 'r')
  } catch (e) {
    return code(e) === 'ENOENT' ? 'missing' : `unreadable (${code(e) ?? String(e)})`
  }
  try {
    const buf = new Uint8Array(4096)
    const { bytesRead } = await h.read(buf, 0, buf.length, 0)
    return wavProblem(buf.subarray(0, bytesRead))
  } catch (e) {
    return `unreadable (${code(e) ?? String(e)})`
  } finally {
    await h.close()
  }
}

async function streamProblems(soundsDir: string, stream: string): Promise<string[]> {
  let names: string[]
  try {
    names = (await readdir(join(soundsDir, stream))).filter((n) => n.toLowerCase().endsWith('.wav')).sort()
  } catch (e) {
    return [`${stream}/: ${code(e) === 'ENOENT' ? 'missing' : `unreadable (${code(e) ?? String(e)})`}, callers on hold would hear silence`]
  }
  if (names.length === 0) return [`${stream}/: no .wav file, callers on hold would hear silence`]
  const out: string[] = []
  // local_stream plays every file in the folder in turn: one in the wrong format is dead air too.
  for (const n of names) {
    const p = await fileProblem(join(soundsDir, stream, n))
    if (p !== null) out.push(`${stream}/${n}: ${p}`)
  }
  return out
}

/** What is wrong with the kit's sounds under soundsDir, one line each, paths relative to it. */
export async function kitSoundProblems(soundsDir: string, files = KIT_SOUND_FILES, streams = KIT_SOUND_STREAMS): Promise<string[]> {
  const out: string[] = []
  for (const f of files) {
    const p = await fileProblem(join(soundsDir, f))
    if (p !== null) out.push(`${f}: ${p}`)
  }
  for (const s of streams) out.push(...(await streamProblems(soundsDir, s)))
  return out
}

const KIT_HINT = 'Run `npx tsx scripts/gen-prompts.ts` to make the safety-net announcements and the hold music, '
  + 'or put 8 kHz mono 16-bit WAVs there (sox in.wav -r 8000 -c 1 -b 16 out.wav); see docs/freeswitch.md.'

/**
 * The sounds check with the kit's own files added: the prompts check (the flows' verdict, when
 * wired in) must pass and the kit's files must be there in the telephony format.
 */
export function withKitSounds(prompts: LocalCheck | undefined, soundsDir: string): LocalCheck {
  return async (): Promise<Verdict> => {
    const first: Verdict | undefined = prompts ? await prompts() : undefined
    const problems = await kitSoundProblems(soundsDir)
    const kit = problems.length === 0
      ? `kit: ${KIT_SOUND_FILES.length} safety-net announcements and hold music (${KIT_SOUND_STREAMS.map((s) => `${s}/`).join(', ')}) present`
      : `kit sounds under ${soundsDir}: ${problems.join('; ')}`
    const detail = first ? `${first.detail}; ${kit}` : kit
    if (problems.length === 0) return first ? { ...first, detail } : { status: 'pass', detail }
    const hint = first?.hint !== undefined && first.status !== 'pass' ? `${first.hint} ${KIT_HINT}` : KIT_HINT
    return { status: 'fail', detail, hint }
  }
}

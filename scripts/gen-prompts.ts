/**
 * Synthesises the IVR prompts of sounds/prompts.yaml into sounds/zh/*.wav and sounds/en/*.wav,
 * 8 kHz mono 16-bit PCM (what an E1/PRI channel carries, so FreeSWITCH never resamples).
 *   npx tsx scripts/gen-prompts.ts [--force]
 * Installs espeak-ng and sox with apt-get when missing. Idempotent: a prompt is regenerated only
 * when its file is missing or its text changed since the last run (sounds/prompts.lock.json keeps
 * a hash of the text each file was made from), so a studio recording dropped in stays.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

function readManifest(): Map<string, Partial<Record<Lang, string>>> {
  const raw = parse(readFileSync(manifestFile, 'utf8')) as Record<string, Partial<Record<Lang, unknown>>>
  const out = new Map<string, Partial<Record<Lang, string>>>()
  for (const [id, texts] of Object.entries(raw)) {
    const entry: Partial<Record<Lang, string>> = {}
    for (const lang of Object.keys(voices) as Lang[]) {
      const t = texts[lang]
      if (t === undefined) continue
      if (typeof t !== 'string' && typeof t !== 'number') throw new Error(`prompts.yaml: ${id}.${lang} must be text`)
      entry[lang] = String(t)
    }
    out.set(id, entry)
  }
  return out
}

function synthesise(lang: Lang, text: string, out: string): void {
  const raw = join(tmpdir(), `hotline-prompt-${process.pid}.wav`)
  execFileSync('espeak-ng', ['-v', voices[lang], '-s', '165', '-w', raw, text])
  // Trim the leading and trailing silence espeak adds, so concatenated digits sound like one number.
  execFileSync('sox', ['-v', '0.8', raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', out,
    'silence', '1', '0.02', '0.5%', 'reverse', 'silence', '1', '0.02', '0.5%', 'reverse'])
  rmSync(raw, { force: true })
}

const force = process.argv.includes('--force')
installTools()
const manifest = readManifest()
const lock = existsSync(lockFile) ? (JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, string>) : {}
let made = 0
let kept = 0
for (const [id, texts] of manifest) {
  for (const [lang, text] of Object.entries(texts) as [Lang, string][]) {
    const out = join(sounds, lang, `${id}.wav`)
    const key = `${lang}/${id}`
    const hash = createHash('sha256').update(`${recipe}\n${voices[lang]}\n${text}`).digest('hex').slice(0, 16)
    if (!force && existsSync(out) && lock[key] === hash) {
      kept++
      continue
    }
    mkdirSync(dirname(out), { recursive: true })
    synthesise(lang, text, out)
    lock[key] = hash
    made++
  }
}
writeFileSync(lockFile, JSON.stringify(Object.fromEntries(Object.entries(lock).sort()), null, 1) + '\n')
console.log(`prompts: ${made} generated, ${kept} unchanged`)

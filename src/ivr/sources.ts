/**
 * Reads what the pure parser needs from disk: the flow files' text and, for every prompt file, its
 * WAV header. Errors name files relative to the working directory, as a designer types them.
 */
import { open, readdir, readFile } from 'node:fs/promises'
import { join, relative, isAbsolute } from 'node:path'
import type { SoundCatalog } from './core/check.ts'
import { langs, type Lang } from './core/flow.ts'
import type { FlowFileText } from './core/parse.ts'
import { wavProblem } from './core/wav.ts'

export const displayPath = (p: string): string => {
  const r = relative(process.cwd(), p)
  return r === '' || r.startsWith('..') || isAbsolute(r) ? p : r
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort()
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
}

export async function readFlowFiles(dir: string): Promise<FlowFileText[]> {
  const names = (await listDir(dir)).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
  return Promise.all(names.map(async (n) => ({ file: displayPath(join(dir, n)), text: await readFile(join(dir, n), 'utf8') })))
}

/** The first bytes hold the RIFF header and fmt chunk; sox and espeak put fmt first. */
async function readHead(file: string): Promise<Uint8Array> {
  const h = await open(file, 'r')
  try {
    const buf = new Uint8Array(4096)
    const { bytesRead } = await h.read(buf, 0, buf.length, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await h.close()
  }
}

export async function readSoundCatalog(dir: string): Promise<SoundCatalog> {
  const prompts = new Map<Lang, Map<string, string | null>>()
  for (const lang of langs) {
    const files = new Map<string, string | null>()
    for (const n of (await listDir(join(dir, lang))).filter((f) => f.endsWith('.wav'))) {
      files.set(n.slice(0, -4), wavProblem(await readHead(join(dir, lang, n))))
    }
    prompts.set(lang, files)
  }
  return { dir: displayPath(dir), prompts }
}

/** `hotline ivr check [dir]`: validate flows and prompts; exit 1 with every error, 0 with a summary. */
import type { FlowSet } from './core/flow.ts'
import { formatFlowError } from './core/locate.ts'
import { parseFlowSet } from './core/parse.ts'
import { displayPath, readFlowFiles, readSoundCatalog } from './sources.ts'

export interface ToolResult { readonly exitCode: number; readonly output: string }

export async function ivrCheck(dir = 'ivr-scripts', soundsDir = 'sounds'): Promise<ToolResult> {
  const files = await readFlowFiles(dir)
  const sounds = await readSoundCatalog(soundsDir)
  if (files.length === 0) return { exitCode: 1, output: `${displayPath(dir)}: no flow files (*.yaml)` }
  const r = parseFlowSet(files, sounds, 1)
  if (!r.ok) {
    const n = r.error.length
    return { exitCode: 1, output: [...r.error.map(formatFlowError), `${n} error${n === 1 ? '' : 's'}`].join('\n') }
  }
  const prompts = [...sounds.prompts].map(([lang, m]) => `${m.size} ${lang}`).join(' + ')
  return { exitCode: 0, output: `${displayPath(dir)}: ok, ${summary(r.value)}; ${sounds.dir}: ${prompts} prompts, all 8000 Hz mono 16-bit` }
}

function summary(set: FlowSet): string {
  const nodes = [...set.flows.values()].reduce((n, f) => n + f.nodes.size, 0)
  const entries = [...set.entries].map(([num, e]) => `${num} → ${e.flow}`).join(', ')
  return `${files(set.flows.size, 'flow')}, ${files(nodes, 'node')}, entries ${entries}, queues ${[...set.queues].join(', ')}`
}

const files = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`

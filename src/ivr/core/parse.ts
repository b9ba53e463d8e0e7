/**
 * Flow files + sounds catalog → one immutable FlowSet, or every error at once. Pure: the caller
 * reads the files (src/ivr/sources.ts) and hands over their text.
 */
import { err, ok, type Result } from '../../shared/index.ts'
import { checkPieces, soundErrors, type SoundCatalog } from './check.ts'
import { compileFile, emptyPieces } from './compile.ts'
import type { FlowSet } from './flow.ts'
import { SourceFile, sortErrors, type FlowError } from './locate.ts'

export interface FlowFileText { readonly file: string; readonly text: string }

export function parseFlowSet(files: readonly FlowFileText[], sounds: SoundCatalog, version: number): Result<FlowSet, FlowError[]> {
  const errors: FlowError[] = [...soundErrors(sounds)]
  const pieces = emptyPieces()
  let syntaxBroken = false
  for (const f of files) {
    const src = new SourceFile(f.file, f.text)
    if (src.syntaxErrors.length) {
      syntaxBroken = true
      errors.push(...src.syntaxErrors)
      continue
    }
    for (const d of src.duplicateKeys()) {
      const inMenu = d.path.length === 5 && d.path[0] === 'flows' && d.path[4] === 'options'
      const what = inMenu ? `duplicate DTMF key '${d.key}' in menu '${String(d.path[3])}'` : `duplicate key '${d.key}'`
      errors.push(src.errorAtOffset(d.offset, `${what} (first at line ${d.firstLine})`))
    }
    errors.push(...compileFile(src, pieces))
  }
  // With a file that is not even YAML, "unknown flow" errors elsewhere would only be noise.
  if (!syntaxBroken) errors.push(...checkPieces(pieces, sounds))
  if (errors.length) return err(sortErrors(errors))
  const values = <T>(m: Map<string, { value: T }>): Map<string, T> => new Map([...m].map(([k, v]) => [k, v.value]))
  return ok({
    version,
    entries: values(pieces.entries),
    flows: values(pieces.flows),
    queues: new Set(pieces.queues.keys()),
    calendars: values(pieces.calendars),
  })
}

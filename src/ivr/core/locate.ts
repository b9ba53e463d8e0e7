/**
 * Positions in flow files. Every error a designer sees names file:line:column, so the parsed YAML
 * document (with its node ranges) stays beside the plain values until validation is done.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'

export interface FlowError { readonly file: string; readonly line?: number; readonly col?: number; readonly message: string }
export type Path = readonly (string | number)[]

export const formatFlowError = (e: FlowError): string =>
  e.line === undefined ? `${e.file}: ${e.message}` : `${e.file}:${e.line}:${e.col ?? 1}: ${e.message}`

export function sortErrors(errors: readonly FlowError[]): FlowError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0))
}

/** One flow file, parsed, with a way to turn a value path into a position. */
export class SourceFile {
  readonly doc: Document
  readonly #lines = new LineCounter()
  readonly syntaxErrors: FlowError[]

  constructor(readonly file: string, text: string) {
    // uniqueKeys off: duplicates are reported by duplicateKeys() in designer words ("duplicate DTMF key").
    this.doc = parseDocument(text, { lineCounter: this.#lines, uniqueKeys: false, prettyErrors: false })
    this.syntaxErrors = this.doc.errors.map((e) => {
      const pos = this.#lines.linePos(e.pos[0])
      return { file, line: pos.line, col: pos.col, message: e.message.split(' at line ')[0] ?? e.message }
    })
  }

  value(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 }) as unknown
  }

  /** An error at the deepest part of `path` that exists (the key when the last step is a map key). */
  error(path: Path, message: string): FlowError {
    const offset = this.offsetOf(path)
    const pos = this.#lines.linePos(offset)
    return { file: this.file, line: pos.line, col: pos.col, message }
  }

  offsetOf(path: Path): number {
    let node: unknown = this.doc.contents
    let offset = rangeStart(node) ?? 0
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))
        if (!pair) break
        offset = rangeStart(pair.key) ?? offset
        node = pair.value
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg]
        if (item === undefined) break
        offset = rangeStart(item) ?? offset
        node = item
      } else break
    }
    return offset
  }

  /** Keys repeated within one mapping (YAML 1 and "1" count as the same DTMF key). */
  duplicateKeys(): { path: Path; key: string; firstLine: number; offset: number }[] {
    const out: { path: Path; key: string; firstLine: number; offset: number }[] = []
    const walk = (node: unknown, path: Path): void => {
      if (isMap(node)) {
        const seen = new Map<string, number>()
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : ''
          const at = rangeStart(pair.key) ?? 0
          const first = seen.get(key)
          if (first !== undefined) out.push({ path, key, firstLine: this.#lines.linePos(first).line, offset: at })
          else seen.set(key, at)
          walk(pair.value, [...path, key])
        }
      } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]))
    }
    walk(this.doc.contents, [])
    return out
  }

  errorAtOffset(offset: number, message: string): FlowError {
    const pos = this.#lines.linePos(offset)
    return { file: this.file, line: pos.line, col: pos.col, message }
  }
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as Node | null | undefined)?.range
  return r ? r[0] : undefined
}

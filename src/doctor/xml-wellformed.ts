/**
 * A strict, small XML well-formedness check for the kit's config files (no XML parser is
 * installed and FreeSWITCH's own parser says little more than "parse error"). Enough of XML 1.0
 * for config files: declaration, comments, elements, quoted attributes, entities, one root.
 */
import type { Result } from '../shared/index.ts'
import { err, ok } from '../shared/index.ts'

const NAME = /^[A-Za-z_][\w.:-]*/
const ATTR = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/
const ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)/

function lineAt(text: string, i: number): number {
  return text.slice(0, i).split('\n').length
}

export function checkWellFormed(text: string): Result<void, string> {
  const open: string[] = []
  let roots = 0
  let i = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0
  if (i === 1) return err('line 1: unterminated XML declaration')
  while (i < text.length) {
    const lt = text.indexOf('<', i)
    const chunk = text.slice(i, lt === -1 ? text.length : lt)
    if (ENTITY.test(chunk)) return err(`line ${lineAt(text, i)}: bare & in text`)
    if (open.length === 0 && chunk.trim() !== '') return err(`line ${lineAt(text, i)}: text outside the root element`)
    if (lt === -1) break
    const step = tag(text, lt, open)
    if (!step.ok) return err(`line ${lineAt(text, lt)}: ${step.error}`)
    if (step.value.root) roots++
    i = step.value.next
  }
  if (open.length > 0) return err(`end of file: <${open.at(-1) ?? ''}> is never closed`)
  if (roots !== 1) return err(`expected one root element, found ${roots}`)
  return ok(undefined)
}

function tag(text: string, lt: number, open: string[]): Result<{ next: number; root: boolean }, string> {
  if (text.startsWith('<!--', lt)) {
    const end = text.indexOf('-->', lt + 4)
    if (end === -1) return err('unterminated comment')
    if (text.slice(lt + 4, end).includes('--')) return err('"--" inside a comment')
    return ok({ next: end + 3, root: false })
  }
  if (text.startsWith('</', lt)) {
    const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(lt))
    if (!m) return err('malformed end tag')
    const expected = open.pop()
    if (expected !== m[1]) return err(`</${m[1]}> closes <${expected ?? 'nothing'}>`)
    return ok({ next: lt + m[0].length, root: false })
  }
  const name = NAME.exec(text.slice(lt + 1))?.[0]
  if (!name) return err('malformed tag')
  let j = lt + 1 + name.length
  const seen = new Set<string>()
  for (;;) {
    const a = ATTR.exec(text.slice(j))
    if (!a) break
    if (seen.has(a[1] ?? '')) return err(`attribute ${a[1]} twice on <${name}>`)
    seen.add(a[1] ?? '')
    if (ENTITY.test(a[3] ?? a[4] ?? '')) return err(`bare & in attribute ${a[1]}`)
    j += a[0].length
  }
  const close = /^\s*(\/?)>/.exec(text.slice(j))
  if (!close) return err(`<${name}>: attribute without a quoted value, or a stray character`)
  const root = open.length === 0
  if (close[1] !== '/') open.push(name)
  return ok({ next: j + close[0].length, root })
}

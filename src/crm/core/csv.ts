/**
 * RFC 4180 CSV, written here because a BOSS export is the only CSV we read and its quirks are
 * few: a UTF-8 BOM from Excel, CRLF line ends, quoted fields with "" for a quote and newlines
 * inside addresses. Each record carries the line its first field starts on, so a rejected row
 * can be reported as the line an operator sees in their editor.
 */
export type CsvRecord =
  | { readonly kind: 'fields'; readonly line: number; readonly fields: readonly string[] }
  | { readonly kind: 'malformed'; readonly line: number; readonly reason: string }

interface Cursor {
  readonly text: string
  pos: number
  line: number
}

/** Splits text into records. Blank lines are skipped. Never throws. */
export function parseCsv(input: string): CsvRecord[] {
  const c: Cursor = { text: input.startsWith('\uFEFF') ? input.slice(1) : input, pos: 0, line: 1 }
  const out: CsvRecord[] = []
  while (c.pos < c.text.length) {
    const start = c.line
    const r = readRecord(c)
    if (r.kind === 'malformed') out.push({ kind: 'malformed', line: start, reason: r.reason })
    else if (!(r.fields.length === 1 && r.fields[0] === '')) out.push({ kind: 'fields', line: start, fields: r.fields })
  }
  return out
}

type Read = { kind: 'fields'; fields: string[] } | { kind: 'malformed'; reason: string }

function readRecord(c: Cursor): Read {
  const fields: string[] = []
  for (;;) {
    const f = c.text[c.pos] === '"' ? readQuoted(c) : readPlain(c)
    if (typeof f !== 'string') {
      skipToLineEnd(c)
      return f
    }
    fields.push(f)
    const ch = c.text[c.pos]
    if (ch === ',') { c.pos++; continue }
    endLine(c)
    return { kind: 'fields', fields }
  }
}

function readPlain(c: Cursor): string | Read {
  const from = c.pos
  while (c.pos < c.text.length) {
    const ch = c.text[c.pos]
    if (ch === ',' || ch === '\n' || ch === '\r') break
    if (ch === '"') return { kind: 'malformed', reason: 'a quote inside an unquoted field (quote the whole field and double the quote)' }
    c.pos++
  }
  return c.text.slice(from, c.pos)
}

function readQuoted(c: Cursor): string | Read {
  c.pos++ // opening quote
  let value = ''
  for (;;) {
    const close = c.text.indexOf('"', c.pos)
    if (close < 0) return { kind: 'malformed', reason: 'a quoted field is never closed' }
    value += countLines(c, c.text.slice(c.pos, close))
    c.pos = close + 1
    if (c.text[c.pos] === '"') { value += '"'; c.pos++; continue }
    const next = c.text[c.pos]
    if (next === undefined || next === ',' || next === '\n' || next === '\r') return value
    return { kind: 'malformed', reason: 'text after the closing quote of a field' }
  }
}

/** Embedded newlines advance the line counter; CRLF inside a field is kept as written. */
function countLines(c: Cursor, chunk: string): string {
  for (const ch of chunk) if (ch === '\n') c.line++
  return chunk
}

function endLine(c: Cursor): void {
  if (c.text[c.pos] === '\r') c.pos++
  if (c.text[c.pos] === '\n') c.pos++
  c.line++
}

/** After a malformed field, resynchronise at the next line end (quotes no longer trusted). */
function skipToLineEnd(c: Cursor): void {
  const nl = c.text.indexOf('\n', c.pos)
  c.pos = nl < 0 ? c.text.length : nl + 1
  if (nl >= 0) c.line++
}

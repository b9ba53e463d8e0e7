/** The pure half of a BOSS import: text in, rows to write and rows rejected out. */
import { err, failure, ok, type Failure, type Result } from '../../shared/index.ts'
import { mapColumns, type HeaderError } from './boss-columns.ts'
import { rowToDraft, type Rejected } from './boss-row.ts'
import { parseCsv } from './csv.ts'
import type { CustomerDraft } from './customer.ts'

export interface ImportPlan {
  readonly rows: readonly { readonly line: number; readonly draft: CustomerDraft }[]
  readonly rejected: readonly Rejected[]
  readonly ignoredColumns: readonly string[]
}

export type ImportError = HeaderError | Failure<'customer-import-empty'>

export function planImport(csvText: string): Result<ImportPlan, ImportError> {
  const records = parseCsv(csvText)
  const [header, ...body] = records
  if (header === undefined) return err(failure('customer-import-empty', 'the file has no header row'))
  if (header.kind === 'malformed') return err(failure('customer-import-bad-header', `line ${header.line}: ${header.reason}`))
  const cols = mapColumns(header.fields)
  if (!cols.ok) return cols
  const rows: { line: number; draft: CustomerDraft }[] = []
  const rejected: Rejected[] = []
  const seen = new Map<string, number>()
  for (const rec of body) {
    if (rec.kind === 'malformed') { rejected.push({ line: rec.line, code: 'malformed-csv', reason: rec.reason }); continue }
    const r = rowToDraft(rec.fields, cols.value)
    if (!r.ok) { rejected.push({ line: rec.line, ...r.error }); continue }
    const first = seen.get(r.value.account)
    if (first !== undefined) { rejected.push({ line: rec.line, code: 'duplicate-account', reason: `account ${r.value.account} already appears on line ${first}` }); continue }
    seen.set(r.value.account, rec.line)
    rows.push({ line: rec.line, draft: r.value })
  }
  return ok({ rows, rejected, ignoredColumns: cols.value.ignored })
}

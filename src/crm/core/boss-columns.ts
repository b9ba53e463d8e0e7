/**
 * How a BOSS export's header row maps to customer fields. Exports differ by vendor and by who
 * clicked "export", so each field accepts English and Chinese names; unknown columns are ignored
 * (and listed in the report) rather than failing the import.
 */
import { err, failure, ok, type Failure, type Result } from '../../shared/index.ts'

export type CustomerColumn = 'account' | 'name' | 'phones' | 'address' | 'area' | 'tier' | 'services' | 'balance' | 'arrears' | 'status'

const ALIASES: Readonly<Record<CustomerColumn, readonly string[]>> = {
  account: ['account', 'account_no', '账号', '账户', '用户编号', '客户编号'],
  name: ['name', '姓名', '户名', '客户名称'],
  phones: ['phones', 'phone', '电话', '手机', '联系电话'],
  address: ['address', '地址', '安装地址'],
  area: ['area', '区域', '片区'],
  tier: ['tier', '等级', '客户等级'],
  services: ['services', '业务', '产品'],
  balance: ['balance', '余额'],
  arrears: ['arrears', '欠费'],
  status: ['status', '状态'],
}

export const REQUIRED_COLUMNS: readonly CustomerColumn[] = ['account', 'name', 'area']

export interface ColumnMap {
  readonly index: Readonly<Partial<Record<CustomerColumn, number>>>
  readonly ignored: readonly string[]
  readonly width: number
}

export type HeaderError = Failure<'customer-import-bad-header'>

const lookup = new Map<string, CustomerColumn>(
  (Object.entries(ALIASES) as [CustomerColumn, readonly string[]][]).flatMap(([col, names]) => names.map((n) => [n.toLowerCase(), col] as const)),
)

/** Reads the header row: every required column present, none twice. */
export function mapColumns(header: readonly string[]): Result<ColumnMap, HeaderError> {
  const index: Partial<Record<CustomerColumn, number>> = {}
  const ignored: string[] = []
  header.forEach((raw, i) => {
    const name = raw.trim()
    const col = lookup.get(name.toLowerCase())
    if (col === undefined) ignored.push(name)
    else if (index[col] === undefined) index[col] = i
    else ignored.push(name)
  })
  const missing = REQUIRED_COLUMNS.filter((c) => index[c] === undefined)
  if (missing.length) return err(failure('customer-import-bad-header', `the header row lacks ${missing.join(', ')} (see docs/crm.md for the column names)`))
  return ok({ index, ignored, width: header.length })
}

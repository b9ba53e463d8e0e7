/** One BOSS export row to a customer draft, or the reason it is rejected. */
import { err, ok, type Result } from '../../shared/index.ts'
import type { ColumnMap, CustomerColumn } from './boss-columns.ts'
import { CUSTOMER_STATUSES, TIERS, validCustomer, type CustomerDraft, type CustomerStatus, type Tier } from './customer.ts'

/** Stable codes for a rejected row; the report adds a sentence for people. */
export type RowRejection =
  | 'wrong-field-count' | 'malformed-csv' | 'bad-account' | 'missing-name' | 'bad-area' | 'bad-phone'
  | 'bad-tier' | 'bad-balance' | 'bad-arrears' | 'bad-status' | 'duplicate-account'

export interface Rejected {
  readonly line: number
  readonly code: RowRejection
  readonly reason: string
}

const reject = (code: RowRejection, reason: string) => err({ code, reason })

const TIER_WORDS: Readonly<Record<string, Tier>> = { 钻石: 'diamond', 钻石卡: 'diamond', 金卡: 'gold', 黄金: 'gold', 银卡: 'silver', 白银: 'silver', 普通: 'standard', '': 'standard' }
const STATUS_WORDS: Readonly<Record<string, CustomerStatus>> = { 正常: 'active', 停机: 'suspended', 欠费停机: 'suspended', 销户: 'closed', '': 'active' }

/** Yuan with at most two decimals (`128.50`, `-3`, `0.5`) to integer fen, by string arithmetic. */
export function yuanToFen(text: string): number | undefined {
  const m = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/^¥|^￥/, ''))
  if (!m) return undefined
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  return m[1] === '-' && fen !== 0 ? -fen : fen
}

/** Phones and services are several values in one cell, separated by ; / | 、 or ，. */
const listOf = (cell: string): string[] => cell.split(/[;|/、，]/).map((s) => s.trim()).filter((s) => s !== '')

export function rowToDraft(fields: readonly string[], cols: ColumnMap): Result<CustomerDraft, { code: RowRejection; reason: string }> {
  if (fields.length !== cols.width) return reject('wrong-field-count', `expected ${cols.width} fields, found ${fields.length}`)
  const cell = (c: CustomerColumn): string => { const i = cols.index[c]; return i === undefined ? '' : (fields[i] ?? '').trim() }
  const tierText = cell('tier').toLowerCase()
  const tier = TIERS.find((x) => x === tierText) ?? TIER_WORDS[tierText]
  if (tier === undefined) return reject('bad-tier', `tier "${cell('tier')}" is not diamond, gold, silver or standard`)
  const statusText = cell('status').toLowerCase()
  const status = CUSTOMER_STATUSES.find((x) => x === statusText) ?? STATUS_WORDS[statusText]
  if (status === undefined) return reject('bad-status', `status "${cell('status')}" is not active, suspended or closed`)
  const balanceFen = cell('balance') === '' ? 0 : yuanToFen(cell('balance'))
  if (balanceFen === undefined) return reject('bad-balance', `balance "${cell('balance')}" is not an amount in yuan like 128.50`)
  const arrearsFen = cell('arrears') === '' ? 0 : yuanToFen(cell('arrears'))
  if (arrearsFen === undefined || arrearsFen < 0) return reject('bad-arrears', `arrears "${cell('arrears')}" is not a non-negative amount in yuan`)
  if (cell('name') === '') return reject('missing-name', 'the name is empty')
  const draft: CustomerDraft = {
    account: cell('account'), name: cell('name'), phones: listOf(cell('phones')), address: cell('address'),
    area: cell('area').toLowerCase(), tier, services: listOf(cell('services')), balanceFen, arrearsFen, status,
  }
  const valid = validCustomer(draft)
  if (valid.ok) return ok(valid.value)
  switch (valid.error.code) {
    case 'customer-bad-account': return reject('bad-account', valid.error.message)
    case 'customer-bad-phone': return reject('bad-phone', valid.error.message)
    case 'customer-bad-area': return reject('bad-area', valid.error.message)
    case 'customer-bad-money': return reject('bad-balance', valid.error.message)
  }
}

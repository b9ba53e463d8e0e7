/**
 * SAMPLE DATA for the demo and the IVR tests: 20 made-up subscribers across three areas and one
 * active outage. Fixed facts other tests rely on: 13800000001 is gold, account 1234567, in gulou;
 * 13800000002 is diamond; 13800000003 is standard with arrears; jiangning has an active outage.
 */
import type { Knex } from 'knex'
import type { Instant } from '../shared/index.ts'
import { validCustomer, type CustomerDraft, type Tier } from './core/index.ts'
import { KnexCustomerBook } from './knex-customer-book.ts'
import { KnexOutageBoard } from './knex-outage-board.ts'

const AREAS = ['gulou', 'jiangning', 'xuanwu'] as const
const TIER_CYCLE: readonly Tier[] = ['standard', 'silver', 'standard', 'gold', 'standard']
const SURNAMES = ['Zhao', 'Qian', 'Sun', 'Li', 'Zhou', 'Wu', 'Zheng', 'Wang', 'Feng', 'Chen', 'Chu', 'Wei', 'Jiang', 'Shen', 'Han', 'Yang', 'Zhu']

const fixed: readonly CustomerDraft[] = [
  { account: '1234567', name: 'Li Wei', phones: ['13800000001', '025-84001234'], address: '12 Zhongshan Rd, Gulou', area: 'gulou', tier: 'gold',
    services: ['tv-hd', 'broadband-100m'], balanceFen: 12850, arrearsFen: 0, status: 'active' },
  { account: '7654321', name: 'Wang Fang', phones: ['13800000002'], address: '8 Hongwu Rd, Xuanwu', area: 'xuanwu', tier: 'diamond',
    services: ['tv-hd', 'broadband-100m', 'ppv'], balanceFen: 56000, arrearsFen: 0, status: 'active' },
  { account: '2345678', name: 'Zhang Min', phones: ['13800000003'], address: '3 Shengtai Rd, Jiangning', area: 'jiangning', tier: 'standard',
    services: ['tv-basic'], balanceFen: 0, arrearsFen: 8800, status: 'suspended' },
]

/** Seventeen more, deterministic, so every demo run shows the same book. */
function generated(): CustomerDraft[] {
  return SURNAMES.map((surname, i) => ({
    account: String(3000001 + i), name: `${surname} ${String.fromCharCode(65 + i)}.`, phones: [`139${String(10000001 + i).padStart(8, '0')}`],
    address: `${i + 20} Sample St`, area: AREAS[i % 3] ?? 'gulou', tier: TIER_CYCLE[i % TIER_CYCLE.length] ?? 'standard',
    services: i % 2 ? ['tv-basic'] : ['tv-hd', 'broadband-100m'], balanceFen: (i * 731) % 20000, arrearsFen: i % 4 === 0 ? 3000 : 0, status: 'active',
  }))
}

export const sampleCustomerDrafts: readonly CustomerDraft[] = [...fixed, ...generated()]

function canonical(d: CustomerDraft): CustomerDraft {
  const v = validCustomer(d)
  if (!v.ok) throw new Error(`sample customer ${d.account} is invalid: ${v.error.message}`) // a bug in this file
  return v.value
}

/** Writes the sample book (idempotent: replaces the same accounts) and opens the jiangning outage. */
export async function seedSampleCustomers(db: Knex, now: Instant = Date.now()): Promise<{ customers: number; outageId: number }> {
  const book = new KnexCustomerBook(db)
  await book.putAll(sampleCustomerDrafts.map(canonical), now)
  const board = new KnexOutageBoard(db)
  const open = await board.list({ area: 'jiangning', activeAt: now })
  const outage = open[0] ?? (await board.create({ area: 'jiangning', startedAt: now - 3_600_000, promptId: 'outage-jiangning', note: 'Fibre cut near Shengtai Rd; crews on site' }))
  return { customers: sampleCustomerDrafts.length, outageId: outage.id }
}

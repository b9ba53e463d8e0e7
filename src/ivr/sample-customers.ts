/**
 * SAMPLE DATA for `hotline ivr try` and the tests: three made-up subscribers of the cable-TV
 * hotline and one outage. Not a customer store; production wires the CRM behind the same ports.
 */
import { ok } from '../shared/index.ts'
import type { Customer, Outage } from './core/session.ts'
import type { IvrPorts } from './ports.ts'

export const sampleCustomers: readonly (Customer & { readonly phones: readonly string[] })[] = [
  { account: '1234567', name: 'Li Wei', tier: 'gold', area: 'north', balanceFen: 12850, bill: { amountFen: 5800, due: '2026-11-15' }, phones: ['13800138000'] },
  { account: '7654321', name: 'Wang Fang', tier: 'diamond', area: 'east', balanceFen: 0, bill: { amountFen: 12000, due: '2026-11-20' }, phones: ['13900139000'] },
  { account: '2345678', name: 'Zhang Min', tier: 'silver', area: 'south', balanceFen: 305, phones: [] },
]

export const sampleOutages: readonly Outage[] = [{ area: 'east', until: '18:00' }]

/** In-memory ports over the sample data; work-order references count up from `firstReference`. */
export function samplePorts(firstReference = 2611001): IvrPorts & { readonly created: unknown[] } {
  let next = firstReference
  const created: unknown[] = []
  const strip = ({ phones: _phones, ...c }: (typeof sampleCustomers)[number]): Customer => c
  return {
    created,
    customers: {
      byCaller: (caller) => Promise.resolve(sampleCustomers.filter((c) => c.phones.includes(caller)).map(strip)[0] ?? null),
      byAccount: (account) => Promise.resolve(sampleCustomers.filter((c) => c.account === account).map(strip)[0] ?? null),
    },
    outages: { activeFor: (area) => Promise.resolve(sampleOutages.find((o) => o.area === area) ?? null) },
    workOrders: {
      create: (order) => {
        created.push(order)
        return Promise.resolve(ok({ reference: String(next++) }))
      },
    },
  }
}

/**
 * A subscriber of the cable operator as the hotline sees it. Money is integer fen (1/100 yuan):
 * never a float, so balances add up to the fen a BOSS export shows.
 */
import { err, failure, ok, type Failure, type Instant, type Result } from '../../shared/index.ts'
import { normalisePhones } from './phone.ts'

export type Tier = 'diamond' | 'gold' | 'silver' | 'standard'
export const TIERS: readonly Tier[] = ['diamond', 'gold', 'silver', 'standard']
export type CustomerStatus = 'active' | 'suspended' | 'closed'
export const CUSTOMER_STATUSES: readonly CustomerStatus[] = ['active', 'suspended', 'closed']

export interface Customer {
  readonly account: string
  readonly name: string
  readonly phones: readonly string[]
  readonly address: string
  readonly area: string
  readonly tier: Tier
  readonly services: readonly string[]
  readonly balanceFen: number
  readonly arrearsFen: number
  readonly status: CustomerStatus
  readonly updatedAt: Instant
}

/** What a caller (REST, import, seed) supplies; phones not yet normalised. */
export type CustomerDraft = Omit<Customer, 'updatedAt'>

export type CustomerError = Failure<'customer-bad-account' | 'customer-bad-phone' | 'customer-bad-money' | 'customer-bad-area'>

/** BOSS account numbers are 6–16 digits. */
export const ACCOUNT_PATTERN = /^\d{6,16}$/
/** Areas are short slugs (`gulou`, `jiangning`) used in outage prompts and slot capacity. */
export const AREA_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/

/** Checks a draft and returns it with its phones in canonical form. */
export function validCustomer(d: CustomerDraft): Result<CustomerDraft, CustomerError> {
  if (!ACCOUNT_PATTERN.test(d.account)) return err(failure('customer-bad-account', `account "${d.account}" must be 6–16 digits`))
  if (!AREA_PATTERN.test(d.area)) return err(failure('customer-bad-area', `area "${d.area}" must be a lower-case slug like "gulou"`))
  for (const [k, v] of [['balanceFen', d.balanceFen], ['arrearsFen', d.arrearsFen]] as const) {
    if (!Number.isSafeInteger(v)) return err(failure('customer-bad-money', `${k} must be an integer number of fen`))
  }
  if (d.arrearsFen < 0) return err(failure('customer-bad-money', 'arrearsFen cannot be negative'))
  const phones = normalisePhones(d.phones)
  if (!phones.ok) return phones
  return ok({ ...d, phones: phones.value })
}

/** The channels one contact history spans. */
export type ContactChannel = 'call' | 'fax' | 'sms' | 'web-ticket' | 'visit'
export const CONTACT_CHANNELS: readonly ContactChannel[] = ['call', 'fax', 'sms', 'web-ticket', 'visit']
export type ContactDirection = 'inbound' | 'outbound'

export interface ContactEntry {
  readonly id: number
  readonly account: string
  readonly at: Instant
  readonly channel: ContactChannel
  readonly direction: ContactDirection
  readonly summary: string
  readonly callId?: string
  readonly workOrderId?: number
  readonly agent?: string
}

export type ContactDraft = Omit<ContactEntry, 'id'>

/** REST for customers, contact history, the BOSS import and outages (mounted under /api/v1). */
import express, { type Router } from 'express'
import { z } from 'zod'
import { newRouter, route } from '../api/index.ts'
import type { Crm } from './crm.ts'

export interface CrmRouteDeps {
  readonly crm: Crm
  /** Open work orders of a customer, for the customer page (the work-order module supplies it). */
  readonly openWorkOrders?: (account: string) => Promise<readonly unknown[]>
}

const TIER = z.enum(['diamond', 'gold', 'silver', 'standard'])
const STATUS = z.enum(['active', 'suspended', 'closed'])
const CHANNEL = z.enum(['call', 'fax', 'sms', 'web-ticket', 'visit'])
const accountParam = z.object({ account: z.string().regex(/^\d{6,16}$/, 'an account is 6–16 digits') })
const fen = z.number().int('an amount in integer fen')

const customerFields = {
  name: z.string().trim().min(1).max(200),
  phones: z.array(z.string().max(40)).max(10),
  address: z.string().max(500),
  area: z.string(),
  tier: TIER,
  services: z.array(z.string().min(1).max(40)).max(30),
  balanceFen: fen,
  arrearsFen: fen.min(0),
  status: STATUS,
}
const newCustomer = z.strictObject({
  account: z.string(), ...customerFields,
  phones: customerFields.phones.default([]), address: customerFields.address.default(''), services: customerFields.services.default([]),
  balanceFen: fen.default(0), arrearsFen: customerFields.arrearsFen.default(0), status: STATUS.default('active'), tier: TIER.default('standard'),
})
const customerPatch = z.strictObject(customerFields).partial()
const search = z.object({
  phone: z.string().max(40).optional(), account: z.string().max(16).optional(), q: z.string().min(2).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).refine((s) => s.phone !== undefined || s.account !== undefined || s.q !== undefined, 'give phone, account or q (2+ characters)')
const contact = z.strictObject({
  channel: CHANNEL, direction: z.enum(['inbound', 'outbound']), summary: z.string().trim().min(1).max(2000),
  callId: z.string().max(64).optional(), workOrderId: z.number().int().positive().optional(), at: z.number().int().positive().optional(),
})
const outageBody = z.strictObject({ area: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/), promptId: z.string().min(1).max(100), note: z.string().max(500).default(''), startedAt: z.number().int().positive().optional() })
const idParam = z.object({ id: z.coerce.number().int().positive() })

export function crmRoutes(deps: CrmRouteDeps): Router {
  const r = newRouter()
  const { crm } = deps

  route(r, { method: 'get', path: '/customers', summary: 'Find customers by phone (any spelling), account or a name/address fragment', tag: 'customers', role: 'agent', query: search },
    async ({ query }) => {
      const found = await crm.search({ ...query })
      return found.ok ? { json: { customers: found.value } } : { error: found.error }
    })

  route(r, { method: 'get', path: '/customers/:account', summary: 'One customer with recent contacts and open work orders', tag: 'customers', role: 'agent', params: accountParam },
    async ({ params }) => {
      const customer = await crm.get(params.account)
      if (!customer) return { error: { code: 'customer-not-found', message: `no customer with account ${params.account}` } }
      const [contacts, openWorkOrders] = await Promise.all([crm.contacts(params.account, 20), deps.openWorkOrders?.(params.account) ?? []])
      return { json: { customer, contacts, openWorkOrders } }
    })

  route(r, { method: 'post', path: '/customers', summary: 'Create a customer', tag: 'customers', role: 'supervisor', body: newCustomer },
    async ({ body }) => {
      const made = await crm.create(body)
      return made.ok ? { status: 201, json: made.value } : { error: made.error }
    })

  route(r, { method: 'patch', path: '/customers/:account', summary: 'Change some fields of a customer (not the account number)', tag: 'customers', role: 'supervisor', params: accountParam, body: customerPatch },
    async ({ params, body }) => {
      const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))
      const made = await crm.update(params.account, patch)
      return made.ok ? { json: made.value } : { error: made.error }
    })

  route(r, { method: 'get', path: '/customers/:account/contacts', summary: 'Contact history, newest first', tag: 'customers', role: 'agent', params: accountParam, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
    async ({ params, query }) => ({ json: { contacts: await crm.contacts(params.account, query.limit) } }))

  route(r, { method: 'post', path: '/customers/:account/contacts', summary: 'Add an entry to the contact history', tag: 'customers', role: 'agent', params: accountParam, body: contact },
    async ({ params, body, principal }) => {
      const { callId, workOrderId, at, ...rest } = body
      const made = await crm.appendContact({
        ...rest, account: params.account, ...(principal ? { agent: principal.username } : {}),
        ...(callId === undefined ? {} : { callId }), ...(workOrderId === undefined ? {} : { workOrderId }), ...(at === undefined ? {} : { at }),
      })
      return made.ok ? { status: 201, json: made.value } : { error: made.error }
    })

  // A BOSS export is CSV, not JSON: this one route reads its body as text (up to ~100k customers).
  r.use('/customers/import', express.text({ type: ['text/csv', 'text/plain'], limit: '20mb' }))
  route(r, { method: 'post', path: '/customers/import', summary: 'Import a BOSS export (text/csv); answers the report of imported, updated and rejected rows', tag: 'customers', role: 'admin',
    body: z.string({ error: 'send the export as a text/csv body' }) },
  async ({ body }) => {
    const report = await crm.importCustomers(body)
    return report.ok ? { json: report.value } : { error: report.error }
  })

  route(r, { method: 'get', path: '/outages', summary: 'Outages, newest first (active only with ?active=true)', tag: 'outages', role: 'supervisor',
    query: z.object({ active: z.enum(['true', 'false']).optional(), area: z.string().max(40).optional() }) },
  async ({ query }) => ({ json: { outages: await crm.listOutages({ active: query.active === 'true', area: query.area }) } }))

  route(r, { method: 'post', path: '/outages', summary: 'Declare an outage in an area (the IVR announces it to callers there)', tag: 'outages', role: 'supervisor', body: outageBody },
    async ({ body }) => {
      const { startedAt, ...rest } = body
      return { status: 201, json: await crm.startOutage({ ...rest, ...(startedAt === undefined ? {} : { startedAt }) }) }
    })

  route(r, { method: 'post', path: '/outages/:id/end', summary: 'End an outage', tag: 'outages', role: 'supervisor', params: idParam },
    async ({ params }) => {
      const ended = await crm.endOutage(params.id)
      return ended.ok ? { json: ended.value } : { error: ended.error }
    })
  return r
}

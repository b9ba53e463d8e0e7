/** REST for work orders, appointment slots and follow-up calls (mounted under /api/v1). */
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, route } from '../api/index.ts'
import { REFERENCE_PATTERN } from './core/index.ts'
import type { WorkOrderDesk } from './work-order-desk.ts'

export interface WorkOrderRouteDeps {
  readonly desk: WorkOrderDesk
}

const TYPE = z.enum(['repair', 'installation', 'complaint', 'enquiry'])
const STATUS = z.enum(['new', 'assigned', 'in-progress', 'done', 'closed'])
const slot = z.strictObject({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'), slot: z.string().min(1).max(16) })
const idParam = z.object({ id: z.coerce.number().int().positive() })
/** An order is addressed by its numeric id or by the reference read to the caller. */
const orderParam = z.object({ id: z.union([z.string().regex(REFERENCE_PATTERN), z.coerce.number().int().positive()]) })

const listQuery = z.object({
  status: STATUS.optional(), type: TYPE.optional(), area: z.string().max(40).optional(), customer: z.string().max(16).optional(),
  overdue: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100),
})
const newOrder = z.strictObject({
  type: TYPE, account: z.string().max(16).optional(), caller: z.string().max(40).optional(), area: z.string().max(40).optional(),
  summary: z.string().max(2000).default(''), details: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
  slot: slot.optional(), callId: z.string().max(64).optional(),
})
const moveBody = z.strictObject({ to: z.enum(['in-progress', 'done', 'closed']) })
const assignBody = z.strictObject({ assignee: z.string().trim().min(1).max(64) })
const slotQuery = z.object({
  area: z.string().min(1).max(40), from: z.coerce.number().int().positive().optional(), n: z.coerce.number().int().min(1).max(30).default(3),
})
const outcomeBody = z.strictObject({ outcome: z.enum(['satisfied', 'unsatisfied', 'unreachable', 'reopened']), note: z.string().max(2000).default('') })

const dropUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

export function workOrderRoutes(deps: WorkOrderRouteDeps): Router {
  const r = newRouter()
  const { desk } = deps
  const find = async (id: string | number) => (typeof id === 'number' ? desk.get(id) : desk.orders.getByReference(id))
  const missing = (id: string | number) => ({ error: { code: 'work-order-not-found' as const, message: `no work order ${id}` } })

  route(r, { method: 'get', path: '/work-orders', summary: 'Work orders, newest first; filters: status, type, area, customer, overdue', tag: 'work-orders', role: 'agent', query: listQuery },
    async ({ query }) => ({ json: { workOrders: await desk.list({ ...dropUndefined({ status: query.status, type: query.type, area: query.area, account: query.customer }), overdue: query.overdue === 'true', limit: query.limit }) } }))

  route(r, { method: 'get', path: '/work-orders/:id', summary: 'One work order (by id or reference) with its follow-ups', tag: 'work-orders', role: 'agent', params: orderParam },
    async ({ params }) => {
      const wo = await find(params.id)
      if (!wo) return missing(params.id)
      return { json: { ...wo, overdue: desk.isOverdue(wo), followUps: await desk.followUps({ workOrderId: wo.id }) } }
    })

  route(r, { method: 'post', path: '/work-orders', summary: 'File a work order (an installation books its slot)', tag: 'work-orders', role: 'agent', body: newOrder },
    async ({ body, principal }) => {
      const made = await desk.createWorkOrder({ ...dropUndefined(body), createdBy: principal?.username ?? 'unknown' })
      return made.ok ? { status: 201, json: made.value.order } : { error: made.error }
    })

  route(r, { method: 'post', path: '/work-orders/:id/transition', summary: 'Move a work order (by id or reference): in-progress, done (schedules the return visit), closed', tag: 'work-orders', role: 'agent', params: orderParam, body: moveBody },
    async ({ params, body }) => {
      // The agent has the reference the caller reads out; the id works as well.
      const wo = await find(params.id)
      if (!wo) return missing(params.id)
      const moved = await desk.move(wo.id, { to: body.to })
      return moved.ok ? { json: moved.value } : { error: moved.error }
    })

  route(r, { method: 'post', path: '/work-orders/:id/assign', summary: 'Assign (or re-assign) a work order to a technician or team', tag: 'work-orders', role: 'supervisor', params: idParam, body: assignBody },
    async ({ params, body }) => {
      const moved = await desk.move(params.id, { to: 'assigned', assignee: body.assignee })
      return moved.ok ? { json: moved.value } : { error: moved.error }
    })

  route(r, { method: 'get', path: '/slots', summary: 'The next free appointment slots in an area (from: epoch ms, default now)', tag: 'work-orders', role: 'agent', query: slotQuery },
    async ({ query }) => ({ json: { slots: await desk.nextFreeSlots(query.area, query.from ?? desk.now(), query.n) } }))

  route(r, { method: 'get', path: '/follow-ups', summary: 'Follow-up calls (return visits); ?due=true for those pending and due now', tag: 'work-orders', role: 'agent', query: z.object({ due: z.enum(['true', 'false']).optional() }) },
    async ({ query }) => ({ json: { followUps: await desk.followUps({ due: query.due === 'true' }) } }))

  route(r, { method: 'post', path: '/follow-ups/:id/outcome', summary: 'Record how a return visit went', tag: 'work-orders', role: 'agent', params: idParam, body: outcomeBody },
    async ({ params, body, principal }) => {
      const done = await desk.recordFollowUp(params.id, { ...body, agent: principal?.username ?? 'unknown' })
      return done.ok ? { json: { id: params.id, ...body } } : { error: done.error }
    })
  return r
}

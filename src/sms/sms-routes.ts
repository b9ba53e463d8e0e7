/** The outbox over HTTP, for supervisors: what was sent, what is waiting, what failed and why. */
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, route } from '../api/index.ts'
import { SMS_STATUSES, type SmsMessage } from './ports.ts'
import type { SmsOutbox } from './sms-outbox.ts'

export interface SmsRouteDeps {
  readonly outbox: Pick<SmsOutbox, 'list'>
}

const listQuery = z.object({
  status: z.enum(SMS_STATUSES as [SmsMessage['status'], ...SmsMessage['status'][]]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})

const smsView = z.object({
  id: z.string(), to: z.string(), text: z.string(), status: z.enum(SMS_STATUSES as [string, ...string[]]), attempts: z.number(),
  nextAttemptAt: z.number().nullable(), lastError: z.string().nullable(), createdAt: z.number(), sentAt: z.number().nullable(), callId: z.string().nullable(),
})

const view = (m: SmsMessage): z.infer<typeof smsView> => ({
  ...m, nextAttemptAt: m.nextAttemptAt ?? null, lastError: m.lastError ?? null, sentAt: m.sentAt ?? null, callId: m.callId ?? null,
})

export function smsRoutes(deps: SmsRouteDeps): Router {
  const router = newRouter()
  route(router, {
    method: 'get', path: '/sms', summary: 'SMS outbox, newest first (optionally one status)', tag: 'sms', role: 'supervisor',
    query: listQuery, response: z.object({ messages: z.array(smsView) }),
  }, async ({ query }) => ({
    json: { messages: (await deps.outbox.list({ ...(query.status === undefined ? {} : { status: query.status }), ...(query.limit === undefined ? {} : { limit: query.limit }) })).map(view) },
  }))
  return router
}

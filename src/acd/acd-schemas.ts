/** Request bodies of the ACD API (zod), and their conversion into the core's types. Durations are milliseconds. */
import { z } from 'zod'
import { agentId, queueId, type QueueId } from '../shared/index.ts'
import { queueConfig, type QueueConfig } from './core/index.ts'
import type { AgentRecord } from './ports.ts'

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1-64)')
const level = z.number().int().min(1).max(5)
const ms = z.number().int().min(0).max(86_400_000)
export const skillsSchema = z.record(z.string().regex(/^[a-z0-9_-]{1,32}$/, 'lowercase letters, digits, _ - (1-32)'), level)

export const idParams = z.object({ id })

export const contactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sip'), user: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/) }),
  z.object({ kind: z.literal('pstn'), number: z.string().regex(/^\+?\d{3,20}$/) }),
])

export const agentBody = z.object({
  name: z.string().min(1).max(128),
  contact: contactSchema,
  skills: skillsSchema.default({}),
  queues: z.array(id).default([]),
}).strict()

export const skillsBody = z.object({ skills: skillsSchema }).strict()

export const presenceBody = z.object({
  state: z.enum(['ready', 'not-ready', 'logged-out']),
  reason: z.string().min(1).max(64).optional(),
}).strict()

export const callParams = z.object({ callId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a call id') })
/** `number`: call back another number than the caller's own (which is used when omitted). */
export const callbackBody = z.object({ number: z.string().regex(/^\+?\d{3,20}$/, '3-20 digits, optionally with a leading +').optional() }).strict()

export const wrapUpBody = z.object({ extendBy: z.number().int().min(1000).max(3_600_000) }).strict()

const exitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), sound: z.string().min(1) }),
  z.object({ kind: z.literal('callback'), otherwise: z.string().min(1) }),
  z.object({ kind: z.literal('queue'), to: id }),
])

const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('relax-skills'), by: z.number().int().min(1).max(4) }),
  z.object({ kind: z.literal('widen') }),
  z.object({ kind: z.literal('overflow'), to: id }),
])

export const queueBody = z.object({
  strategy: z.enum(['longest-idle', 'most-skilled', 'fewest-calls', 'round-robin', 'ring-all']).optional(),
  ringTimeout: ms.min(1000).optional(),
  wrapUp: ms.optional(),
  noAnswer: z.object({ noAnswerDelay: ms, busyDelay: ms, rejectDelay: ms, unreachableDelay: ms, maxNoAnswer: z.number().int().min(1).max(100) }).strict().optional(),
  escalation: z.array(z.object({ after: ms, action: actionSchema })).optional(),
  maxWait: z.object({ after: ms.min(1000), exit: exitSchema }).optional(),
  announceEvery: ms.min(5000).optional(),
  callback: z.object({ maxAttempts: z.number().int().min(1).max(10), retryDelay: ms }).strict().optional(),
  callbackKey: z.string().regex(/^[0-9]$/, 'one digit, 0-9').optional(),
  defaultHandleTime: ms.min(1000).optional(),
}).strict()

/** Drops keys zod left undefined (exactOptionalPropertyTypes: absent is not undefined). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

export function toQueueConfig(qid: QueueId, b: z.infer<typeof queueBody>): QueueConfig {
  const escalation = b.escalation?.map((s) => ({ after: s.after, action: s.action.kind === 'overflow' ? { kind: 'overflow' as const, to: queueId(s.action.to) } : s.action }))
  const exit = b.maxWait?.exit
  const maxWait = b.maxWait && exit ? { after: b.maxWait.after, exit: exit.kind === 'queue' ? { kind: 'queue' as const, to: queueId(exit.to) } : exit } : undefined
  const sorted = escalation ? [...escalation].sort((x, y) => x.after - y.after) : undefined
  return queueConfig(qid, defined({ ...b, escalation: sorted, maxWait }) as Partial<Omit<QueueConfig, 'id'>>)
}

export function toAgentRecord(aid: string, b: z.infer<typeof agentBody>): AgentRecord {
  return { id: agentId(aid), name: b.name, contact: b.contact, skills: new Map(Object.entries(b.skills)), queues: b.queues.map(queueId) }
}

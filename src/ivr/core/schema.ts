/**
 * The shape of flow files, in zod. Objects are strict so that a misspelt field (`timout:`) is an
 * error at its line rather than a silently ignored default.
 */
import { z } from 'zod'
import type { NodeType } from './flow.ts'

const name = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a name of letters, digits, - and _')
const factName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'expected a fact name such as account or customer.tier')
const prompts = z.array(name)
const exprSrc = z.union([z.string(), z.number(), z.boolean(), z.null()])
const lang = z.enum(['zh', 'en'])
const secs = z.number().positive().max(120)

export const nodeSchemas = {
  play: z.strictObject({ type: z.literal('play'), prompts: prompts.min(1), next: name }),
  say: z.strictObject({
    type: z.literal('say'), as: z.enum(['number', 'digits', 'money', 'date']), value: exprSrc,
    before: prompts.default([]), after: prompts.default([]), next: name,
  }),
  menu: z.strictObject({
    type: z.literal('menu'), prompts: prompts.min(1),
    options: z.record(z.string().regex(/^[0-9*#]$/, 'a menu key is one of 0-9 * #'), name),
    timeout: secs.default(5), retries: z.int().min(0).max(9).default(2),
    invalid: prompts.default([]), 'no-input': prompts.default([]), fallback: name, into: factName.optional(),
  }),
  collect: z.strictObject({
    type: z.literal('collect'), prompts: prompts.min(1), into: factName,
    min: z.int().min(1).max(32).default(1), max: z.int().min(1).max(32).default(20),
    terminator: z.enum(['#', '*', '']).default('#'), timeout: secs.default(5), pattern: z.string().optional(),
    retries: z.int().min(0).max(9).default(2), invalid: prompts.default([]), next: name, fallback: name,
  }),
  'lookup-customer': z.strictObject({
    type: z.literal('lookup-customer'), by: z.enum(['caller', 'account']), account: exprSrc.default('account'),
    found: name, missing: name,
  }),
  set: z.strictObject({ type: z.literal('set'), facts: z.record(factName, exprSrc), next: name }),
  branch: z.strictObject({
    type: z.literal('branch'), cases: z.array(z.strictObject({ if: exprSrc, next: name })).min(1), else: name,
  }),
  hours: z.strictObject({ type: z.literal('hours'), calendar: name, open: name, closed: name, holiday: name.optional() }),
  outage: z.strictObject({ type: z.literal('outage'), area: exprSrc.default('customer.area'), active: name, none: name }),
  'work-order': z.strictObject({
    type: z.literal('work-order'), kind: z.enum(['repair', 'installation', 'ppv-order']),
    details: z.record(z.string(), exprSrc).default({}), into: factName.default('work-order'), next: name, failed: name,
  }),
  enqueue: z.strictObject({
    type: z.literal('enqueue'), queue: name, skills: z.record(name, z.int().min(1).max(10)).default({}),
    tier: exprSrc.default('customer.tier'), prompts: prompts.default([]),
  }),
  callback: z.strictObject({
    type: z.literal('callback'), queue: name, skills: z.record(name, z.int().min(1).max(10)).default({}),
    tier: exprSrc.default('customer.tier'), prompts: prompts.default([]),
  }),
  transfer: z.strictObject({ type: z.literal('transfer'), to: z.string().regex(/^\+?\d{2,20}$/, 'expected a number or extension'), prompts: prompts.default([]) }),
  record: z.strictObject({
    type: z.literal('record'), mode: z.enum(['message', 'call']), prompts: prompts.default([]),
    into: factName.default('recording'), 'max-seconds': z.int().min(1).max(600).default(60), next: name,
  }),
  sms: z.strictObject({
    type: z.literal('sms'), to: exprSrc.default('caller'),
    text: z.union([z.string().min(1), z.strictObject({ zh: z.string().min(1), en: z.string().min(1) })]), next: name,
  }),
  hangup: z.strictObject({ type: z.literal('hangup'), prompts: prompts.default([]) }),
  goto: z.strictObject({ type: z.literal('goto'), flow: name, node: name.optional() }),
  language: z.strictObject({ type: z.literal('language'), lang, next: name }),
} satisfies Record<NodeType, z.ZodType>

export type RawNode = { [K in NodeType]: z.output<(typeof nodeSchemas)[K]> }[NodeType]

const hhmm = '([01]\\d|2[0-4]):[0-5]\\d'
const span = z.string().regex(new RegExp(`^${hhmm}-${hhmm}$`), 'expected opening hours like 08:30-18:00')
const day = z.union([span, z.array(span)])

const section = z.record(z.string(), z.unknown()).optional()
/** The file's top level; each item of a section is validated on its own so one typo spoils only itself. */
export const fileSchema = z.strictObject({ entries: section, queues: section, calendars: section, flows: section })

export const entryNumber = /^\+?\d+$/
export const entrySchema = z.union([name, z.strictObject({ flow: name, lang: lang.default('zh') })])
export const queueSchema = z.strictObject({ description: z.string().optional() }).nullable()
export const calendarSchema = z.strictObject({
  timezone: z.string(),
  hours: z.strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }).partial(),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-10-01')).default([]),
})
export type RawCalendar = z.output<typeof calendarSchema>
export const flowSchema = z.strictObject({ start: name, nodes: z.record(name, z.unknown()) })
export const namePattern = /^[A-Za-z0-9_-]+$/

/** A zod issue in the designer's words. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return `key '${String(issue.path[issue.path.length - 1])}': ${issue.issues[0]?.message ?? issue.message}`
  if (issue.code === 'unrecognized_keys') return `unknown field '${issue.keys.join("', '")}'`
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `missing '${String(issue.path[issue.path.length - 1])}'`
  }
  return issue.message
}

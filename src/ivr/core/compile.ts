/**
 * One flow file → typed pieces (entries, queues, calendars, flows), each remembering where it was
 * written so the cross-file checks can point at the right line.
 */
import type { z } from 'zod'
import { isTimezone } from './calendar.ts'
import { parseExpr, type Expr } from './expr.ts'
import { nodeTypes, type Calendar, type Entry, type Flow, type FlowNode, type NodeType } from './flow.ts'
import type { FlowError, Path, SourceFile } from './locate.ts'
import { calendarSchema, entryNumber, entrySchema, fileSchema, flowSchema, issueMessage, namePattern, nodeSchemas, queueSchema, type RawCalendar, type RawNode } from './schema.ts'

export interface Located<T> { readonly value: T; readonly src: SourceFile; readonly path: Path }
export interface Pieces {
  readonly entries: Map<string, Located<Entry>>
  readonly queues: Map<string, Located<null>>
  readonly calendars: Map<string, Located<Calendar>>
  readonly flows: Map<string, Located<Flow>>
  /**
   * Names that were written but failed validation (`queue:x`, `flow:x`, `node:flow/x`, …): their
   * own errors are reported; references to them are not reported again as "unknown".
   */
  readonly broken: Set<string>
}
export const emptyPieces = (): Pieces => ({ entries: new Map(), queues: new Map(), calendars: new Map(), flows: new Map(), broken: new Set() })

function zodErrors(src: SourceFile, base: Path, error: z.ZodError): FlowError[] {
  return error.issues.map((issue) => {
    const path = [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))]
    const at = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0] ?? ''] : path
    return src.error(at, issueMessage(issue))
  })
}

type Section = 'entries' | 'queues' | 'calendars' | 'flows'

/** Adds the file's pieces to `into`; returns its errors. */
export function compileFile(src: SourceFile, into: Pieces): FlowError[] {
  const parsed = fileSchema.safeParse(src.value() ?? {})
  if (!parsed.success) return zodErrors(src, [], parsed.error)
  const errors: FlowError[] = []
  const add = <T>(map: Map<string, Located<T>>, what: string, key: string, value: T, path: Path): void => {
    const prior = map.get(key)
    if (prior) errors.push(src.error(path, `${what} '${key}' is already defined at ${prior.src.file}:${prior.src.error(prior.path, '').line}`))
    else map.set(key, { value, src, path })
  }
  /** Validates each item of a section on its own; a broken item is remembered by name. */
  const each = <S extends z.ZodType>(section: Section, schema: S, brokenAs: string, fn: (key: string, v: z.output<S>) => void): void => {
    for (const [key, raw] of Object.entries(parsed.data[section] ?? {})) {
      const nameOk = section === 'entries' ? entryNumber.test(key) : namePattern.test(key)
      if (!nameOk) errors.push(src.error([section, key], section === 'entries' ? `entry '${key}' is not a dialled number such as 96200` : `'${key}' is not a name of letters, digits, - and _`))
      const r = schema.safeParse(raw)
      if (r.success && nameOk) fn(key, r.data)
      else {
        if (!r.success) errors.push(...zodErrors(src, [section, key], r.error))
        into.broken.add(`${brokenAs}:${key}`)
      }
    }
  }
  each('entries', entrySchema, 'entry', (num, e) => add(into.entries, 'entry', num, typeof e === 'string' ? { flow: e, lang: 'zh' } : e, ['entries', num]))
  each('queues', queueSchema, 'queue', (q) => add(into.queues, 'queue', q, null, ['queues', q]))
  each('calendars', calendarSchema, 'calendar', (n, c) => {
    if (!isTimezone(c.timezone)) errors.push(src.error(['calendars', n, 'timezone'], `unknown timezone '${c.timezone}'`))
    add(into.calendars, 'calendar', n, calendar(c), ['calendars', n])
  })
  each('flows', flowSchema, 'flow', (n, f) => {
    const nodes = new Map<string, FlowNode>()
    for (const [id, raw] of Object.entries(f.nodes)) {
      const node = compileNode(src, ['flows', n, 'nodes', id], raw, errors)
      if (node) nodes.set(id, node)
      else into.broken.add(`node:${n}/${id}`)
    }
    add(into.flows, 'flow', n, { name: n, start: f.start, nodes }, ['flows', n])
  })
  return errors
}

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

function calendar(c: RawCalendar): Calendar {
  const minutes = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5))
  const hours = new Map<number, { from: number; to: number }[]>()
  days.forEach((d, i) => {
    const v = c.hours[d]
    if (v === undefined) return
    hours.set(i + 1, (typeof v === 'string' ? [v] : v).map((s) => ({ from: minutes(s.slice(0, 5)), to: minutes(s.slice(6, 11)) })))
  })
  return { timezone: c.timezone, hours, holidays: new Set(c.holidays) }
}

function compileNode(src: SourceFile, path: Path, raw: unknown, errors: FlowError[]): FlowNode | undefined {
  const type = (raw as { type?: unknown } | null)?.type
  if (typeof type !== 'string' || !(nodeTypes as readonly string[]).includes(type)) {
    const what = type === undefined ? "missing 'type'" : `unknown node type ${JSON.stringify(type)}`
    errors.push(src.error(type === undefined ? path : [...path, 'type'], `${what} (expected one of ${nodeTypes.join(', ')})`))
    return undefined
  }
  const parsed = nodeSchemas[type as NodeType].safeParse(raw)
  if (!parsed.success) {
    errors.push(...zodErrors(src, path, parsed.error))
    return undefined
  }
  const before = errors.length
  const expr = (field: string | Path, v: string | number | boolean | null): Expr => {
    const r = parseExpr(v)
    if (r.ok) return r.value
    errors.push(src.error([...path, ...(typeof field === 'string' ? [field] : field)], `${r.error.message} (at character ${r.error.offset + 1})`))
    return { kind: 'lit', value: null }
  }
  const node = typed(parsed.data, expr, (field, message) => errors.push(src.error([...path, field], message)))
  return errors.length === before ? node : undefined
}

type ExprSrc = string | number | boolean | null
const exprMap = (rec: Record<string, ExprSrc>, f: (k: string, v: ExprSrc) => Expr): Map<string, Expr> =>
  new Map(Object.entries(rec).map(([k, v]) => [k, f(k, v)]))

function typed(n: RawNode, expr: (field: string | Path, v: ExprSrc) => Expr, fail: (field: string, m: string) => void): FlowNode {
  switch (n.type) {
    case 'play': case 'hangup': case 'language': case 'transfer': return n
    case 'goto': return { type: 'goto', flow: n.flow, node: n.node }
    case 'say': return { ...n, value: expr('value', n.value) }
    case 'menu':
      return { type: 'menu', prompts: n.prompts, options: new Map(Object.entries(n.options)), timeout: n.timeout,
        retries: n.retries, invalid: n.invalid, noInput: n['no-input'], fallback: n.fallback, into: n.into }
    case 'collect': {
      let pattern: RegExp | undefined
      try {
        pattern = n.pattern === undefined ? undefined : new RegExp(`^(?:${n.pattern})$`)
      } catch {
        fail('pattern', `invalid pattern '${n.pattern}'`)
      }
      if (n.min > n.max) fail('min', `min ${n.min} is larger than max ${n.max}`)
      return { ...n, pattern }
    }
    case 'lookup-customer': return { ...n, account: expr('account', n.account) }
    case 'set': return { type: 'set', facts: exprMap(n.facts, (k, v) => expr(['facts', k], v)), next: n.next }
    case 'branch': return { type: 'branch', cases: n.cases.map((c, i) => ({ if: expr(['cases', i, 'if'], c.if), next: c.next })), else: n.else }
    case 'hours': return { ...n, holiday: n.holiday ?? n.closed }
    case 'outage': return { ...n, area: expr('area', n.area) }
    case 'work-order': return { ...n, details: exprMap(n.details, (k, v) => expr(['details', k], v)) }
    case 'enqueue': return { ...n, skills: new Map(Object.entries(n.skills)), tier: expr('tier', n.tier) }
    case 'callback': return { ...n, skills: new Map(Object.entries(n.skills)), tier: expr('tier', n.tier) }
    case 'record': return { type: 'record', mode: n.mode, prompts: n.prompts, into: n.into, maxSeconds: n['max-seconds'], next: n.next }
    case 'sms': return { ...n, to: expr('to', n.to), text: typeof n.text === 'string' ? { zh: n.text, en: n.text } : n.text }
  }
}

/**
 * The pure IVR interpreter: step(session, input, now) → { session, effects, events }.
 * Nodes that need nothing from the caller (set, branch, goto, hours, language, sms) run straight
 * through within one step; the step stops at the first node that waits for an input.
 */
import type { Instant } from '../../shared/index.ts'
import { execute } from './execute.ts'
import type { FactValue } from './expr.ts'
import type { CollectNode, MenuNode } from './flow.ts'
import { collectEffect, finish, node, pathSoFar, setFact, wait, type Run } from './run.ts'
import type { IvrInput, IvrSession, StepResult, Waiting } from './session.ts'

/** A flow that jumps more than this many times without waiting for the caller is looping. */
const maxHops = 64

export function step(session: IvrSession, input: IvrInput, now: Instant): StepResult {
  if (session.outcome) return { session, effects: [], events: [] }
  const run: Run = {
    base: session, now, flow: session.flow, node: session.node, attempts: session.attempts, lang: session.lang,
    waiting: session.waiting, outcome: null, facts: { ...session.facts }, entered: [], effects: [], events: [],
  }
  if (input.kind === 'hangup') finish(run, { kind: 'caller-hung-up' })
  else {
    const next = resume(run, input)
    if (next === 'stale') return { session, effects: [], events: [] }
    if (next !== 'stay') enter(run, next.go)
  }
  return { session: freeze(run), effects: run.effects, events: run.events }
}

function freeze(run: Run): IvrSession {
  const { base } = run
  // Listed field by field (not spread): one object shape for every session keeps V8's access fast.
  return {
    flows: base.flows, entry: base.entry, caller: base.caller, startedAt: base.startedAt, lang: run.lang, flow: run.flow,
    node: run.node, attempts: run.attempts, waiting: run.waiting, facts: run.facts, path: pathSoFar(run), outcome: run.outcome,
  }
}

/** Which input answers which wait; any other input is stale. */
const expects: Record<Exclude<IvrInput, { kind: 'hangup' }>['kind'], Waiting> = {
  answered: 'answered', played: 'played', digits: 'digits', timeout: 'digits', customer: 'customer', outage: 'outage',
  'work-order-created': 'work-order', 'work-order-failed': 'work-order', recorded: 'recorded',
}

type Resume = { readonly go: string } | 'stay' | 'stale'
const go = (id: string): Resume => ({ go: id })

/** The input answers what the session waits for: returns where to go, or that the session stays (waiting again) or the input was stale. */
function resume(run: Run, input: Exclude<IvrInput, { kind: 'hangup' }>): Resume {
  const n = node(run)
  if (expects[input.kind] !== run.waiting) return 'stale'
  switch (input.kind) {
    case 'answered': return go(run.node)
    case 'played': return 'next' in n ? go(n.next) : 'stale'
    case 'digits': case 'timeout': {
      if (n.type !== 'menu' && n.type !== 'collect') return 'stale'
      const target = onDigits(run, n, input.kind === 'digits' ? input.digits : null)
      return target === null ? 'stay' : go(target)
    }
    case 'customer': {
      if (n.type !== 'lookup-customer') return 'stale'
      const c = input.customer
      if (!c) return go(n.missing)
      const facts: [string, FactValue][] = [['customer.account', c.account], ['customer.name', c.name], ['customer.tier', c.tier],
        ['customer.area', c.area], ['customer.balance', c.balanceFen], ['customer.bill-amount', c.bill?.amountFen ?? null], ['customer.bill-due', c.bill?.due ?? null]]
      for (const [k, v] of facts) setFact(run, k, v)
      return go(n.found)
    }
    case 'outage':
      if (n.type !== 'outage') return 'stale'
      setFact(run, 'outage', input.outage !== null)
      if (input.outage?.until) setFact(run, 'outage.until', input.outage.until)
      return go(input.outage ? n.active : n.none)
    case 'work-order-created': case 'work-order-failed':
      if (n.type !== 'work-order') return 'stale'
      if (input.kind === 'work-order-failed') return go(n.failed)
      setFact(run, n.into, input.reference)
      return go(n.next)
    case 'recorded':
      if (n.type !== 'record') return 'stale'
      setFact(run, n.into, input.file)
      return go(n.next)
  }
}

function onDigits(run: Run, n: MenuNode | CollectNode, typed: string | null): string | null {
  const id = run.node
  const digits = typed === null ? '' : n.type === 'collect' && n.terminator && typed.endsWith(n.terminator) ? typed.slice(0, -1) : typed
  if (digits !== '') {
    if (n.type === 'menu') {
      const target = n.options.get(digits.slice(0, 1))
      if (target !== undefined) {
        setFact(run, `menu.${id}`, digits.slice(0, 1))
        if (n.into) setFact(run, n.into, digits.slice(0, 1))
        return target
      }
    } else if (digits.length >= n.min && digits.length <= n.max && (n.pattern?.test(digits) ?? /^[0-9*#]+$/.test(digits))) {
      setFact(run, n.into, digits)
      return n.next
    }
    run.events.push({ kind: 'input-invalid', node: id, digits })
  } else run.events.push({ kind: 'input-timeout', node: id })
  const attempts = run.attempts + 1
  if (attempts > n.retries) {
    run.events.push({ kind: 'retries-exhausted', node: id })
    return n.fallback
  }
  run.attempts = attempts
  const lead = digits === '' && n.type === 'menu' ? n.noInput : n.invalid
  return wait(run, 'digits', collectEffect(run.lang, n, lead))
}

/** Go to `id` in the current flow and run nodes until one waits or the call leaves the IVR. */
function enter(run: Run, first: string): void {
  let id: string | null = first
  for (let hops = 0; id !== null; hops++) {
    if (hops >= maxHops) {
      finish(run, { kind: 'failed', code: 'ivr-loop' }, { kind: 'hangup' })
      return
    }
    run.node = id
    run.attempts = 0
    run.entered.push(`${run.flow}/${id}`)
    run.events.push({ kind: 'node-entered', flow: run.flow, node: id })
    id = execute(run, node(run))
  }
}


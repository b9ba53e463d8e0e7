/**
 * What each node type does when the caller reaches it. Returns the next node id, or null when
 * the node waits for an input (or ended the IVR).
 */
import { openState } from './calendar.ts'
import { evaluate, fillTemplate, truthy, type Expr, type FactValue } from './expr.ts'
import type { CallbackNode, EnqueueNode, FlowNode, Lang, PromptId, RecordNode, SayNode, WorkOrderNode } from './flow.ts'
import { collectEffect, files, finish, pathSoFar, setFact, wait, type Run } from './run.ts'
import { say } from './say.ts'
import type { IvrEffect, Tier } from './session.ts'

const tiers: readonly string[] = ['diamond', 'gold', 'silver']
const value = (run: Run, e: Expr): FactValue => evaluate(e, run.facts)
const prelude = (lang: Lang, ids: readonly PromptId[]): IvrEffect[] => (ids.length ? [{ kind: 'play', files: files(lang, ids) }] : [])

export function execute(run: Run, n: FlowNode): string | null {
  const { lang } = run
  switch (n.type) {
    case 'play': return wait(run, 'played', { kind: 'play', files: files(lang, n.prompts) })
    case 'say': return sayValue(run, n)
    case 'menu': case 'collect': return wait(run, 'digits', collectEffect(lang, n, []))
    case 'lookup-customer': {
      if (n.by === 'caller') return wait(run, 'customer', { kind: 'lookup', query: { kind: 'customer-by-caller', caller: run.base.caller } })
      const account = value(run, n.account)
      if (account === null || account === '') return n.missing
      return wait(run, 'customer', { kind: 'lookup', query: { kind: 'customer-by-account', account: String(account) } })
    }
    case 'set':
      for (const [k, e] of n.facts) setFact(run, k, value(run, e))
      return n.next
    case 'branch': return n.cases.find((c) => truthy(value(run, c.if)))?.next ?? n.else
    case 'hours': {
      const cal = run.base.flows.calendars.get(n.calendar)
      const state = cal ? openState(cal, run.now) : 'closed'
      return state === 'open' ? n.open : state === 'holiday' ? n.holiday : n.closed
    }
    case 'outage': {
      const area = value(run, n.area)
      if (area === null || area === '') return n.none
      return wait(run, 'outage', { kind: 'lookup', query: { kind: 'outage', area: String(area) } })
    }
    case 'work-order': return workOrder(run, n)
    case 'record': return record(run, n)
    case 'sms': {
      const to = value(run, n.to)
      if (to !== null && to !== '') run.effects.push({ kind: 'sms', to: String(to), text: fillTemplate(n.text[lang], run.facts) })
      return n.next
    }
    case 'language':
      run.lang = n.lang
      setFact(run, 'lang', n.lang)
      run.effects.push({ kind: 'set-language', lang: n.lang })
      run.events.push({ kind: 'language-changed', lang: n.lang })
      return n.next
    case 'goto': {
      const flow = run.base.flows.flows.get(n.flow)
      if (!flow) throw new Error(`bug: validated goto to unknown flow ${n.flow}`)
      run.flow = flow.name
      return n.node ?? flow.start
    }
    case 'enqueue': return enqueue(run, n)
    case 'callback': return enqueue(run, n)
    case 'transfer': return finish(run, { kind: 'transferred', to: n.to }, ...prelude(lang, n.prompts), { kind: 'transfer', to: n.to })
    case 'hangup': return finish(run, { kind: 'hung-up' }, ...prelude(lang, n.prompts), { kind: 'hangup' })
  }
}

function sayValue(run: Run, n: SayNode): string | null {
  const spoken = say(n.as, value(run, n.value), run.lang)
  if (!Array.isArray(spoken)) {
    // A caller would rather miss one amount than be cut off: skip it and carry on.
    run.events.push({ kind: 'say-failed', node: run.node, message: spoken.message })
    return n.next
  }
  return wait(run, 'played', { kind: 'play', files: files(run.lang, [...n.before, ...spoken, ...n.after]) })
}

function workOrder(run: Run, n: WorkOrderNode): null {
  const details = Object.fromEntries([...n.details].map(([k, e]) => [k, value(run, e)]))
  const acct = run.facts['customer.account'] ?? run.facts.account ?? null
  return wait(run, 'work-order', {
    kind: 'create-work-order', order: { type: n.kind, account: acct === null ? null : String(acct), caller: run.base.caller, details },
  })
}

function record(run: Run, n: RecordNode): string | null {
  const rec: IvrEffect = { kind: 'record', mode: n.mode, files: files(run.lang, n.prompts), maxSeconds: n.maxSeconds }
  if (n.mode === 'message') return wait(run, 'recorded', rec)
  // Recording the call (proof of an order) runs alongside the flow: the caller keeps going.
  run.effects.push(rec)
  setFact(run, n.into, 'call')
  return n.next
}

/** Both end the IVR in the ACD; a callback node asks for the caller to be called back instead of waiting. */
function enqueue(run: Run, n: EnqueueNode | CallbackNode): null {
  const t = value(run, n.tier)
  const tier: Tier = typeof t === 'string' && tiers.includes(t) ? (t as Tier) : 'standard'
  return finish(run, { kind: 'enqueued', queue: n.queue }, ...prelude(run.lang, n.prompts), {
    kind: 'enqueue', queue: n.queue, skills: Object.fromEntries(n.skills), tier, lang: run.lang, facts: { ...run.facts }, path: pathSoFar(run),
    ...(n.type === 'callback' ? { callback: true } : {}),
  })
}

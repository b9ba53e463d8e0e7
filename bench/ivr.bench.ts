/**
 * IVR interpreter throughput: steps per second of the pure `step` through the sample cable-TV
 * hotline (every menu branch, timeouts, invalid keys, a language switch), inputs answered
 * synchronously from the sample customers so only the interpreter is timed.
 * Baseline, same run, same step function: the naive design that keeps flows as the YAML values
 * and validates the node about to run at every step (zod schema + condition parsing, as a
 * runner that "validates each step before it runs" does), and finds nodes by scanning lists
 * instead of the index Hotline builds once at load.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { parse } from 'yaml'
import { nodeSchemas } from '../src/ivr/core/schema.ts'
import { parseExpr } from '../src/ivr/core/expr.ts'
import {
  parseFlowSet, readFlowFiles, readSoundCatalog, sampleCustomers, sampleOutages, startSession, step,
  type FlowSet, type IvrEffect, type IvrInput, type IvrSession,
} from '../src/ivr/index.ts'
import { benchLine, interleaved } from './measure.ts'

const calls: readonly [string, readonly string[]][] = [
  ['13800138000', ['1', '1', '*', '0']], ['075586001234', ['2', '1234567#', '0']], ['13900139000', ['2', '1', '0']],
  ['13800138000', ['3', '2']], ['13800138000', ['4', '1', '1']], ['13800138000', ['8', '9', '4', '2', '2']],
  ['13800138000', ['7', '7', '7']], ['075586001234', ['1', '12#', '7777777#']], ['13800138000', []],
]
const at = Date.UTC(2026, 10, 2, 2, 0)

/** A Map that finds keys by scanning its entries, as a naive interpreter would. */
class ScanMap<K, V> extends Map<K, V> {
  readonly #entries: [K, V][]
  constructor(from: ReadonlyMap<K, V>) {
    super()
    this.#entries = [...from]
  }
  override get(k: K): V | undefined { return this.#entries.find((e) => e[0] === k)?.[1] }
  override has(k: K): boolean { return this.#entries.some((e) => e[0] === k) }
}

function scanned(set: FlowSet): FlowSet {
  const flows = new Map([...set.flows].map(([n, f]) => [n, { ...f, nodes: new ScanMap(f.nodes) }]))
  return { ...set, flows: new ScanMap(flows), entries: new ScanMap(set.entries), calendars: new ScanMap(set.calendars) }
}

function reply(e: IvrEffect, digits: string[]): IvrInput | null {
  switch (e.kind) {
    case 'play': return { kind: 'played' }
    case 'collect': { const d = digits.shift(); return d === undefined ? { kind: 'timeout' } : { kind: 'digits', digits: d } }
    case 'lookup': {
      const q = e.query
      if (q.kind === 'outage') return { kind: 'outage', outage: sampleOutages.find((o) => o.area === q.area) ?? null }
      const c = sampleCustomers.find((x) => (q.kind === 'customer-by-caller' ? x.phones.includes(q.caller) : x.account === q.account))
      return { kind: 'customer', customer: c ?? null }
    }
    case 'create-work-order': return { kind: 'work-order-created', reference: '2611001' }
    case 'record': return e.mode === 'message' ? { kind: 'recorded', file: 'm.wav' } : null
    default: return null
  }
}

type RawNodes = Map<string, [string, { type: keyof typeof nodeSchemas } & Record<string, unknown>][]>

function rawNodes(): RawNodes {
  const out: RawNodes = new Map()
  for (const f of readdirSync('ivr-scripts').filter((n) => n.endsWith('.yaml'))) {
    const doc = parse(readFileSync(`ivr-scripts/${f}`, 'utf8')) as { flows?: Record<string, { nodes: Record<string, never> }> }
    for (const [name, flow] of Object.entries(doc.flows ?? {})) out.set(name, Object.entries(flow.nodes))
  }
  return out
}

/** What the naive runner does before each step: find the raw node by scanning, validate it, parse its conditions. */
function validateStep(raw: RawNodes, s: IvrSession): void {
  const node = raw.get(s.flow)?.find((e) => e[0] === s.node)?.[1]
  if (!node) throw new Error(`no node ${s.flow}/${s.node}`)
  const r = nodeSchemas[node.type].safeParse(node)
  if (!r.success) throw new Error('invalid node')
  for (const v of Object.values(node)) if (typeof v === 'string' && v.includes(' ')) parseExpr(v)
  for (const c of (node.cases ?? []) as { if: string }[]) parseExpr(c.if)
}

/** Runs every sample call once; returns the number of steps taken. */
function runCalls(set: FlowSet, raw?: RawNodes): number {
  let steps = 0
  for (const [caller, typed] of calls) {
    const started = startSession(set, '96200', caller, at)
    if (!started.ok) throw new Error(started.error.message)
    let s: IvrSession = started.value
    let input: IvrInput | null = { kind: 'answered' }
    const digits = [...typed]
    while (input && !s.outcome) {
      if (raw) validateStep(raw, s)
      const r = step(s, input, at)
      steps++
      s = r.session
      input = null
      for (const e of r.effects) input = reply(e, digits) ?? input
    }
  }
  return steps
}


export default async function ivrBench(): Promise<string[]> {
  const parsed = parseFlowSet(await readFlowFiles('ivr-scripts'), await readSoundCatalog('sounds'), 1)
  if (!parsed.ok) throw new Error('sample hotline does not validate; run ivr check')
  const fast = parsed.value
  const naive = scanned(fast)
  const raw = rawNodes()
  for (let i = 0; i < 200; i++) { runCalls(fast); runCalls(naive, raw) } // warm up both
  const [ours, theirs] = interleaved(() => runCalls(fast), () => runCalls(naive, raw), 3000, 50)
  return [benchLine('ivr-steps', ours, 'steps/s', 'validate-per-step', theirs, ours / theirs)]
}

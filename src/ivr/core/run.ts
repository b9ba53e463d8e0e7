/**
 * The working state of one interpreter step and the small moves every node makes with it.
 * Mutated only within a single step() call, so step() stays a pure function.
 */
import type { FactValue } from './expr.ts'
import type { CollectNode, FlowNode, Lang, MenuNode, PromptId } from './flow.ts'
import { pathLimit, type IvrEffect, type IvrEvent, type IvrOutcome, type IvrSession, type Waiting } from './session.ts'
import type { Instant } from '../../shared/index.ts'

/** The working copy of one step: mutated locally, frozen into a new session at the end. */
export interface Run {
  readonly base: IvrSession
  readonly now: Instant
  flow: string
  node: string
  attempts: number
  lang: Lang
  waiting: Waiting
  outcome: IvrOutcome | null
  facts: Record<string, FactValue>
  /** Nodes entered in this step; the session path is copied once, at the end. */
  entered: string[]
  effects: IvrEffect[]
  events: IvrEvent[]
}

export function pathSoFar(run: Run): readonly string[] {
  if (run.entered.length === 0) return run.base.path
  const all = [...run.base.path, ...run.entered]
  return all.length > pathLimit ? all.slice(-pathLimit) : all
}

export const node = (run: Run): FlowNode => {
  const n = run.base.flows.flows.get(run.flow)?.nodes.get(run.node)
  if (!n) throw new Error(`bug: validated flow lacks ${run.flow}/${run.node}`)
  return n
}
export const files = (lang: Lang, ids: readonly PromptId[]): string[] => ids.map((id) => `${lang}/${id}.wav`)
export const wait = (run: Run, waiting: Waiting, ...effects: IvrEffect[]): null => {
  run.waiting = waiting
  run.effects.push(...effects)
  return null
}
export function setFact(run: Run, name: string, value: FactValue): void {
  run.facts[name] = value
  run.events.push({ kind: 'fact-set', name, value })
}
export function finish(run: Run, outcome: IvrOutcome, ...effects: IvrEffect[]): null {
  run.waiting = 'nothing'
  run.outcome = outcome
  run.effects.push(...effects)
  run.events.push({ kind: 'ivr-ended', outcome })
  return null
}

export function collectEffect(lang: Lang, n: MenuNode | CollectNode, lead: readonly PromptId[]): IvrEffect {
  const menu = n.type === 'menu'
  return {
    kind: 'collect', files: files(lang, [...lead, ...n.prompts]), min: menu ? 1 : n.min, max: menu ? 1 : n.max,
    terminator: menu ? '' : n.terminator, timeoutMs: n.timeout * 1000,
  }
}

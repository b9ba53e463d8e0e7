/**
 * Cross-file checks: targets, queues, calendars and prompts exist, every node and flow can be
 * reached, and prompt files are in the telephony format.
 */
import { langs, type Flow, type FlowNode, type Lang, type PromptId } from './flow.ts'
import type { Located, Pieces } from './compile.ts'
import type { FlowError, Path } from './locate.ts'
import { sayPrompts } from './say.ts'

/**
 * What is in the sounds directory: per language, prompt id → null when the file is fine, or the
 * reason it is not (wrong format). `dir` is how errors name it, e.g. `sounds`.
 */
export interface SoundCatalog {
  readonly dir: string
  readonly prompts: ReadonlyMap<Lang, ReadonlyMap<PromptId, string | null>>
}

type Link = { readonly field: Path; readonly target: string }

/** Every in-flow target of a node, with the field that names it. */
export function nodeLinks(node: FlowNode): Link[] {
  const l = (field: string | Path, target: string): Link => ({ field: typeof field === 'string' ? [field] : field, target })
  switch (node.type) {
    case 'play': case 'say': case 'set': case 'sms': case 'language': case 'record': return [l('next', node.next)]
    case 'menu': return [...[...node.options].map(([k, v]) => l(['options', k], v)), l('fallback', node.fallback)]
    case 'collect': return [l('next', node.next), l('fallback', node.fallback)]
    case 'lookup-customer': return [l('found', node.found), l('missing', node.missing)]
    case 'branch': return [...node.cases.map((c, i) => l(['cases', i, 'next'], c.next)), l('else', node.else)]
    case 'hours': return [l('open', node.open), l('closed', node.closed), l('holiday', node.holiday)]
    case 'outage': return [l('active', node.active), l('none', node.none)]
    case 'work-order': return [l('next', node.next), l('failed', node.failed)]
    case 'enqueue': case 'callback': case 'transfer': case 'hangup': case 'goto': return []
  }
}

function promptFields(node: FlowNode): { field: Path; id: PromptId }[] {
  const list = (field: string, ids: readonly PromptId[]): { field: Path; id: PromptId }[] => ids.map((id, i) => ({ field: [field, i], id }))
  switch (node.type) {
    case 'play': case 'enqueue': case 'callback': case 'transfer': case 'hangup': case 'record': return list('prompts', node.prompts)
    case 'say': return [...list('before', node.before), ...list('after', node.after)]
    case 'menu': return [...list('prompts', node.prompts), ...list('invalid', node.invalid), ...list('no-input', node.noInput)]
    case 'collect': return [...list('prompts', node.prompts), ...list('invalid', node.invalid)]
    default: return []
  }
}

export function checkPieces(p: Pieces, sounds: SoundCatalog): FlowError[] {
  const errors: FlowError[] = []
  const entered = new Set<string>()
  for (const [num, e] of p.entries) {
    if (p.flows.has(e.value.flow)) entered.add(e.value.flow)
    else if (!p.broken.has(`flow:${e.value.flow}`)) errors.push(e.src.error(e.path, `entry ${num} goes to unknown flow '${e.value.flow}'`))
  }
  let saysUsed: Located<Flow> | undefined
  for (const f of p.flows.values()) {
    errors.push(...checkFlow(f, p, sounds, entered))
    if (!saysUsed && [...f.value.nodes.values()].some((n) => n.type === 'say')) saysUsed = f
  }
  for (const f of p.flows.values()) {
    if (!entered.has(f.value.name)) errors.push(f.src.error(f.path, `flow '${f.value.name}' is never entered: no entry or goto leads to it`))
  }
  if (saysUsed) errors.push(...missingSayPrompts(saysUsed, sounds))
  return errors
}

function checkFlow(f: Located<Flow>, p: Pieces, sounds: SoundCatalog, entered: Set<string>): FlowError[] {
  const errors: FlowError[] = []
  const flow = f.value
  const at = (id: string, field: Path, message: string): void => { errors.push(f.src.error([...f.path, 'nodes', id, ...field], message)) }
  const known = (id: string): boolean => flow.nodes.has(id) || p.broken.has(`node:${flow.name}/${id}`)
  if (!known(flow.start)) errors.push(f.src.error([...f.path, 'start'], `start node '${flow.start}' is not a node of flow '${flow.name}'`))
  for (const [id, node] of flow.nodes) {
    for (const link of nodeLinks(node)) {
      if (!known(link.target)) at(id, link.field, `unknown node '${link.target}' in flow '${flow.name}'`)
    }
    for (const { field, id: prompt } of promptFields(node)) {
      const missing = langs.filter((lang) => !sounds.prompts.get(lang)?.has(prompt))
      if (missing.length) at(id, field, `prompt '${prompt}' is missing: no ${missing.map((l) => `${sounds.dir}/${l}/${prompt}.wav`).join(', ')}`)
    }
    if (node.type === 'goto') {
      const target = p.flows.get(node.flow)
      if (!target) { if (!p.broken.has(`flow:${node.flow}`)) at(id, ['flow'], `unknown flow '${node.flow}'`) } else {
        entered.add(node.flow)
        if (node.node !== undefined && !target.value.nodes.has(node.node) && !p.broken.has(`node:${node.flow}/${node.node}`)) at(id, ['node'], `unknown node '${node.node}' in flow '${node.flow}'`)
      }
    }
    if ((node.type === 'enqueue' || node.type === 'callback') && !p.queues.has(node.queue) && !p.broken.has(`queue:${node.queue}`)) at(id, ['queue'], `unknown queue '${node.queue}' (declare it under queues:)`)
    if (node.type === 'hours' && !p.calendars.has(node.calendar) && !p.broken.has(`calendar:${node.calendar}`)) at(id, ['calendar'], `unknown calendar '${node.calendar}'`)
  }
  // A broken node hides where it leads: reachability would only add noise until it is fixed.
  if ([...p.broken].some((b) => b.startsWith(`node:${flow.name}/`))) return errors
  const reached = reachable(flow, gotoEntries(p, flow.name))
  for (const id of flow.nodes.keys()) {
    if (!reached.has(id)) at(id, [], `node '${id}' is unreachable in flow '${flow.name}'`)
  }
  return errors
}

/** Nodes other flows jump to directly (`goto: {flow, node}`) count as starting points. */
function gotoEntries(p: Pieces, flowName: string): string[] {
  const out: string[] = []
  for (const f of p.flows.values()) {
    for (const n of f.value.nodes.values()) if (n.type === 'goto' && n.flow === flowName && n.node) out.push(n.node)
  }
  return out
}

function reachable(flow: Flow, extra: readonly string[]): Set<string> {
  const seen = new Set<string>()
  const todo = [flow.start, ...extra]
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (seen.has(id)) continue
    seen.add(id)
    const node = flow.nodes.get(id)
    if (node) todo.push(...nodeLinks(node).map((l) => l.target))
  }
  return seen
}

function missingSayPrompts(f: Located<Flow>, sounds: SoundCatalog): FlowError[] {
  const errors: FlowError[] = []
  for (const lang of langs) {
    const missing = sayPrompts(lang).filter((id) => !sounds.prompts.get(lang)?.has(id))
    if (missing.length) {
      errors.push(f.src.error(f.path, `say nodes need ${sounds.dir}/${lang}/{${missing.join(',')}}.wav`))
    }
  }
  return errors
}

export function soundErrors(sounds: SoundCatalog): FlowError[] {
  const errors: FlowError[] = []
  for (const [lang, files] of sounds.prompts) {
    for (const [id, problem] of files) {
      if (problem !== null) errors.push({ file: `${sounds.dir}/${lang}/${id}.wav`, message: problem })
    }
  }
  return errors
}

/**
 * The pop board: the latest pop of every agent and what to push to whom. Pure:
 * `decidePop(board, input, now) → { board, pushes }`. The shell feeds it the ACD's events
 * in bus order and writes the pushes to the agents' streams.
 *
 * Order on the wire matters: the ACD core tells `agent-state-changed` (ringing) before
 * `call-offered` within one decision, but the console must show who is calling before it shows
 * "ringing". So a ringing state for an offer whose pop is not out yet is held and sent right
 * after the pop (or at the end of the turn: `flush`).
 */
import type { AgentId, CallId, Instant, OfferId } from '../../shared/index.ts'
import {
  advancePop, buildPop, buildTransferPop, withEnrichment, withWrapUp, type CallFacts, type Enrichment, type OfferFacts, type ScreenPop, type TransferFacts,
  type WrapUpNote,
} from './pop.ts'

/** The agent's state as the console shows it (presence chosen, activity imposed). */
export interface AgentStateView {
  readonly agent: AgentId
  readonly presence: { readonly kind: string; readonly reason?: string; readonly since: Instant }
  /** `held` on a call on hold; `until` when a wrap-up or a rest ends (the console's countdown). */
  readonly activity: { readonly kind: string; readonly offer?: OfferId; readonly call?: CallId; readonly held?: boolean; readonly since?: number; readonly until?: number }
  readonly registered: boolean
}

export type PopPush =
  | { readonly kind: 'pop'; readonly agent: AgentId; readonly pop: ScreenPop }
  | { readonly kind: 'pop-updated'; readonly agent: AgentId; readonly pop: ScreenPop }
  | { readonly kind: 'agent-state'; readonly agent: AgentId; readonly state: AgentStateView }

export type PopInput =
  | { readonly kind: 'offered'; readonly offer: OfferFacts; readonly call: CallFacts | undefined; readonly customer: Enrichment }
  | { readonly kind: 'agent-state'; readonly state: AgentStateView }
  | { readonly kind: 'answered'; readonly call: CallId; readonly agent: AgentId }
  | { readonly kind: 'offer-ended'; readonly offer: OfferId; readonly agent: AgentId; readonly reason: string }
  | { readonly kind: 'enriched'; readonly call: CallId; readonly customer: Enrichment }
  /** Another agent handed the call over: the receiving agent pops as on an offer. */
  | { readonly kind: 'transferred'; readonly transfer: TransferFacts; readonly call: CallFacts | undefined; readonly customer: Enrichment; readonly note: WrapUpNote | undefined }
  /** An agent wrote their wrap-up: the pop of the agent they handed the call to shows it. */
  | { readonly kind: 'wrapped-up'; readonly call: CallId; readonly note: WrapUpNote }
  /** End of the turn: anything still held goes out. */
  | { readonly kind: 'flush' }

export interface PopBoard {
  readonly pops: ReadonlyMap<AgentId, ScreenPop>
  readonly held: ReadonlyMap<AgentId, AgentStateView>
}

export const emptyBoard: PopBoard = { pops: new Map(), held: new Map() }

export interface PopDecision {
  readonly board: PopBoard
  readonly pushes: readonly PopPush[]
}

export function decidePop(board: PopBoard, input: PopInput, now: Instant): PopDecision {
  switch (input.kind) {
    case 'offered': return offered(board, input, now)
    case 'agent-state': return agentState(board, input.state, now)
    case 'answered': return updateWhere(board, (p) => p.call === input.call && p.agent === input.agent, (p) => advancePop(p, 'answered', now))
    case 'offer-ended': return ended(board, input, now)
    case 'enriched': return updateWhere(board, (p) => p.call === input.call, (p) => withEnrichment(p, input.customer))
    case 'transferred': return transferred(board, input, now)
    case 'wrapped-up': return updateWhere(board, (p) => p.call === input.call, (p) => withWrapUp(p, input.note))
    case 'flush': return flush(board)
  }
}

function offered(board: PopBoard, input: Extract<PopInput, { kind: 'offered' }>, now: Instant): PopDecision {
  const agent = input.offer.agent
  let pop = buildPop(input.offer, input.call, input.customer, now)
  const pushes: PopPush[] = []
  const held = board.held.get(agent)
  const heldRinging = held && held.activity.kind === 'ringing' && held.activity.offer === pop.offer
  if (heldRinging) pop = advancePop(pop, 'ringing', now)
  // The first pop of an offer goes out as it was at the offer; ringing follows as an update.
  pushes.push({ kind: 'pop', agent, pop: heldRinging ? { ...pop, status: 'offered' } : pop })
  if (held) pushes.push({ kind: 'agent-state', agent, state: held })
  if (heldRinging) pushes.push({ kind: 'pop-updated', agent, pop })
  return { board: { pops: new Map(board.pops).set(agent, pop), held: without(board.held, agent) }, pushes }
}

function transferred(board: PopBoard, input: Extract<PopInput, { kind: 'transferred' }>, now: Instant): PopDecision {
  const x = input.transfer
  const pop = buildTransferPop(x, input.call, input.customer, board.pops.get(x.from), input.note, now)
  return { board: { ...board, pops: new Map(board.pops).set(x.to, pop) }, pushes: [{ kind: 'pop', agent: x.to, pop }] }
}

function agentState(board: PopBoard, s: AgentStateView, now: Instant): PopDecision {
  const current = board.pops.get(s.agent)
  const a = s.activity
  if (a.kind === 'ringing' && current?.offer !== a.offer) {
    return { board: { ...board, held: new Map(board.held).set(s.agent, s) }, pushes: [] }
  }
  const pushes: PopPush[] = [{ kind: 'agent-state', agent: s.agent, state: s }]
  if (!current) return { board: { ...board, held: without(board.held, s.agent) }, pushes }
  let next: ScreenPop | undefined = current
  if (a.kind === 'ringing') next = advancePop(current, 'ringing', now)
  else if (a.kind === 'on-call' && a.call === current.call) next = advancePop(current, 'answered', now)
  else if (a.kind === 'wrap-up' && a.call === current.call) next = advancePop(current, 'ended', now)
  // A blind transfer's phone that was never answered: the ACD released the agent (no offer to cancel).
  else if (current.transferredFrom && current.status === 'ringing') next = undefined
  // Out of the call and its wrap-up: the pop has done its job and is no longer replayed.
  else if (current.status === 'ended' || current.status === 'cancelled' || current.status === 'answered') next = undefined
  const pops = new Map(board.pops)
  if (next) pops.set(s.agent, next)
  else pops.delete(s.agent)
  if (next && next !== current) pushes.push({ kind: 'pop-updated', agent: s.agent, pop: next })
  if (!next && current.status === 'answered') pushes.push({ kind: 'pop-updated', agent: s.agent, pop: advancePop(current, 'ended', now) })
  if (!next && current.status === 'ringing') pushes.push({ kind: 'pop-updated', agent: s.agent, pop: advancePop(current, 'cancelled', now, 'transfer-not-answered') })
  return { board: { pops, held: without(board.held, s.agent) }, pushes }
}

function ended(board: PopBoard, input: Extract<PopInput, { kind: 'offer-ended' }>, now: Instant): PopDecision {
  const current = board.pops.get(input.agent)
  if (current?.offer !== input.offer) return { board, pushes: [] }
  const next = advancePop(current, 'cancelled', now, input.reason)
  if (next === current) return { board, pushes: [] }
  const pops = new Map(board.pops)
  pops.delete(input.agent)
  return { board: { ...board, pops }, pushes: [{ kind: 'pop-updated', agent: input.agent, pop: next }] }
}

function updateWhere(board: PopBoard, match: (p: ScreenPop) => boolean, change: (p: ScreenPop) => ScreenPop): PopDecision {
  const pushes: PopPush[] = []
  let pops: Map<AgentId, ScreenPop> | undefined
  for (const [agent, p] of board.pops) {
    if (!match(p)) continue
    const next = change(p)
    if (next === p) continue
    pops ??= new Map(board.pops)
    pops.set(agent, next)
    pushes.push({ kind: 'pop-updated', agent, pop: next })
  }
  return { board: pops ? { ...board, pops } : board, pushes }
}

function flush(board: PopBoard): PopDecision {
  if (board.held.size === 0) return { board, pushes: [] }
  const pushes: PopPush[] = [...board.held.values()].map((state) => ({ kind: 'agent-state', agent: state.agent, state }))
  return { board: { ...board, held: new Map() }, pushes }
}

function without<K, V>(m: ReadonlyMap<K, V>, k: K): ReadonlyMap<K, V> {
  if (!m.has(k)) return m
  const next = new Map(m)
  next.delete(k)
  return next
}

/** What a (re)connecting console gets first: its current pop, if any. */
export const currentPop = (board: PopBoard, agent: AgentId): ScreenPop | undefined => board.pops.get(agent)

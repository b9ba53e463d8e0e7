/**
 * ACD decision latency with 1,000 agents, 50 skills and 1,000 waiting callers: an agent going
 * ready (the best caller it can serve is found) and a caller arriving (the best idle agent is
 * found, or the caller takes its place in line). Baseline: the same decisions by a naive ACD that
 * copies its tables and rescans them per decision, the way
 * mod_callcenter's dispatcher re-reads its table on each pass: an agent going ready sorts every
 * waiting caller and takes the first it can serve; a caller arriving scans every agent.
 */
import { performance } from 'node:perf_hooks'
import { agentId, callId, queueId, seconds, type AgentId, type QueueId } from '../src/shared/index.ts'
import { createAcdState, decide, queueConfig, tierRank, type AcdInput, type AcdState, type Agent, type Tier } from '../src/acd/core/index.ts'
import { benchLine, percentile } from './measure.ts'

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0)
const QUEUES = Array.from({ length: 5 }, (_, i) => queueId(`q${i}`))
const TIERS: Tier[] = ['diamond', 'gold', 'silver', 'standard', 'standard', 'standard']

/** Deterministic pseudo-random numbers, so every run measures the same picture. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32
}
const rand = rng(7)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
const skillName = (i: number): string => `s${i}`

type Role = 'busy' | 'on-break' | 'specialist'
/** 800 busy generalists, 100 generalists on a break (they go ready), 100 idle specialists in skills 40–49. */
function makeAgent(i: number): Agent {
  const role: Role = i < 800 ? 'busy' : i < 900 ? 'on-break' : 'specialist'
  const skills = new Map<string, number>()
  while (skills.size < 4) skills.set(skillName(role === 'specialist' ? 40 + Math.floor(rand() * 10) : Math.floor(rand() * 40)), 1 + Math.floor(rand() * 5))
  return {
    id: agentId(`agent-${i}`), contact: { kind: 'sip', user: `${1000 + i}` }, skills, queues: [QUEUES[i % 5]!, QUEUES[(i + 1) % 5]!],
    presence: role === 'on-break' ? { kind: 'not-ready', reason: 'break', since: T0 } : { kind: 'ready', since: T0 },
    activity: role === 'busy' ? { kind: 'on-call', call: callId(`old-${i}`), queue: QUEUES[i % 5]!, since: T0 } : { kind: 'idle', since: T0 - i },
    registered: true, missedInARow: 0, callsHandled: 0, lastOfferAt: undefined,
  }
}

function arrival(i: number, skillRange: number): Extract<AcdInput, { kind: 'call-queued' }> {
  return { kind: 'call-queued', call: callId(`call-${i}`), queue: pick(QUEUES), tier: pick(TIERS), skills: [{ skill: skillName(Math.floor(rand() * skillRange)), min: 1 + Math.floor(rand() * 3) }] }
}

// ---- the naive baseline: plain arrays copied per decision, every caller or every agent rescanned ----
interface NaiveCall { id: string; queue: QueueId; tier: Tier; at: number; skill: string; min: number }
interface NaiveState { agents: Agent[]; calls: NaiveCall[] }
type NaiveOffer = readonly [string, AgentId] | undefined

const naiveFree = (a: Agent): boolean => a.presence.kind === 'ready' && a.registered && a.activity.kind === 'idle'
const level = (a: Agent, c: NaiveCall): number => a.skills.get(c.skill) ?? 0
const idleSince = (a: Agent): number => (a.activity.kind === 'idle' ? a.activity.since : Infinity)

function naiveDecide(s: NaiveState, input: AcdInput, now: number): { state: NaiveState; offer: NaiveOffer } {
  if (input.kind === 'agent-went-ready') {
    const agents = s.agents.map((a) => (a.id === input.agent ? { ...a, presence: { kind: 'ready' as const, since: now } } : a))
    const me = agents.find((a) => a.id === input.agent)!
    const order = s.calls.slice().sort((a, b) => tierRank(a.tier) - tierRank(b.tier) || a.at - b.at)
    const c = order.find((x) => me.queues.includes(x.queue) && level(me, x) >= x.min)
    return { state: { agents, calls: s.calls }, offer: c && ([c.id, me.id] as const) }
  }
  if (input.kind !== 'call-queued') return { state: s, offer: undefined }
  const need = input.skills?.[0]
  const c: NaiveCall = { id: input.call, queue: input.queue, tier: input.tier ?? 'standard', at: now, skill: need?.skill ?? '', min: need?.min ?? 1 }
  let best: Agent | undefined
  for (const a of s.agents) {
    if (!naiveFree(a) || !a.queues.includes(c.queue) || level(a, c) < c.min) continue
    const better = !best || (c.tier !== 'standard' ? level(a, c) > level(best, c) : idleSince(a) < idleSince(best))
    if (better) best = a
  }
  return { state: { agents: s.agents, calls: best ? s.calls : [...s.calls, c] }, offer: best && ([c.id, best.id] as const) }
}

/**
 * Microseconds per decision. Each input is timed in several rounds and its fastest round kept:
 * the inputs and the state are the same every round, so the spread left is the decision's own,
 * not the scheduler's (the bench host is shared with compilers and test runs).
 */
function timeEach(n: number, run: (i: number) => unknown, rounds = 3): number[] {
  const best = new Array<number>(n).fill(Infinity)
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      run(i)
      best[i] = Math.min(best[i]!, (performance.now() - t) * 1000)
    }
  }
  return best
}

export default async function acdBench(): Promise<string[]> {
  const queues = QUEUES.map((id) => queueConfig(id, { ringTimeout: seconds(20) }))
  const agents = Array.from({ length: 1000 }, (_, i) => makeAgent(i))
  let base: AcdState = createAcdState(queues, agents)
  const naiveCalls: NaiveCall[] = []
  for (let i = 0; i < 1000; i++) {
    const input = arrival(i, 40) // skills 0–39: only busy or on-break agents have them, so all wait
    base = decide(base, input, T0 + i).state
    const need = input.skills?.[0]
    naiveCalls.push({ id: input.call, queue: input.queue, tier: input.tier ?? 'standard', at: T0 + i, skill: need?.skill ?? '', min: need?.min ?? 1 })
  }
  const waiting = [...base.calls.values()].filter((c) => c.phase.kind === 'waiting').length
  if (waiting !== 1000) throw new Error(`bench setup: expected 1,000 waiting callers, found ${waiting}`)
  const naive: NaiveState = { agents, calls: naiveCalls }
  const now = T0 + seconds(60)
  const onBreak = agents.slice(800, 900).map((a) => a.id)
  const ready = (i: number): AcdInput => ({ kind: 'agent-went-ready', agent: onBreak[i % onBreak.length]! })
  const arrivals = Array.from({ length: 2000 }, (_, i) => arrival(5000 + i, 50)) // 1 in 5 fits an idle specialist

  timeEach(300, (i) => decide(base, ready(i), now), 1) // warm-up
  timeEach(300, (i) => decide(base, arrivals[i]!, now), 1)
  timeEach(50, (i) => naiveDecide(naive, ready(i), now), 1)
  const readyFast = timeEach(2000, (i) => decide(base, ready(i), now))
  const arriveFast = timeEach(2000, (i) => decide(base, arrivals[i]!, now))
  const readyNaive = timeEach(1000, (i) => naiveDecide(naive, ready(i), now))
  const arriveNaive = timeEach(1000, (i) => naiveDecide(naive, arrivals[i]!, now))

  const line = (name: string, fast: number[], slow: number[]): string => {
    const p99 = percentile(fast, 99)
    const naiveP99 = percentile(slow, 99)
    return `${benchLine(name, p99, 'µs p99', 'naive', naiveP99, naiveP99 / p99)} · p50 ${percentile(fast, 50).toFixed(1)} µs (naive p50 ${percentile(slow, 50).toFixed(0)} µs)`
  }
  return Promise.resolve([line('acd-agent-ready', readyFast, readyNaive), line('acd-call-arrived', arriveFast, arriveNaive)])
}

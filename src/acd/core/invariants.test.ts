import t from 'tap'
import fc from 'fast-check'
import { offerId, queueId, seconds, type OfferId } from '../../shared/index.ts'
import { decide } from './decide.ts'
import { activityDeadline, nextDeadline } from './deadlines.ts'
import type { AcdInput } from './messages.ts'
import type { OfferFailure, Tier } from './model.ts'
import { compareSlots, comparePlaces } from './queue-line.ts'
import { isAvailable, isDispatchable, isStaffed, matches, placeOf, slotOf } from './rank.ts'
import type { AcdState } from './state.ts'
import { T0, acd, agent, agentId, callId, queue } from './test-builders.ts'

const policy = { noAnswerDelay: seconds(5), busyDelay: seconds(8), rejectDelay: seconds(3), unreachableDelay: seconds(12), maxNoAnswer: 2 }
const queues = [
  queue('sales', { callbackKey: '1', strategy: 'longest-idle', ringTimeout: seconds(15), wrapUp: seconds(10), noAnswer: policy, announceEvery: seconds(20),
    escalation: [{ after: seconds(20), action: { kind: 'relax-skills', by: 1 } }, { after: seconds(40), action: { kind: 'overflow', to: queueId('help') } }] }),
  queue('help', { strategy: 'ring-all', ringTimeout: seconds(10), wrapUp: 0, noAnswer: policy, callback: { maxAttempts: 2, retryDelay: seconds(30) },
    maxWait: { after: seconds(90), exit: { kind: 'callback', otherwise: 'sorry.wav' } } }),
  queue('vip', { strategy: 'fewest-calls', ringTimeout: seconds(12), wrapUp: seconds(5), noAnswer: policy,
    escalation: [{ after: seconds(30), action: { kind: 'widen' } }], maxWait: { after: seconds(120), exit: { kind: 'message', sound: 'bye.wav' } } }),
  queue('rr', { strategy: 'round-robin', noAnswer: policy, ringTimeout: seconds(9) }),
  queue('best', { strategy: 'most-skilled', noAnswer: policy, ringTimeout: seconds(9), wrapUp: seconds(3) }),
]
const QUEUES = queues.map((q) => q.id)
const SKILLS = ['tv', 'net', 'bill']
const AGENTS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5']
const CALLS = Array.from({ length: 12 }, (_, i) => `c${i}`)

function initial(): AcdState {
  return acd(queues, AGENTS.map((id, i) => agent(id, { [SKILLS[i % 3]!]: 1 + (i % 5), [SKILLS[(i + 1) % 3]!]: 1 + ((i * 2) % 5) }, {
    queues: [QUEUES[i % 5]!, QUEUES[(i + 2) % 5]!],
    registered: i !== 5,
    contact: i === 4 ? { kind: 'pstn', number: '5550100' } : { kind: 'sip', user: id },
    presence: i % 2 === 0 ? { kind: 'ready', since: T0 } : { kind: 'logged-out', since: T0 },
  })))
}

/** A step: how much time passes, and a recipe resolved against the state it meets. */
type Recipe = (s: AcdState) => AcdInput
const anAgent = fc.constantFrom(...AGENTS).map(agentId)
const aCall = fc.constantFrom(...CALLS).map(callId)
const pickOffer = (s: AcdState, n: number): OfferId => [...s.offers.values()][n % Math.max(1, s.offers.size)]?.id ?? offerId('gone/0')
const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.record({ call: aCall, q: fc.constantFrom(...QUEUES), tier: fc.constantFrom<Tier>('diamond', 'gold', 'silver', 'standard'),
    skill: fc.constantFrom(...SKILLS), min: fc.integer({ min: 1, max: 5 }), num: fc.boolean() })
    .map((r) => (): AcdInput => ({ kind: 'call-queued', call: r.call, queue: r.q, tier: r.tier, skills: [{ skill: r.skill, min: r.min }], ...(r.num ? { callerNumber: '555' } : {}) })),
  aCall.map((call) => (): AcdInput => ({ kind: 'call-abandoned', call })),
  aCall.map((call) => (): AcdInput => ({ kind: 'callback-requested', call, number: '5550199' })),
  fc.tuple(aCall, fc.constantFrom('1', '2')).map(([call, digit]) => (): AcdInput => ({ kind: 'caller-pressed', call, digit })),
  fc.tuple(aCall, fc.constantFrom('answered', 'no-answer', 'busy', 'failed') as fc.Arbitrary<'answered'>).map(([call, outcome]) => (): AcdInput => ({ kind: 'callback-outcome', call, outcome })),
  anAgent.map((agent) => (): AcdInput => ({ kind: 'agent-logged-in', agent })),
  anAgent.map((agent) => (): AcdInput => ({ kind: 'agent-logged-out', agent })),
  anAgent.map((agent) => (): AcdInput => ({ kind: 'agent-went-ready', agent })),
  anAgent.map((agent) => (): AcdInput => ({ kind: 'agent-went-not-ready', agent, reason: 'break' })),
  anAgent.map((agent) => (): AcdInput => ({ kind: 'agent-registered', agent })),
  anAgent.map((agent) => (): AcdInput => ({ kind: 'agent-unregistered', agent })),
  fc.nat().map((n) => (s: AcdState): AcdInput => ({ kind: 'offer-answered', offer: pickOffer(s, n) })),
  fc.tuple(fc.nat(), fc.constantFrom<OfferFailure>('no-answer', 'busy', 'rejected', 'unreachable', 'lost')).map(([n, cause]) => (s: AcdState): AcdInput => ({ kind: 'offer-failed', offer: pickOffer(s, n), cause })),
  fc.tuple(anAgent, aCall).map(([agent, call]) => (s: AcdState): AcdInput => {
    const a = s.agents.get(agent)
    return { kind: 'agent-call-ended', agent, call: a?.activity.kind === 'on-call' ? a.activity.call : call }
  }),
  anAgent.map((agent) => (): AcdInput => ({ kind: 'wrap-up-extended', agent, by: seconds(7) })),
  fc.constant((): AcdInput => ({ kind: 'tick' })),
  fc.tuple(anAgent, aCall).map(([agent, call]) => (): AcdInput => ({ kind: 'agent-call-restored', agent, call, queue: QUEUES[0]!, since: T0 })),
)
const step = fc.tuple(fc.integer({ min: 0, max: 25_000 }), recipe)

function violations(s: AcdState, now: number, ticked: boolean): string[] {
  const out: string[] = []
  const offersOf = new Map<string, number>()
  for (const o of s.offers.values()) {
    offersOf.set(o.agent, (offersOf.get(o.agent) ?? 0) + 1)
    const a = s.agents.get(o.agent)
    if (a?.activity.kind !== 'ringing' || a.activity.offer !== o.id) out.push(`offer ${o.id} has no ringing agent`)
    const c = s.calls.get(o.call)
    if (c?.phase.kind !== 'offered' || !c.phase.offers.includes(o.id)) out.push(`offer ${o.id} has no offered caller`)
  }
  for (const [a, n] of offersOf) if (n > 1) out.push(`agent ${a} has ${n} offers`)
  for (const a of s.agents.values()) {
    if (a.activity.kind === 'ringing' && !s.offers.has(a.activity.offer)) out.push(`${a.id} rings for a forgotten offer`)
    if (a.activity.kind === 'ringing' && !isStaffed(a)) out.push(`${a.id} rings while not ready or unregistered`)
    const d = activityDeadline(a.activity)
    if (a.activity.kind !== 'idle' && a.activity.kind !== 'on-call' && !(d !== undefined && Number.isFinite(d))) out.push(`${a.id} has no deadline`)
  }
  for (const c of s.calls.values()) {
    const q = s.queues.get(c.queue)!
    if (c.phase.kind === 'offered' && q.strategy !== 'ring-all' && c.phase.offers.length !== 1) out.push(`${c.id} offered to ${c.phase.offers.length}`)
    if (c.phase.kind === 'offered' && c.phase.offers.length === 0) out.push(`${c.id} offered to nobody`)
    if (!isDispatchable(c)) continue
    for (const a of s.agents.values()) {
      if (a.queues.includes(c.queue) && isAvailable(a) && matches(a, c)) out.push(`${a.id} idle while ${c.id} waits`)
    }
  }
  for (const q of queues) {
    const line = s.lines.get(q.id)
    const avail = [...s.agents.values()].filter((a) => a.queues.includes(q.id) && isAvailable(a)).map((a) => slotOf(a, q.strategy)).sort(compareSlots)
    const waiting = [...s.calls.values()].filter((c) => c.queue === q.id).map(placeOf).sort(comparePlaces)
    const staffed = [...s.agents.values()].filter((a) => a.queues.includes(q.id) && isStaffed(a)).length
    if (JSON.stringify(line?.available ?? []) !== JSON.stringify(avail)) out.push(`${q.id}: available index out of step`)
    if (JSON.stringify(line?.waiting ?? []) !== JSON.stringify(waiting)) out.push(`${q.id}: waiting index out of step`)
    if ((line?.staffed ?? 0) !== staffed) out.push(`${q.id}: staffed ${line?.staffed} ≠ ${staffed}`)
  }
  const next = nextDeadline(s)
  if (ticked && next !== undefined && next <= now) out.push(`deadline ${next - now} ms overdue after a tick`)
  return out
}

t.test('after every input: no double offer, no ring to an unready or unregistered phone, no idle agent beside a matching waiting caller, every transient state has a deadline', (t) => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
      let s = initial()
      let now = T0
      for (const [dt, make] of steps) {
        now += dt
        const input = make(s)
        s = decide(s, input, now).state
        const bad = violations(s, now, input.kind === 'tick')
        if (bad.length > 0) throw new Error(`${input.kind} at +${now - T0} ms: ${bad.join('; ')}`)
      }
    }),
    { numRuns: 400 },
  )
  t.pass('invariants held')
  t.end()
})

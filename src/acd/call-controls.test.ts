import t, { type Test } from 'tap'
import { agentId, callId, channelUuid, ok, queueId, type ChannelUuid } from '../shared/index.ts'
import type { CallEvent } from '../calls/index.ts'
import { CallControls } from './call-controls.ts'
import { settle, shellWorld, sipAgent, type ShellWorld } from './shell.test-support.ts'

const lin = agentId('lin')
const mei = agentId('mei')
const c1 = callId('c1')
const customer = channelUuid('leg-c1')

/** Lin (1005) is talking to c1 on leg agent-leg-1; Mei (1006) is free in the same queue. */
async function talking(t: Test) {
  const w = await shellWorld([sipAgent('lin', '1005'), sipAgent('mei', '1006', ['billing'])], { registered: ['1005', '1006'] })
  w.queues.rows.set(queueId('billing'), { ...w.queues.rows.get(queueId('support'))!, id: queueId('billing') })
  await w.acd.start()
  await w.acd.recover()
  w.acd.presence(lin, { state: 'ready' })
  t.ok(w.acd.enqueue(c1, { queue: queueId('support'), leg: customer }).ok)
  w.control.answered('agent-leg-1')
  await settle()
  w.acd.presence(mei, { state: 'ready' })
  const agentLeg: ChannelUuid | undefined = channelUuid('agent-leg-1')
  const evals: string[] = []
  const cdr: Array<Record<string, unknown>> = []
  let n = 0
  const controls = new CallControls({
    acd: w.acd, control: w.control, clock: w.clock, log: { info: () => undefined, warn: () => undefined },
    calls: { call: (id) => (id === c1 ? { customerLeg: customer, agentLeg, caller: { number: '13800000001', name: 'Wang' } } : undefined) },
    api: (cmd) => (evals.push(cmd), Promise.resolve(ok('gold|billing:2'))),
    dial: { sipDomain: 'hotline.local', pstnGateway: 'carrier' },
    newUuid: () => `xfer-leg-${++n}`,
    cdr: { patch: (call, p) => void cdr.push({ call, ...p }) },
  })
  const parked = (leg: string): void => controls.onCallEvent({ type: leg === customer ? 'customer-reparked' : 'agent-leg-reparked', leg: channelUuid(leg), callId: c1, offerId: 'o' } as CallEvent)
  /** Runs an operation, letting the legs park again as the switch would. */
  async function act<T>(p: Promise<T>, ...legs: string[]): Promise<T> {
    await settle()
    for (const leg of legs) parked(leg)
    return p
  }
  t.equal(w.acd.state.agents.get(lin)?.activity.kind, 'on-call')
  return { w, controls, act, evals, cdr }
}

const ops = (w: ShellWorld, from: number) => w.control.sent.slice(from).map((s) => `${s.op} ${s.leg}${s.arg === undefined ? '' : ` ${JSON.stringify(s.arg)}`}`)

t.test('hold moves the agent leg to the park extension, and music starts only once the caller has parked again', async (t) => {
  const { w, controls } = await talking(t)
  const from = w.control.sent.length
  const held = controls.hold(c1)
  await settle()
  t.same(ops(w, from), ['transfer agent-leg-1 "hotline"'])
  controls.onCallEvent({ type: 'customer-reparked', callId: c1, leg: customer })
  t.match(await held, { ok: true, value: { held: true, agent: 'lin' } })
  t.same(ops(w, from).slice(1), ['setVars leg-c1 {"hotline_held_leg":"agent-leg-1"}', 'hold leg-c1 "local_stream://moh"'], 'stamped for a restart, then music')
  t.match(w.notices.at(-1)?.event, { kind: 'call-held', call: 'c1', agent: 'lin' })
  t.match(w.acd.state.agents.get(lin)?.activity, { kind: 'on-call', held: true })
})

t.test('a caller who does not park again in time still gets the music: the switch has the last word', async (t) => {
  const { w, controls } = await talking(t)
  const before = w.control.ops('hold').length
  const held = controls.hold(c1)
  await settle()
  t.equal(w.control.ops('hold').length, before, 'waiting for the park')
  w.clock.advance(2000)
  t.match(await held, { ok: true })
  t.equal(w.control.ops('hold').length, before + 1)
})

t.test('unhold bridges the caller and the agent again and tells everyone the call resumed', async (t) => {
  const { w, controls, act } = await talking(t)
  await act(controls.hold(c1), customer)
  const from = w.control.sent.length
  t.match(await controls.unhold(c1), { ok: true, value: { held: false } })
  t.same(ops(w, from), ['bridge leg-c1 "agent-leg-1"', 'setVars leg-c1 {"hotline_held_leg":""}'])
  t.match(w.notices.at(-1)?.event, { kind: 'call-resumed', call: 'c1' })
})

t.test('after a restart a caller on hold is still on hold with its agent, who can resume it', async (t) => {
  const w = await shellWorld([sipAgent('lin', '1005')], { registered: ['1005'] })
  // The old process held c9 for lin: the legs are parked apart; only the stamp pairs them.
  w.api.set('show channels', JSON.stringify({ row_count: 2, rows: [{ uuid: 'cust', application: 'playback', application_data: 'local_stream://moh' }, { uuid: 'desk', application: 'park' }] }))
  w.api.set('eval uuid:cust', 'c9|support|standard||1000||lin||3000|desk|answered|13800000001\n')
  w.api.set('eval uuid:desk', 'c9|||||c9/1|lin||3000||answered|1005\n')
  t.match(await w.acd.recover(), { ok: true, value: { held: 1, waiting: 0, cancelled: 0 } })
  t.match(w.acd.state.agents.get(lin)?.activity, { kind: 'on-call', call: 'c9', held: true })
  t.same(w.control.ops('hangup'), [], "neither leg is hung up")
  const controls = new CallControls({
    acd: w.acd, control: w.control, clock: w.clock, log: { info: () => undefined, warn: () => undefined },
    calls: { call: (id) => (id === 'c9' ? { customerLeg: channelUuid('cust'), agentLeg: undefined, caller: { number: '13800000001', name: 'Wang' } } : undefined) },
    api: () => Promise.resolve(ok('')), dial: { sipDomain: 'hotline.local', pstnGateway: 'carrier' },
  })
  t.match(controls.view(callId('c9')), { held: true, agent: 'lin' })
  t.match(await controls.unhold(callId('c9')), { ok: true, value: { held: false } })
  t.same(w.control.ops('bridge'), [{ op: 'bridge', leg: 'cust', arg: 'desk' }])
  t.match(w.acd.state.agents.get(lin)?.activity, { kind: 'on-call', call: 'c9', held: false })
})

t.test("the agent's hangup of a held caller ends the call", async (t) => {
  const { w, controls, act } = await talking(t)
  await act(controls.hold(c1), customer)
  controls.onCallEvent({ type: 'agent-leg-ended', offerId: 'o' as never, leg: channelUuid('agent-leg-1'), cause: 'NORMAL_CLEARING', callId: c1 })
  t.same(w.control.ops('hangup').at(-1), { op: 'hangup', leg: customer, arg: 'NORMAL_CLEARING' })
})

t.test('hang up from the console kills the customer leg', async (t) => {
  const { w, controls } = await talking(t)
  t.match(await controls.hangup(c1), { ok: true })
  t.same(w.control.ops('hangup').at(-1), { op: 'hangup', leg: customer, arg: 'NORMAL_CLEARING' })
})

t.test('a blind transfer to an agent reserves her at once, rings her phone with the caller id, and bridges the caller when she answers', async (t) => {
  const { w, controls, act } = await talking(t)
  t.match(await act(controls.transfer(c1, { kind: 'agent', agent: mei }, 'blind'), customer), { ok: true })
  t.equal(w.acd.state.agents.get(lin)?.activity.kind, 'wrap-up')
  t.match(w.acd.state.agents.get(mei)?.activity, { kind: 'on-call', call: 'c1', queue: 'support' })
  const spec = w.control.originates.at(-1)
  t.match(spec, { uuid: 'xfer-leg-1', dial: 'user/1006@hotline.local', vars: { hotline_agent: 'mei', hotline_call_id: 'c1', park_after_bridge: 'true', origination_caller_id_number: '13800000001' } })
  const from = w.control.sent.length
  w.control.answered('xfer-leg-1')
  await settle()
  await settle()
  t.match(ops(w, from), [/^setVars leg-c1 .*"hotline_agent":"mei"/, 'bridge leg-c1 "xfer-leg-1"'])
})

t.test('a blind transfer to an agent who does not answer frees her and puts the caller back in the queue with its tier', async (t) => {
  const { w, controls, act, evals } = await talking(t)
  await act(controls.transfer(c1, { kind: 'agent', agent: mei }, 'blind'), customer)
  w.control.failed('xfer-leg-1', 'NO_ANSWER')
  for (let i = 0; i < 4; i++) await settle()
  t.equal(w.acd.state.agents.get(mei)?.activity.kind, 'idle')
  t.match(w.acd.state.calls.get(c1), { queue: 'support', tier: 'gold', skills: [{ skill: 'billing', min: 2 }] })
  t.match(evals.at(-1), /^eval uuid:leg-c1 \$\{variable_hotline_tier\}\|\$\{variable_hotline_skills\}$/)
})

t.test('a blind transfer to a number sends the caller out through the agents dial plan with the outbound prefix', async (t) => {
  const { w, controls } = await talking(t)
  t.match(await controls.transfer(c1, { kind: 'number', number: '02588886666' }, 'blind'), { ok: true })
  t.same(w.control.ops('transfer').at(-1), { op: 'transfer', leg: customer, arg: '902588886666' })
  t.equal(w.acd.state.agents.get(lin)?.activity.kind, 'wrap-up')
})

t.test('a consulted transfer holds the caller, bridges the agent to the consulted party, and cancel brings the caller back', async (t) => {
  const { w, controls, act } = await talking(t)
  const consulting = act(controls.transfer(c1, { kind: 'agent', agent: mei }, 'consulted'), customer)
  await settle()
  w.control.answered('xfer-leg-1')
  t.match(await consulting, { ok: true, value: { held: true, consulting: { kind: 'agent', agent: 'mei' } } })
  t.same(w.control.ops('bridge').at(-1), { op: 'bridge', leg: 'agent-leg-1', arg: 'xfer-leg-1' })
  t.match(await controls.transfer(c1, { kind: 'queue', queue: queueId('support') }, 'blind'), { ok: false, error: { code: 'transfer-in-progress' } })
  t.match(await controls.unhold(c1), { ok: false, error: { code: 'transfer-in-progress' } })
  const from = w.control.sent.length
  t.match(await act(controls.cancel(c1), 'agent-leg-1'), { ok: true, value: { held: false, consulting: undefined } })
  t.same(ops(w, from), ['hangup xfer-leg-1 "NORMAL_CLEARING"', 'bridge leg-c1 "agent-leg-1"', 'setVars leg-c1 {"hotline_held_leg":""}'])
  t.equal(w.acd.state.agents.get(mei)?.activity.kind, 'idle', 'Mei is free again, with no wrap-up')
  t.match(w.acd.state.agents.get(lin)?.activity, { kind: 'on-call', held: false })
})

t.test('a consultation that is not answered leaves the caller on hold with the agent and frees the target', async (t) => {
  const { w, controls, act } = await talking(t)
  const consulting = act(controls.transfer(c1, { kind: 'number', number: '13900001111' }, 'consulted'), customer)
  await settle()
  t.equal(w.control.originates.at(-1)?.dial, 'sofia/gateway/carrier/13900001111')
  w.control.failed('xfer-leg-1', 'NO_ANSWER')
  t.match(await consulting, { ok: false, error: { code: 'transfer-no-answer' } })
  t.match(await controls.complete(c1), { ok: false, error: { code: 'transfer-none' } })
  t.match(await controls.unhold(c1), { ok: true })
})

t.test('completing a consultation with a number bridges the caller to it and lets it hang up with the caller', async (t) => {
  const { w, controls, act } = await talking(t)
  const consulting = act(controls.transfer(c1, { kind: 'number', number: '13900001111' }, 'consulted'), customer)
  await settle()
  w.control.answered('xfer-leg-1')
  await consulting
  const from = w.control.sent.length
  t.match(await act(controls.complete(c1), 'xfer-leg-1'), { ok: true })
  t.same(ops(w, from), ['transfer agent-leg-1 "hotline"', 'bridge leg-c1 "xfer-leg-1"', 'setVars leg-c1 {"hotline_held_leg":""}', 'setVars xfer-leg-1 {"park_after_bridge":"false"}'])
  t.equal(w.acd.state.agents.get(lin)?.activity.kind, 'wrap-up')
})

t.test('refusals carry stable codes', async (t) => {
  const { controls } = await talking(t)
  t.match(await controls.hold(callId('nope')), { ok: false, error: { code: 'call-unknown' } })
  t.match(await controls.unhold(c1), { ok: false, error: { code: 'call-not-held' } })
  t.match(await controls.unhold(callId('nope')), { ok: false, error: { code: 'call-unknown' } })
  t.match(await controls.complete(c1), { ok: false, error: { code: 'transfer-none' } })
  t.match(await controls.cancel(c1), { ok: false, error: { code: 'transfer-none' } })
  t.match(await controls.transfer(c1, { kind: 'queue', queue: queueId('nope') }, 'blind'), { ok: false, error: { code: 'queue-unknown' } })
  t.match(await controls.transfer(c1, { kind: 'queue', queue: queueId('support') }, 'consulted'), { ok: false, error: { code: 'transfer-target-invalid' } })
  t.match(await controls.transfer(c1, { kind: 'agent', agent: agentId('ghost') }, 'blind'), { ok: false, error: { code: 'agent-unknown' } })
  t.match(await controls.transfer(c1, { kind: 'agent', agent: lin }, 'blind'), { ok: false, error: { code: 'transfer-target-invalid' } })
  t.match(await controls.transfer(c1, { kind: 'number', number: '12' }, 'blind'), { ok: false, error: { code: 'transfer-target-invalid' } })
})

t.test('a busy or not-ready agent cannot be transferred to', async (t) => {
  const { w, controls } = await talking(t)
  w.acd.presence(mei, { state: 'not-ready', reason: 'lunch' })
  t.match(await controls.transfer(c1, { kind: 'agent', agent: mei }, 'consulted'), { ok: false, error: { code: 'transfer-target-unavailable' } })
  t.equal(w.control.ops('transfer').length, 0, 'nothing moved')
})

t.test('a call with no agent on it cannot be controlled', async (t) => {
  const { w, controls } = await talking(t)
  w.acd.feed({ kind: 'agent-call-ended', agent: lin, call: c1 })
  t.match(await controls.hold(c1), { ok: false, error: { code: 'agent-not-on-call' } })
  t.equal(controls.agentOn(c1), undefined)
})

const transfers = (w: ShellWorld) => w.notices.flatMap((n) => (n.event.kind === 'call-transferred' ? [n.event] : []))

t.test("a blind transfer to an agent tells call-transferred once, before her phone rings, so her console pops the caller", async (t) => {
  const { w, controls, act } = await talking(t)
  let toldBeforeRing: number | undefined
  const originate = w.control.originate.bind(w.control)
  w.control.originate = (spec) => ((toldBeforeRing = transfers(w).length), originate(spec))
  await act(controls.transfer(c1, { kind: 'agent', agent: mei }, 'blind'), customer)
  t.same(transfers(w), [{ kind: 'call-transferred', call: 'c1', from: 'lin', to: 'mei', queue: 'support', how: 'blind' }])
  t.equal(toldBeforeRing, 1, 'told before the originate that rings her')
  w.control.answered('xfer-leg-1')
  for (let i = 0; i < 3; i++) await settle()
  t.equal(transfers(w).length, 1, 'her answering tells nothing again')
})

const answers = (w: ShellWorld) => w.notices.flatMap((n) => (n.event.kind === 'transfer-answered' ? [n.event] : []))

t.test('a blind transfer tells transfer-answered once, when her leg is answered and bridged to the caller, so her pop reads answered', async (t) => {
  const { w, controls, act } = await talking(t)
  await act(controls.transfer(c1, { kind: 'agent', agent: mei }, 'blind'), customer)
  await settle()
  t.same(answers(w), [], 'still ringing: not talking yet')
  w.control.answered('xfer-leg-1')
  for (let i = 0; i < 3; i++) await settle()
  t.same(answers(w), [{ kind: 'transfer-answered', call: 'c1', agent: 'mei', queue: 'support' }])
  t.same(w.control.ops('bridge').at(-1), { op: 'bridge', leg: customer, arg: 'xfer-leg-1' }, 'told after the bridge')
  t.match(w.acd.state.agents.get(mei)?.activity, { kind: 'on-call', call: 'c1' })
})

t.test('a blind transfer not answered, or a consultation answered, tells no transfer-answered', async (t) => {
  const unanswered = await talking(t)
  await unanswered.act(unanswered.controls.transfer(c1, { kind: 'agent', agent: mei }, 'blind'), customer)
  unanswered.w.control.failed('xfer-leg-1', 'NO_ANSWER')
  for (let i = 0; i < 4; i++) await settle()
  t.same(answers(unanswered.w), [])
  const consulted = await talking(t)
  await consultMei(consulted)
  t.match(await consulted.act(consulted.controls.complete(c1), 'xfer-leg-1'), { ok: true })
  t.same(answers(consulted.w), [], 'a consulted agent pops answered already')
})

/** Lin consults Mei about c1 and Mei answers. */
async function consultMei({ w, controls, act }: Pick<Awaited<ReturnType<typeof talking>>, 'w' | 'controls' | 'act'>): Promise<void> {
  const consulting = act(controls.transfer(c1, { kind: 'agent', agent: mei }, 'consulted'), customer)
  await settle()
  w.control.answered('xfer-leg-1')
  await consulting
}

t.test('a completed consultation with an agent tells call-transferred once, at completion, and the first agent wraps up', async (t) => {
  const { w, controls, act } = await talking(t)
  await consultMei({ w, controls, act })
  t.same(transfers(w), [], 'consulting is not yet a transfer')
  t.match(await act(controls.complete(c1), 'xfer-leg-1'), { ok: true })
  t.same(transfers(w), [{ kind: 'call-transferred', call: 'c1', from: 'lin', to: 'mei', queue: 'support', how: 'consulted' }])
  t.equal(w.acd.state.agents.get(lin)?.activity.kind, 'wrap-up')
  t.match(w.acd.state.agents.get(mei)?.activity, { kind: 'on-call', call: 'c1' })
})

t.test('a cancelled consultation, or one with a number, tells no transfer', async (t) => {
  const { w, controls, act } = await talking(t)
  await consultMei({ w, controls, act })
  await act(controls.cancel(c1), 'agent-leg-1')
  const toNumber = act(controls.transfer(c1, { kind: 'number', number: '13900001111' }, 'consulted'), customer)
  await settle()
  w.control.answered('xfer-leg-2')
  await toNumber
  t.match(await act(controls.complete(c1), 'xfer-leg-2'), { ok: true })
  t.same(transfers(w), [])
  t.equal(w.acd.state.agents.get(lin)?.activity.kind, 'wrap-up')
})

t.test('a blind transfer to an agent taken while the legs parted brings the caller back and tells no transfer', async (t) => {
  const { w, controls, act } = await talking(t)
  const sending = controls.transfer(c1, { kind: 'agent', agent: mei }, 'blind')
  await settle()
  w.acd.presence(mei, { state: 'not-ready', reason: 'lunch' })
  t.match(await act(sending, customer), { ok: false, error: { code: 'transfer-target-unavailable' } })
  t.same(w.control.ops('bridge').at(-1), { op: 'bridge', leg: customer, arg: 'agent-leg-1' })
  t.match(w.acd.state.agents.get(lin)?.activity, { kind: 'on-call', held: false })
  t.same(transfers(w), [])
  t.equal(w.control.originates.length, 1, 'only the first offer rang a phone')
})

t.test('the CDR records a blind transfer to a number as transferred, with the number', async (t) => {
  const { controls, cdr } = await talking(t)
  t.match(await controls.transfer(c1, { kind: 'number', number: '02588886666' }, 'blind'), { ok: true })
  t.same(cdr, [{ call: 'c1', transferredTo: 'number:02588886666', outcome: 'transferred' }])
})

t.test('a blind transfer to an agent records the target; the call goes on here, so no outcome yet', async (t) => {
  const { controls, cdr, act } = await talking(t)
  t.match(await act(controls.transfer(c1, { kind: 'agent', agent: mei }, 'blind'), customer), { ok: true })
  t.same(cdr, [{ call: 'c1', transferredTo: 'agent:mei' }])
})

t.test('a refused transfer leaves the CDR alone', async (t) => {
  const { controls, cdr } = await talking(t)
  await controls.transfer(c1, { kind: 'number', number: '12' }, 'blind')
  t.same(cdr, [])
})

t.test('a consulted agent who hangs up just as the transfer is completed: the caller is back with the first agent, never left on hold', async (t) => {
  const { w, controls, act } = await talking(t)
  await consultMei({ w, controls, act })
  w.control.gone.add('xfer-leg-1')
  const from = w.control.sent.length
  t.match(await act(controls.complete(c1), 'xfer-leg-1'), { ok: false, error: { code: 'transfer-no-answer' } })
  t.same(ops(w, from), [
    'transfer agent-leg-1 "hotline"', 'setVars leg-c1 {"hotline_agent":"mei","hotline_bridged_at":"' + String(w.clock.now()) + '"}', 'bridge leg-c1 "xfer-leg-1"',
    'hangup xfer-leg-1 "NORMAL_CLEARING"', 'setVars leg-c1 {"hotline_agent":"lin"}', 'bridge leg-c1 "agent-leg-1"', 'setVars leg-c1 {"hotline_held_leg":""}',
  ])
  t.match(w.acd.state.agents.get(lin)?.activity, { kind: 'on-call', call: 'c1', held: false }, 'Lin talks to the caller again')
  t.equal(w.acd.state.agents.get(mei)?.activity.kind, 'idle', 'Mei is free')
  t.same(transfers(w), [], 'no transfer told')
  t.match(await controls.complete(c1), { ok: false, error: { code: 'transfer-none' } })
})

t.test('the ACD knows the agent\'s phone leg from the answer, before any bridge is seen (a supervisor may listen in at once)', async (t) => {
  const { w } = await talking(t)
  t.equal(w.acd.phoneLeg(lin), 'agent-leg-1')
  t.equal(w.acd.phoneLeg(mei), undefined, 'no leg for an agent with no call')
})

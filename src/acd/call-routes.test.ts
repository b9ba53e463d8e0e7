import t, { type Test } from 'tap'
import { agentId, callId, channelUuid, offerId, ok, queueId } from '../shared/index.ts'
import { CallControls } from './call-controls.ts'
import { callRoutes, transferTarget } from './call-routes.ts'
import { serveAs } from './routes.test-support.ts'
import { settle, shellWorld, sipAgent } from './shell.test-support.ts'

/** Lin talks to c1; the `x-as` header stands in for the bearer-token layer: `role[:agent]`. */
async function serve(t: Test) {
  const w = await shellWorld([sipAgent('lin', '1005'), sipAgent('mei', '1006')], { registered: ['1005', '1006'] })
  w.acd.presence(agentId('lin'), { state: 'ready' })
  w.acd.enqueue(callId('c1'), { queue: queueId('support'), leg: channelUuid('leg-c1') })
  w.control.answered('agent-leg-1')
  await settle()
  let n = 0
  const controls = new CallControls({
    acd: w.acd, control: w.control, clock: w.clock, log: { info: () => undefined, warn: () => undefined },
    calls: { call: (id) => (id === 'c1' ? { customerLeg: channelUuid('leg-c1'), agentLeg: channelUuid('agent-leg-1'), caller: { number: '1', name: '' } } : undefined) },
    api: () => Promise.resolve(ok('|')), dial: { sipDomain: 'h', pstnGateway: 'carrier' }, newUuid: () => `xfer-leg-${++n}`,
  })
  const base = await serveAs(t, callRoutes({ controls, acd: w.acd }))
  const post = async (path: string, as: string, body?: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'x-as': as, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } & Record<string, unknown> }
  }
  const get = async (path: string, as: string) => {
    const res = await fetch(base + path, { headers: { 'x-as': as } })
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } & Record<string, unknown> }
  }
  return { w, post, get, controls }
}

/** Yields to the event loop (the request runs in this process) until the fake switch has seen `cond`. */
async function until(cond: () => boolean): Promise<void> {
  const giveUp = Date.now() + 5_000
  while (!cond() && Date.now() < giveUp) await settle()
  if (!cond()) throw new Error('condition never became true')
}

/** The switch re-parks a leg after its partner left the bridge (park_after_bridge, esl-captures fact 12). */
const reparked = (controls: CallControls, type: 'customer-reparked' | 'agent-leg-reparked', leg: string): void =>
  controls.onCallEvent(type === 'customer-reparked' ? { type, callId: callId('c1'), leg: channelUuid(leg) } : { type, offerId: offerId('o'), leg: channelUuid(leg) })

/** Lin asks for a consultation with Mei (ready); the switch parks the caller and Mei answers. */
async function consulting(t: Test) {
  const s = await serve(t)
  s.w.acd.presence(agentId('mei'), { state: 'ready' })
  const transfers = s.w.control.ops('transfer').length
  const answer = s.post('/calls/c1/transfer', 'agent:lin', { to: 'agent:mei', kind: 'consulted' })
  await until(() => s.w.control.ops('transfer').length > transfers)
  reparked(s.controls, 'customer-reparked', 'leg-c1')
  await until(() => s.w.control.originates.some((o) => o.uuid === 'xfer-leg-1'))
  s.w.control.answered('xfer-leg-1')
  return { ...s, answer: await answer }
}

t.test('only the agent on the call, or a supervisor, may control it', async (t) => {
  const { w, post } = await serve(t)
  t.match(await post('/calls/c1/hangup', 'agent:mei'), { status: 403, body: { error: { code: 'forbidden' } } })
  t.equal(w.control.ops('hangup').length, 0)
  t.match(await post('/calls/c1/hangup', 'supervisor'), { status: 200, body: { call: 'c1' } })
  t.match(await post('/calls/c2/hold', 'agent:lin'), { status: 409, body: { error: { code: 'agent-not-on-call' } } })
  t.match(await post('/calls/c2/hold', 'supervisor'), { status: 404, body: { error: { code: 'call-unknown' } } })
  t.match(await post('/calls/c1/hold', ''), { status: 401 })
})

t.test('a transfer takes the console free text or an object, and a bad body is a clear 400', async (t) => {
  const { w, post } = await serve(t)
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: 'nobody-here', kind: 'blind' }), { status: 400, body: { error: { code: 'transfer-target-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: { queue: 'support' }, kind: 'sideways' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { kind: 'blind' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: { queue: 'support' }, kind: 'consulted' }), { status: 400, body: { error: { code: 'transfer-target-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: 'mei', kind: 'blind' }), { status: 409, body: { error: { code: 'transfer-target-unavailable' } } }, 'Mei is logged out')
  t.match(await post('/calls/c1/transfer/complete', 'agent:lin'), { status: 409, body: { error: { code: 'transfer-none' } } })
  t.match(await post('/calls/c1/unhold', 'agent:lin'), { status: 409, body: { error: { code: 'call-not-held' } } })
  const number = post('/calls/c1/transfer', 'agent:lin', { to: '02588886666', kind: 'blind' })
  t.match(await number, { status: 202, body: { call: 'c1', agent: 'lin' } })
  t.same(w.control.ops('transfer').at(-1), { op: 'transfer', leg: 'leg-c1', arg: '902588886666' })
})

t.test('free text names an agent, a queue or a number; prefixes make it explicit', (t) => {
  const known = { agents: new Map([[agentId('mei'), {}]]), queues: new Map([[queueId('support'), {}]]) } as never
  t.same(transferTarget('mei', known), { kind: 'agent', agent: 'mei' })
  t.same(transferTarget('support', known), { kind: 'queue', queue: 'support' })
  t.same(transferTarget('+8613900001111', known), { kind: 'number', number: '+8613900001111' })
  t.same(transferTarget('queue:billing', known), { kind: 'queue', queue: 'billing' })
  t.same(transferTarget('agent:zhou', known), { kind: 'agent', agent: 'zhou' })
  t.equal(transferTarget('phone:123', known), undefined)
  t.equal(transferTarget('agent:bad id', known), undefined)
  t.equal(transferTarget('who?', known), undefined)
  t.same(transferTarget({ number: '110' }, known), { kind: 'number', number: '110' })
  t.end()
})

t.test('hold from the console parks the agent leg and plays music to the caller; unhold bridges them again', async (t) => {
  const { w, post, controls } = await serve(t)
  const from = w.control.sent.length
  const held = post('/calls/c1/hold', 'agent:lin')
  await until(() => w.control.sent.length > from)
  t.same(w.control.sent.slice(from), [{ op: 'transfer', leg: 'agent-leg-1', arg: 'hotline' }], 'no music before the caller has parked again')
  reparked(controls, 'customer-reparked', 'leg-c1')
  t.match(await held, { status: 200, body: { call: 'c1', agent: 'lin', held: true } })
  t.same(w.control.sent.slice(from + 1), [{ op: 'setVars', leg: 'leg-c1', arg: { hotline_held_leg: 'agent-leg-1' } }, { op: 'hold', leg: 'leg-c1', arg: 'local_stream://moh' }])
  t.match(w.acd.state.agents.get(agentId('lin'))?.activity, { kind: 'on-call', call: 'c1', held: true })
  t.match(w.notices.at(-1)?.event, { kind: 'call-held', call: 'c1', agent: 'lin' })
  t.match(await post('/calls/c1/hold', 'agent:lin'), { status: 409, body: { error: { code: 'call-already-held' } } })

  const back = w.control.sent.length
  t.match(await post('/calls/c1/unhold', 'agent:lin'), { status: 200, body: { call: 'c1', agent: 'lin', held: false } })
  t.same(w.control.sent.slice(back), [{ op: 'bridge', leg: 'leg-c1', arg: 'agent-leg-1' }, { op: 'setVars', leg: 'leg-c1', arg: { hotline_held_leg: '' } }])
  t.match(w.acd.state.agents.get(agentId('lin'))?.activity, { kind: 'on-call', call: 'c1', held: false })
  t.match(w.notices.at(-1)?.event, { kind: 'call-resumed', call: 'c1' })
})

t.test('a consulted transfer from the console holds the caller and bridges the agent to the consulted agent', async (t) => {
  const { w, answer } = await consulting(t)
  t.match(answer, { status: 202, body: { call: 'c1', agent: 'lin', held: true, consulting: { kind: 'agent', agent: 'mei' } } })
  t.match(w.control.originates.at(-1), { uuid: 'xfer-leg-1', dial: 'user/1006@h', vars: { hotline_call_id: 'c1', park_after_bridge: 'true' } })
  t.same(w.control.ops('bridge').at(-1), { op: 'bridge', leg: 'agent-leg-1', arg: 'xfer-leg-1' })
  t.match(w.acd.state.agents.get(agentId('mei'))?.activity, { kind: 'on-call', call: 'c1' }, 'Mei is reserved: no offer reaches her')
})

t.test('a reloaded console reads the call it controls: held, and the consultation open; not another agent\'s call', async (t) => {
  const { get } = await consulting(t)
  t.match(await get('/calls/c1', 'agent:lin'), { status: 200, body: { call: 'c1', agent: 'lin', held: true, consulting: { kind: 'agent', agent: 'mei' } } })
  t.match(await get('/calls/c1', 'agent:chen'), { status: 403, body: { error: { code: 'forbidden' } } })
  t.match(await get('/calls/nope', 'supervisor'), { status: 409, body: { error: { code: 'agent-not-on-call' } } })
})

t.test('completing a consulted transfer bridges the caller to the consulted agent, who then controls the call; the first agent wraps up', async (t) => {
  const { w, post, controls } = await consulting(t)
  const from = w.control.sent.length
  const done = post('/calls/c1/transfer/complete', 'agent:lin')
  await until(() => w.control.sent.length > from)
  t.same(w.control.sent.slice(from), [{ op: 'transfer', leg: 'agent-leg-1', arg: 'hotline' }], 'Lin leaves the consultation first')
  reparked(controls, 'agent-leg-reparked', 'xfer-leg-1')
  const res = await done
  t.match(res, { status: 200, body: { call: 'c1', agent: 'lin', held: false } })
  t.notOk('consulting' in res.body, 'no consultation any more')
  t.match(w.control.sent.slice(from + 1), [
    { op: 'setVars', leg: 'leg-c1', arg: { hotline_agent: 'mei', hotline_bridged_at: String(w.clock.now()) } },
    { op: 'bridge', leg: 'leg-c1', arg: 'xfer-leg-1' },
  ])
  t.match(w.acd.state.agents.get(agentId('lin'))?.activity, { kind: 'wrap-up', call: 'c1' })
  t.match(w.acd.state.agents.get(agentId('mei'))?.activity, { kind: 'on-call', call: 'c1' })
  t.match(await post('/calls/c1/hold', 'agent:lin'), { status: 403, body: { error: { code: 'forbidden' } } }, 'the call is Mei\'s now')
  t.match(await post('/calls/c1/transfer/complete', 'agent:mei'), { status: 409, body: { error: { code: 'transfer-none' } } })
})

t.test('cancelling a consulted transfer hangs up the consulted agent and brings the caller back to the first agent', async (t) => {
  const { w, post, controls } = await consulting(t)
  const from = w.control.sent.length
  const cancelled = post('/calls/c1/transfer/cancel', 'agent:lin')
  await until(() => w.control.sent.length > from)
  t.same(w.control.sent.slice(from), [{ op: 'hangup', leg: 'xfer-leg-1', arg: 'NORMAL_CLEARING' }])
  reparked(controls, 'agent-leg-reparked', 'agent-leg-1')
  t.match(await cancelled, { status: 200, body: { call: 'c1', agent: 'lin', held: false } })
  t.same(w.control.sent.slice(from + 1), [{ op: 'bridge', leg: 'leg-c1', arg: 'agent-leg-1' }, { op: 'setVars', leg: 'leg-c1', arg: { hotline_held_leg: '' } }])
  t.match(w.acd.state.agents.get(agentId('lin'))?.activity, { kind: 'on-call', call: 'c1', held: false })
  t.match(w.acd.state.agents.get(agentId('mei'))?.activity, { kind: 'idle' }, 'Mei is free again, with no wrap-up')
  t.match(await post('/calls/c1/transfer/cancel', 'agent:lin'), { status: 409, body: { error: { code: 'transfer-none' } } })
})

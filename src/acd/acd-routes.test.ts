import t, { type Test } from 'tap'
import { agentId, callId, channelUuid } from '../shared/index.ts'
import { acdRoutes } from './acd-routes.ts'
import { serveAs } from './routes.test-support.ts'
import { settle, shellWorld, sipAgent } from './shell.test-support.ts'

/** Serves the ACD routes; the `x-as` header stands in for the bearer-token layer: `role[:agent]`. */
async function serve(t: Test) {
  const w = await shellWorld([sipAgent('lin', '1005'), sipAgent('mei', '1006')], { registered: ['1005', '1006'] })
  const base = await serveAs(t, acdRoutes({ acd: w.acd }))
  const call = async (method: string, path: string, as: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', 'x-as': as }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  return { w, call, base }
}

t.test('an agent may change their own presence, not a colleague\'s; a supervisor may change anyone\'s', async (t) => {
  const { call } = await serve(t)
  const own = await call('POST', '/agents/lin/presence', 'agent:lin', { state: 'ready' })
  t.equal(own.status, 200)
  t.match(own.body, { id: 'lin', presence: { kind: 'ready' }, registered: true })
  const other = await call('POST', '/agents/mei/presence', 'agent:lin', { state: 'ready' })
  t.match(other, { status: 403, body: { error: { code: 'forbidden' } } })
  const sup = await call('POST', '/agents/mei/presence', 'supervisor', { state: 'not-ready', reason: 'lunch' })
  t.match(sup, { status: 200, body: { presence: { kind: 'not-ready', reason: 'lunch' } } })
})

t.test('bad presence bodies and unknown reasons answer 400 with clear codes; an unknown agent 404', async (t) => {
  const { call } = await serve(t)
  t.match(await call('POST', '/agents/lin/presence', 'supervisor', { state: 'asleep' }), { status: 400, body: { error: { code: 'body-invalid', message: /body\.state/ } } })
  t.match(await call('POST', '/agents/lin/presence', 'supervisor', { state: 'ready', extra: 1 }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await call('POST', '/agents/lin/presence', 'supervisor', { state: 'not-ready', reason: 'nap' }), { status: 400, body: { error: { code: 'reason-unknown', message: /break, lunch/ } } })
  t.match(await call('POST', '/agents/nobody/presence', 'supervisor', { state: 'ready' }), { status: 404, body: { error: { code: 'agent-unknown' } } })
})

t.test('agents CRUD: create with skills 1-5 and queues, reject level 6, an unknown queue and a taken contact', async (t) => {
  const { call } = await serve(t)
  const made = await call('PUT', '/agents/zhao', 'supervisor', { name: 'Zhao', contact: { kind: 'sip', user: '1007' }, skills: { billing: 4 }, queues: ['support'] })
  t.match(made, { status: 200, body: { id: 'zhao', skills: { billing: 4 }, presence: { kind: 'logged-out' }, registered: false } })
  t.match(await call('PUT', '/agents/zhao/skills', 'supervisor', { skills: { billing: 6 } }), { status: 400, body: { error: { code: 'body-invalid', message: /skills\.billing/ } } })
  t.match(await call('PUT', '/agents/zhao', 'supervisor', { name: 'Zhao', contact: { kind: 'sip', user: '1007' }, queues: ['nope'] }), { status: 404, body: { error: { code: 'queue-unknown' } } })
  t.match(await call('PUT', '/agents/dup', 'supervisor', { name: 'Dup', contact: { kind: 'sip', user: '1005' } }), { status: 409, body: { error: { code: 'agent-contact-taken' } } })
  t.match(await call('PUT', '/agents/zhao', 'agent:zhao', { name: 'Z', contact: { kind: 'sip', user: '1007' } }), { status: 403 })
  t.match(await call('DELETE', '/agents/zhao', 'supervisor'), { status: 200 })
  t.match(await call('GET', '/agents/zhao', 'supervisor'), { status: 404 })
})

t.test('the live snapshot shows waiting callers with tier and wait, and agents by state with time in state', async (t) => {
  const { call, w } = await serve(t)
  w.acd.presence(agentId('lin'), { state: 'ready' })
  w.acd.enqueue(callId('c1'), { queue: 'support' as never, tier: 'gold' })
  w.acd.enqueue(callId('c2'), { queue: 'support' as never })
  w.clock.advance(5000)
  const live = await call('GET', '/queues/support/live', 'agent:lin')
  t.equal(live.status, 200)
  t.match(live.body, {
    queue: 'support',
    waiting: [{ call: 'c1', tier: 'gold', waited: 5000, phase: 'offered' }, { call: 'c2', tier: 'standard', waited: 5000, phase: 'waiting' }],
    agents: [{ id: 'lin', activity: { kind: 'ringing' }, presenceForMs: 5000 }, { id: 'mei', presence: { kind: 'logged-out' } }],
    byState: { ringing: 1, 'logged-out': 1 },
  })
  t.match(await call('GET', '/queues/nope/live', 'supervisor'), { status: 404, body: { error: { code: 'queue-unknown' } } })
})

t.test('queues CRUD: durations in ms, overflow to an unknown queue refused, a queue with callers not removed', async (t) => {
  const { call, w } = await serve(t)
  t.match(await call('PUT', '/queues/vip', 'supervisor', { strategy: 'most-skilled', ringTimeout: 15000 }), { status: 200, body: { id: 'vip', strategy: 'most-skilled', ringTimeout: 15000, wrapUp: 10000 } })
  t.match(await call('PUT', '/queues/vip', 'supervisor', { escalation: [{ after: 30000, action: { kind: 'overflow', to: 'ghost' } }] }), { status: 404, body: { error: { code: 'queue-unknown' } } })
  t.match(await call('PUT', '/queues/vip', 'supervisor', { strategy: 'fastest' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  w.acd.enqueue(callId('c1'), { queue: 'support' as never })
  t.match(await call('DELETE', '/queues/support', 'supervisor'), { status: 409, body: { error: { code: 'queue-busy' } } })
  t.match(await call('DELETE', '/queues/vip', 'supervisor'), { status: 200 })
  t.match(await call('GET', '/queues', 'agent:lin'), { status: 403 })
})

t.test('wrap-up can be extended only while in wrap-up', async (t) => {
  const { call } = await serve(t)
  t.match(await call('POST', '/agents/lin/wrap-up', 'agent:lin', { extendBy: 30000 }), { status: 409, body: { error: { code: 'agent-not-in-wrap-up' } } })
  t.match(await call('POST', '/agents/lin/wrap-up', 'agent:lin', { extendBy: 'long' }), { status: 400 })
})

t.test('the event stream sends an agent only their own events, as Server-Sent Events', async (t) => {
  const { base, w } = await serve(t)
  const ac = new AbortController()
  t.teardown(() => ac.abort())
  const res = await fetch(`${base}/acd/events`, { headers: { 'x-as': 'agent:mei' }, signal: ac.signal })
  t.equal(res.headers.get('content-type'), 'text/event-stream')
  const reader = res.body!.getReader()
  await reader.read() // the opening comment
  w.acd.presence(agentId('lin'), { state: 'ready' })
  w.acd.presence(agentId('mei'), { state: 'ready' })
  const chunk = new TextDecoder().decode((await reader.read()).value)
  t.match(chunk, /^event: agent-state-changed\ndata: \{"at":\d+,"event":\{"kind":"agent-state-changed","agent":"mei"/)
  t.notMatch(chunk, /"agent":"lin"/)
})

/** Lin answered c1 on leg agent-leg-1 and the call just ended: the queue's 10 s wrap-up runs. */
async function wrappingUp(t: Test) {
  const s = await serve(t)
  const lin = agentId('lin')
  s.w.acd.presence(lin, { state: 'ready' })
  s.w.acd.enqueue(callId('c1'), { queue: 'support' as never, leg: channelUuid('leg-c1') })
  s.w.control.answered('agent-leg-1')
  await settle()
  s.w.clock.advance(60_000)
  s.w.acd.feed({ kind: 'agent-call-ended', agent: lin, call: callId('c1') })
  const until = s.w.clock.now() + 10_000
  t.match(s.w.acd.state.agents.get(lin)?.activity, { kind: 'wrap-up', call: 'c1', until })
  return { ...s, until }
}

t.test('an agent extends their own wrap-up: the answer shows the new end, and the agent is offered no call until then', async (t) => {
  const { call, w, until } = await wrappingUp(t)
  const res = await call('POST', '/agents/lin/wrap-up', 'agent:lin', { extendBy: 30_000 })
  t.match(res, { status: 200, body: { id: 'lin', presence: { kind: 'ready' }, activity: { kind: 'wrap-up', call: 'c1', until: until + 30_000 } } })
  w.acd.enqueue(callId('c2'), { queue: 'support' as never, leg: channelUuid('leg-c2') })
  w.clock.advance(10_000)
  t.match((await call('GET', '/agents/lin', 'agent:lin')).body, { activity: { kind: 'wrap-up', until: until + 30_000 } }, 'the old end has passed: still wrapping up')
  t.equal(w.control.originates.length, 1, 'c2 is not offered to Lin during the extension')
  w.clock.advance(30_000)
  t.match((await call('GET', '/agents/lin', 'agent:lin')).body, { activity: { kind: 'ringing', call: 'c2' } }, 'at the new end Lin is free and c2 rings her')
  t.equal(w.control.originates.length, 2)
})

t.test('at the end of wrap-up the agent is idle again and the phone kept up for wrap-up is hung up', async (t) => {
  const { call, w, until } = await wrappingUp(t)
  t.match(await call('POST', '/agents/lin/wrap-up', 'supervisor', { extendBy: 5_000 }), { status: 200, body: { activity: { kind: 'wrap-up', until: until + 5_000 } } }, 'a supervisor may extend anyone\'s wrap-up')
  t.equal(w.control.ops('hangup').length, 0)
  w.clock.advance(15_000)
  t.match((await call('GET', '/agents/lin', 'supervisor')).body, { id: 'lin', presence: { kind: 'ready' }, activity: { kind: 'idle', since: until + 5_000 } })
  t.same(w.control.ops('hangup'), [{ op: 'hangup', leg: 'agent-leg-1', arg: 'NORMAL_CLEARING' }])
  t.match(await call('POST', '/agents/lin/wrap-up', 'agent:lin', { extendBy: 30_000 }), { status: 409, body: { error: { code: 'agent-not-in-wrap-up' } } }, 'too late to extend')
})

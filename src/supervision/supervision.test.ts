import t, { type Test } from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AcdAdmin, AcdNotice } from '../acd/index.ts'
import { createApi, type Principal, type TokenVerifier } from '../api/index.ts'
import { agentId, callId, channelUuid, err, failure, FakeClock, ok, queueId, type ChannelUuid } from '../shared/index.ts'
import { eavesdropPlan, emptyTallies, modeDigit, serviceLevel, tally, dayOf } from './core/index.ts'
import { SupervisionService, type AcdReadModel, type AgentLike, type EavesdropSwitch, type WallboardAlarm } from './supervision-service.ts'
import { supervisionRoutes } from './supervision-routes.ts'

// The lead passes acd.admin as the read model: this line fails to compile if it stops fitting.
const _adminFits = (a: AcdAdmin): AcdReadModel => a

const AGENT_LEG = 'dfa9aa37-d5be-4380-bd7b-ef2a1b031139'
const policy = { thresholdMs: 20_000, utcOffsetMinutes: 480 }

t.test('each mode starts eavesdrop with the variables of that mode, DTMF enabled for later changes', (t) => {
  const listen = eavesdropPlan('user/1002', AGENT_LEG, 'listen', 'u3', 'mei')!
  t.equal(listen.app, `&eavesdrop(${AGENT_LEG})`)
  t.match(listen.vars, { eavesdrop_enable_dtmf: 'true', eavesdrop_whisper_aleg: 'false', eavesdrop_whisper_bleg: 'false', hotline_role: 'supervisor' })
  t.match(eavesdropPlan('user/1002', AGENT_LEG, 'whisper', 'u3', 'mei')!.vars, { eavesdrop_whisper_aleg: 'true', eavesdrop_whisper_bleg: 'false' })
  t.match(eavesdropPlan('user/1002', AGENT_LEG, 'barge', 'u3', 'mei')!.vars, { eavesdrop_whisper_aleg: 'true', eavesdrop_whisper_bleg: 'true' })
  t.same(['listen', 'whisper', 'barge'].map((m) => modeDigit(m as 'listen')), ['0', '2', '3'], 'the digits of capture 11')
  t.equal(eavesdropPlan('user/1002 &hangup()', AGENT_LEG, 'listen', 'u3', 'mei'), undefined, 'a dial string cannot smuggle an app')
  t.equal(eavesdropPlan('user/1002', `${AGENT_LEG})&park(`, 'listen', 'u3', 'mei'), undefined)
  t.end()
})

t.test('the service level counts answers within the threshold over answered and abandoned, per local day', (t) => {
  const nine = Date.UTC(2026, 10, 2, 1, 0, 0) // 09:00 in Shanghai
  let d = emptyTallies(nine, policy)
  d = tally(d, { kind: 'answered', queue: 'repair', waited: 5000 }, nine, policy)
  d = tally(d, { kind: 'answered', queue: 'repair', waited: 30_000 }, nine, policy)
  d = tally(d, { kind: 'abandoned', queue: 'repair', waited: 40_000 }, nine, policy)
  d = tally(d, { kind: 'answered', queue: 'repair', waited: 20_000 }, nine, policy)
  t.same(dayOf(d, 'repair'), { answered: 3, abandoned: 1, answeredInTime: 2 })
  t.equal(serviceLevel(dayOf(d, 'repair')), 50)
  t.equal(serviceLevel(dayOf(d, 'billing')), null, 'no calls yet: no service level, not 0 %')
  const tomorrow = tally(d, { kind: 'abandoned', queue: 'repair', waited: 1 }, Date.UTC(2026, 10, 2, 16, 0, 0), policy)
  t.same(dayOf(tomorrow, 'repair'), { answered: 0, abandoned: 1, answeredInTime: 0 }, 'midnight in Shanghai is 16:00 UTC')
  t.end()
})

const people: Record<string, Principal> = {
  'tok-boss': { userId: 'u3', username: 'boss', role: 'supervisor' },
  'tok-admin': { userId: 'u4', username: 'root', role: 'admin' },
  'tok-mei': { userId: 'u1', username: 'mei', role: 'agent', agentId: 'mei' },
}
const tokens: TokenVerifier = { verify: (tok) => Promise.resolve(people[tok]) }

function mei(activity: AgentLike['activity']): AgentLike {
  return { id: agentId('mei'), name: 'Mei', queues: [queueId('repair')], presence: { kind: 'ready', since: 0 }, activity, registered: true, presenceForMs: 1000, activityForMs: 500 }
}

async function serve(t: Test, o: { failOriginate?: boolean; dtmfFails?: boolean; alarms?: WallboardAlarm[] } = {}) {
  const clock = new FakeClock()
  const sent: string[] = []
  let legs = 0
  const sw: EavesdropSwitch = {
    originate: (spec) => {
      sent.push(`originate {${Object.entries(spec.vars).map(([k, v]) => `${k}=${v}`).join(',')}}${spec.dial} ${spec.app}`)
      return Promise.resolve(o.failOriginate ? err(failure('originate-failed', 'USER_NOT_REGISTERED')) : ok(channelUuid(`sup-${++legs}`)))
    },
    recvDtmf: (leg, d) => (sent.push(`uuid_recv_dtmf ${leg} ${d}`), Promise.resolve(o.dtmfFails ? err(failure('leg-gone', 'no such channel')) : ok(undefined))),
    hangup: (leg) => (sent.push(`uuid_kill ${leg}`), Promise.resolve(ok(undefined))),
  }
  let agent = mei({ kind: 'on-call', call: 'c1' })
  const live = { waiting: [{ waited: 12_000 }, { waited: 3000 }], staffed: 1, estimatedWaitSeconds: 40 }
  const supervision = new SupervisionService({
    acd: { queues: () => [{ id: queueId('repair') }], live: () => live, agents: () => [agent] },
    agentLeg: (a) => (a === 'mei' && agent.activity.kind === 'on-call' ? (AGENT_LEG as ChannelUuid) : undefined),
    supervisorDial: (u) => (u === 'u3' ? 'user/1002' : undefined), switch: sw, clock,
    ...(o.alarms ? { alarms: () => o.alarms! } : {}),
  })
  const api = createApi({ switchStatus: () => ({ state: 'connected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 }), version: 't', log: { error: () => undefined }, tokens,
    routers: [supervisionRoutes({ supervision, tokens, clock })] })
  const server = createServer(api)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies freely
    return { status: res.status, body: await res.json() as any }
  }
  return { supervision, sent, call, clock, base, setAgent: (a: AgentLike) => (agent = a) }
}

t.test('a supervisor listens: the phone is originated into eavesdrop on the agent\'s leg', async (t) => {
  const s = await serve(t)
  t.match(await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'listen' }), { status: 201, body: { agentId: 'mei', mode: 'listen', leg: 'sup-1' } })
  t.match(s.sent, [/^originate \{eavesdrop_enable_dtmf=true,eavesdrop_whisper_aleg=false,.*\}user\/1002 &eavesdrop\(dfa9aa37-d5be-4380-bd7b-ef2a1b031139\)$/])
  t.match(await s.call('GET', '/supervision', 'tok-boss'), { body: { session: { agentId: 'mei', mode: 'listen' } } })
})

t.test('asking again on the same agent changes the mode by DTMF; on another agent the first leg is hung up', async (t) => {
  const s = await serve(t)
  await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'listen' })
  t.match(await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'whisper' }), { status: 201, body: { mode: 'whisper', leg: 'sup-1' } })
  t.match(await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'barge' }), { status: 201, body: { mode: 'barge' } })
  t.same(s.sent.slice(1), ['uuid_recv_dtmf sup-1 2', 'uuid_recv_dtmf sup-1 3'])
  t.match(await s.call('POST', '/supervision', 'tok-boss', { agentId: 'lin', mode: 'listen' }), { status: 409, body: { error: { code: 'agent-not-on-call' } } })
  t.equal(s.sent.at(-1), 'uuid_kill sup-1')
  t.match(await s.call('DELETE', '/supervision', 'tok-boss'), { status: 404, body: { error: { code: 'supervision-none' } } })
})

t.test('a mode change on a leg that is gone rings the supervisor again', async (t) => {
  const s = await serve(t, { dtmfFails: true })
  await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'listen' })
  t.match(await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'whisper' }), { status: 201, body: { leg: 'sup-2', mode: 'whisper' } })
  t.match(s.sent.at(-1), /eavesdrop_whisper_aleg=true/)
})

t.test('stopping hangs up the supervisor leg; a leg that ended by itself is forgotten', async (t) => {
  const s = await serve(t)
  await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'listen' })
  t.match(await s.call('DELETE', '/supervision', 'tok-boss'), { status: 200, body: { stopped: { leg: 'sup-1' } } })
  t.equal(s.sent.at(-1), 'uuid_kill sup-1')
  await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'listen' })
  s.supervision.legEnded('sup-2')
  t.match(await s.call('GET', '/supervision', 'tok-boss'), { body: { session: null } })
})

t.test('supervision refuses: agents (403), no token (401), bad bodies (400), no phone, switch failure', async (t) => {
  const s = await serve(t)
  t.match(await s.call('POST', '/supervision', 'tok-mei', { agentId: 'mei', mode: 'listen' }), { status: 403, body: { error: { code: 'forbidden' } } })
  t.match(await s.call('POST', '/supervision', undefined, { agentId: 'mei', mode: 'listen' }), { status: 401, body: { error: { code: 'token-missing' } } })
  t.match(await s.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'shout' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await s.call('POST', '/supervision', 'tok-boss', {}), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await s.call('POST', '/supervision', 'tok-admin', { agentId: 'mei', mode: 'listen' }), { status: 409, body: { error: { code: 'supervisor-phone-unknown' } } })
  const broken = await serve(t, { failOriginate: true })
  t.match(await broken.call('POST', '/supervision', 'tok-boss', { agentId: 'mei', mode: 'barge' }), { status: 502, body: { error: { code: 'supervision-switch-failed', message: /USER_NOT_REGISTERED/ } } })
})

t.test('the wallboard shows waiting, longest wait, today\'s answered/abandoned and service level, agents by state', async (t) => {
  const s = await serve(t)
  const tell = (event: AcdNotice['event']) => s.supervision.onAcdNotice({ at: s.clock.now(), event })
  tell({ kind: 'call-answered', call: callId('c1'), agent: agentId('mei'), queue: queueId('repair'), waited: 8000 })
  tell({ kind: 'call-abandoned', call: callId('c2'), queue: queueId('repair'), waited: 60_000 })
  const board = await s.call('GET', '/wallboard', 'tok-boss')
  t.match(board, { status: 200, body: { serviceLevelThresholdSeconds: 20, queues: [{ queue: 'repair', waiting: 2, longestWaitMs: 12_000, answered: 1, abandoned: 1, serviceLevel: 50 }] } })
  t.match(board.body.agents, [{ id: 'mei', presence: 'ready', activity: 'on-call', call: 'c1', listenable: true, presenceForMs: 1000 }])
  t.match(await s.call('GET', '/wallboard', 'tok-mei'), { status: 403 })
  t.match(await s.call('GET', '/wallboard/events?access_token=tok-mei'), { status: 403 })
  t.match(await s.call('GET', '/wallboard/events?access_token=bad'), { status: 401, body: { error: { code: 'token-invalid' } } })
})

t.test('the wallboard stream sends a board at once and again after ACD events', async (t) => {
  const s = await serve(t)
  const res = await fetch(`${s.base}/wallboard/events?access_token=tok-boss`)
  const { SseReader } = await import('../screenpop/sse.test-support.ts')
  const reader = new SseReader(res)
  t.teardown(() => reader.close())
  t.match(await reader.next(), { event: 'wallboard', data: { queues: [{ answered: 0 }] } })
  s.supervision.onAcdNotice({ at: s.clock.now(), event: { kind: 'call-answered', call: callId('c1'), agent: agentId('mei'), queue: queueId('repair'), waited: 1 } })
  s.supervision.onAcdNotice({ at: s.clock.now(), event: { kind: 'call-waiting', call: callId('c3'), queue: queueId('repair'), tier: 'gold', position: 1 } })
  t.match(await reader.next(), { event: 'wallboard', data: { queues: [{ answered: 1, serviceLevel: 100 }] } })
})

t.test("the site's alarms are on the wallboard, and one raised or cleared pushes a fresh board at the next check", async (t) => {
  const alarms: WallboardAlarm[] = []
  const s = await serve(t, { alarms })
  const res = await fetch(`${s.base}/wallboard/events?access_token=tok-boss`)
  const { SseReader } = await import('../screenpop/sse.test-support.ts')
  const reader = new SseReader(res)
  t.teardown(() => reader.close())
  t.match(await reader.next(), { event: 'wallboard', data: { alarms: [] } })
  alarms.push({ code: 'store-refusing-writes', severity: 'critical', message: 'The database refuses writes (disk full): 3 call records held' })
  s.supervision.checkAlarms()
  t.match(await reader.next(), { event: 'wallboard', data: { alarms: [{ code: 'store-refusing-writes', severity: 'critical' }] } })
  alarms.pop()
  s.supervision.checkAlarms()
  t.match(await reader.next(), { event: 'wallboard', data: { alarms: [] } }, 'cleared')
})

import t, { type Test } from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AcdNotice } from '../acd/index.ts'
import { createApi, type Principal, type TokenVerifier } from '../api/index.ts'
import { agentId, Bus, callId, err, failure, FakeClock, offerId, ok, queueId, type CallId } from '../shared/index.ts'
import { PopService } from './pop-service.ts'
import { popRoutes, DEFAULT_DISPOSITIONS } from './pop-routes.ts'
import type { CallFacts, PopCustomer } from './core/index.ts'
import type { Disposition } from './ports.ts'
import { SseReader } from './sse.test-support.ts'

const people: Record<string, Principal> = {
  'tok-mei': { userId: 'u1', username: 'mei', role: 'agent', agentId: 'mei' },
  'tok-lin': { userId: 'u2', username: 'lin', role: 'agent', agentId: 'lin' },
  'tok-boss': { userId: 'u3', username: 'boss', role: 'supervisor' },
  'tok-sup': { userId: 'u4', username: 'sup', role: 'supervisor', agentId: 'sup' },
}
const tokens: TokenVerifier = { verify: (tok) => Promise.resolve(people[tok]) }
const wang: PopCustomer = { account: '100200300', name: '王芳', phones: ['13800000051'], address: '中山路1号', area: 'gulou', tier: 'gold', services: ['dtv'], balanceFen: 0, arrearsFen: 0, status: 'active' }

async function serve(t: Test, o: { lookup?: () => Promise<PopCustomer | null>; failDisposition?: boolean } = {}) {
  const clock = new FakeClock()
  const bus = new Bus<AcdNotice>()
  const calls = new Map<CallId, CallFacts>([[callId('c1'), { caller: '13800000051', did: '96200', region: 'gulou', arrivedAt: clock.now(), ivrPath: ['main/menu'], facts: { account: '100200300', menu: '2' } }]])
  const saved: Disposition[] = []
  const pops = new PopService({
    clock, log: { warn: () => undefined },
    sources: { call: (id) => calls.get(id), customer: o.lookup ?? (() => Promise.resolve(wang)), recentContacts: () => Promise.resolve([]), openWorkOrders: () => Promise.resolve([]) },
  })
  bus.subscribe(pops.onAcdNotice)
  // The CDRs on record: c1 was handled by mei.
  const handled = new Map<string, string>([['c1', 'mei']])
  const dispositions = {
    record: (d: Disposition) => (o.failDisposition ? Promise.resolve(err(failure('crm-down', 'the CRM is down'))) : (saved.push(d), Promise.resolve(ok(undefined)))),
    handledBy: (c: CallId) => Promise.resolve(handled.has(c) ? { agent: handled.get(c) } : undefined),
  }
  const api = createApi({ switchStatus: () => ({ state: 'connected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 }), version: 't', log: { error: () => undefined }, tokens,
    routers: [popRoutes({ pops, tokens, clock, dispositions, settings: { notReadyReasons: ['lunch', 'training'], dispositions: DEFAULT_DISPOSITIONS } })] })
  const server = createServer(api)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  const tell = (event: AcdNotice['event']) => bus.publish({ at: clock.now(), event })
  const stream = async (token: string, how: 'query' | 'header' = 'query') => {
    const res = await fetch(how === 'query' ? `${base}/agents/me/events?access_token=${token}` : `${base}/agents/me/events`, how === 'header' ? { headers: { authorization: `Bearer ${token}` } } : {})
    const reader = new SseReader(res)
    t.teardown(() => reader.close())
    return { res, reader }
  }
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies freely and assert with t.match
    return { status: res.status, body: await res.json() as any }
  }
  return { clock, pops, tell, stream, call, saved }
}

const offered = { kind: 'call-offered', offer: offerId('c1/1'), call: callId('c1'), agent: agentId('mei'), queue: queueId('repair') } as const
const ringing = { kind: 'agent-state-changed', agent: agentId('mei'), presence: { kind: 'ready', since: 0 }, activity: { kind: 'ringing', offer: offerId('c1/1'), call: callId('c1'), deadline: 1, idleSince: 0, since: 0 }, registered: true } as const

t.test('the agent\'s stream gets the pop with the account, then ringing, then the customer', async (t) => {
  const s = await serve(t)
  const { res, reader } = await s.stream('tok-mei')
  t.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  t.match(await reader.next(), { event: 'hello', data: { agent: 'mei' } })
  s.tell({ kind: 'call-waiting', call: callId('c1'), queue: queueId('repair'), tier: 'gold', position: 1 })
  s.tell(ringing)
  s.tell(offered)
  const pop = await reader.next()
  t.match(pop, { event: 'pop', data: { call: 'c1', account: '100200300', tier: 'gold', status: 'offered', ivrPath: ['main/menu'], facts: { menu: '2' } } })
  t.match(await reader.next(), { event: 'agent-state', data: { activity: { kind: 'ringing' } } })
  t.match(await reader.next(), { event: 'pop-updated', data: { status: 'ringing' } })
  t.match(await reader.next(), { event: 'pop-updated', data: { customer: { kind: 'found', customer: { name: '王芳' } } } })
})

t.test('the agent\'s stream says when the call is on hold and when a wrap-up ends (the desk\'s controls and badge follow it)', async (t) => {
  const s = await serve(t)
  const { reader } = await s.stream('tok-mei')
  await reader.next()
  const state = (activity: object) => s.tell({ kind: 'agent-state-changed', agent: agentId('mei'), presence: { kind: 'ready', since: 0 }, activity, registered: true } as Parameters<typeof s.tell>[0])
  state({ kind: 'on-call', call: callId('c1'), queue: queueId('repair'), since: 5, held: true })
  t.match(await reader.next(), { event: 'agent-state', data: { activity: { kind: 'on-call', call: 'c1', held: true, since: 5 } } })
  state({ kind: 'wrap-up', call: callId('c1'), until: 90, since: 6 })
  const wrap = await reader.next()
  t.match(wrap, { event: 'agent-state', data: { activity: { kind: 'wrap-up', until: 90, since: 6 } } })
  t.notOk('held' in (wrap.data as { activity: object }).activity, 'held only while held')
})

t.test('a console that reconnects gets the current pop again; another agent gets nothing of it', async (t) => {
  const s = await serve(t)
  s.tell(offered)
  const again = await s.stream('tok-mei', 'header')
  await again.reader.next()
  t.match(await again.reader.next(), { event: 'pop', data: { offer: 'c1/1', replayed: true } })
  const other = await s.stream('tok-lin')
  await other.reader.next()
  s.tell({ ...offered, offer: offerId('c1/2'), agent: agentId('lin') })
  t.match(await other.reader.next(), { event: 'pop', data: { offer: 'c1/2', agent: 'lin' } })
  t.match(await s.call('GET', '/agents/me/pop', 'tok-mei'), { status: 200, body: { pop: { offer: 'c1/1' } } })
})

t.test('a cancelled offer is pushed as cancelled and no longer replayed', async (t) => {
  const s = await serve(t, { lookup: () => new Promise(() => undefined) })
  const { reader } = await s.stream('tok-mei')
  await reader.next()
  s.tell(offered)
  await reader.next()
  s.tell({ kind: 'offer-cancelled', offer: offerId('c1/1'), call: callId('c1'), agent: agentId('mei'), reason: 'caller-hung-up' })
  t.match(await reader.next(), { event: 'pop-updated', data: { status: 'cancelled', cancelReason: 'caller-hung-up' } })
  t.match(await s.call('GET', '/agents/me/pop', 'tok-mei'), { body: { pop: null } })
})

t.test('a failing CRM lookup still leaves the pop with the IVR facts and says the lookup failed', async (t) => {
  const s = await serve(t, { lookup: () => Promise.reject(new Error('db locked')) })
  const { reader } = await s.stream('tok-mei')
  await reader.next()
  s.tell(offered)
  t.match(await reader.next(), { event: 'pop', data: { account: '100200300', customer: { kind: 'pending' } } })
  t.match(await reader.next(), { event: 'pop-updated', data: { customer: { kind: 'failed', reason: 'db locked' } } })
})

t.test('the stream refuses a missing, wrong or empty token and a user who is not an agent', async (t) => {
  const s = await serve(t)
  t.match(await s.call('GET', '/agents/me/events'), { status: 401, body: { error: { code: 'token-missing' } } })
  t.match(await s.call('GET', '/agents/me/events?access_token=nope'), { status: 401, body: { error: { code: 'token-invalid' } } })
  t.match(await s.call('GET', '/agents/me/events?access_token='), { status: 401, body: { error: { code: 'token-invalid' } } })
  t.match(await s.call('GET', '/agents/me/events?access_token=tok-boss'), { status: 403, body: { error: { code: 'not-an-agent' } } })
  t.match(await s.call('GET', '/agents/me/pop?access_token=tok-mei'), { status: 401, body: { error: { code: 'token-missing' } } }, 'the query token is for the stream only')
})

t.test('a disposition is recorded with the pop\'s account; a bad code or body is refused', async (t) => {
  const s = await serve(t)
  s.tell(offered)
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-mei', { code: 'resolved', notes: '重启机顶盒后恢复' }), { status: 201, body: { account: '100200300' } })
  t.match(s.saved, [{ call: 'c1', agent: 'mei', code: 'resolved', notes: '重启机顶盒后恢复', account: '100200300' }])
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-mei', { code: 'made-up' }), { status: 400, body: { error: { code: 'disposition-unknown' } } })
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-mei', { notes: 'x' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await s.call('POST', '/calls/c1/disposition', undefined, { code: 'resolved' }), { status: 401 })
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-boss', { code: 'resolved' }), { status: 403, body: { error: { code: 'not-an-agent' } } })
})

t.test("only the agent who handled the call, or a supervisor, writes its wrap-up; a made-up call or another customer's account writes nothing", async (t) => {
  const s = await serve(t)
  s.tell(offered)
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-lin', { code: 'resolved', notes: 'not mine' }), { status: 403, body: { error: { code: 'call-not-yours' } } }, "lin cannot write mei's call")
  t.match(await s.call('POST', '/calls/made-up/disposition', 'tok-mei', { code: 'resolved' }), { status: 404, body: { error: { code: 'call-unknown' } } })
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-mei', { code: 'resolved', account: '999999999' }), { status: 403, body: { error: { code: 'account-not-of-call' } } },
    "the pop's customer is 100200300: another customer's history is not the agent's to write")
  t.same(s.saved, [], 'nothing was recorded')
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-mei', { code: 'resolved', account: '100200300' }), { status: 201 }, 'the same account is fine')
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-sup', { code: 'complaint' }), { status: 201 }, 'a supervisor may correct it')
  t.match(s.saved, [{ agent: 'mei', code: 'resolved' }, { agent: 'sup', code: 'complaint' }])
})

t.test('a disposition the CRM could not store is a 502 the console can show', async (t) => {
  const s = await serve(t, { failDisposition: true })
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-mei', { code: 'resolved' }), { status: 502, body: { error: { code: 'disposition-not-saved', message: 'the CRM is down' } } })
})

t.test('console settings list reasons and dispositions; the delivery log is for supervisors', async (t) => {
  const s = await serve(t)
  t.match(await s.call('GET', '/console/settings', 'tok-mei'), { status: 200, body: { notReadyReasons: ['lunch', 'training'], dispositions: DEFAULT_DISPOSITIONS } })
  t.match(await s.call('GET', '/screenpop/deliveries', 'tok-mei'), { status: 403, body: { error: { code: 'forbidden' } } })
  t.match(await s.call('GET', '/screenpop/deliveries?limit=0', 'tok-boss'), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await s.call('GET', '/screenpop/deliveries', 'tok-boss'), { status: 200, body: { deliveries: [] } })
})

t.test("a call transferred to an agent pops on her stream with the caller's account, not on the first agent's; his wrap-up follows", async (t) => {
  const s = await serve(t)
  s.tell({ kind: 'call-waiting', call: callId('c1'), queue: queueId('repair'), tier: 'gold', position: 1 })
  s.tell({ ...offered, agent: agentId('lin') })
  s.tell({ kind: 'call-answered', call: callId('c1'), agent: agentId('lin'), queue: queueId('repair'), waited: 20_000 })
  const lin = await s.stream('tok-lin')
  const mei = await s.stream('tok-mei')
  t.match(await lin.reader.next(), { event: 'hello' })
  t.match(await lin.reader.next(), { event: 'pop', data: { agent: 'lin', replayed: true } })
  t.match(await mei.reader.next(), { event: 'hello' })
  s.clock.advance(60_000)
  s.tell({ kind: 'call-transferred', call: callId('c1'), from: agentId('lin'), to: agentId('mei'), queue: queueId('repair'), how: 'blind' })
  s.tell({ kind: 'agent-state-changed', agent: agentId('lin'), presence: { kind: 'ready', since: 0 }, activity: { kind: 'wrap-up', call: callId('c1'), until: 1, since: 0 }, registered: true })
  t.match(await mei.reader.next(), {
    event: 'pop',
    data: { call: 'c1', agent: 'mei', account: '100200300', tier: 'gold', facts: { menu: '2' }, customer: { kind: 'found', customer: { name: '王芳' } }, transferredFrom: { agent: 'lin', how: 'blind' } },
  })
  t.match(await lin.reader.next(), { event: 'agent-state', data: { activity: { kind: 'wrap-up' } } }, "nothing of the transfer pop on Lin's stream")
  t.match(await lin.reader.next(), { event: 'pop-updated', data: { agent: 'lin', status: 'ended' } })
  t.match(await s.call('POST', '/calls/c1/disposition', 'tok-lin', { code: 'callback-needed', notes: '已重启机顶盒' }), { status: 201 })
  t.match(await mei.reader.next(), { event: 'pop-updated', data: { transferredFrom: { agent: 'lin', wrapUp: { code: 'callback-needed', notes: '已重启机顶盒' } } } })
  t.match(await s.call('GET', '/agents/me/pop', 'tok-mei'), { body: { pop: { call: 'c1', transferredFrom: { agent: 'lin' } } } })
})

t.test("a blind transfer's pop goes from ringing to answered on her stream when she picks up, and ends with her wrap-up", async (t) => {
  const s = await serve(t)
  const mei = await s.stream('tok-mei')
  t.match(await mei.reader.next(), { event: 'hello' })
  s.tell({ kind: 'call-transferred', call: callId('c1'), from: agentId('lin'), to: agentId('mei'), queue: queueId('repair'), how: 'blind' })
  t.match(await mei.reader.next(), { event: 'pop', data: { call: 'c1', agent: 'mei', status: 'ringing', transferredFrom: { agent: 'lin', how: 'blind' } } })
  t.match(await mei.reader.next(), { event: 'pop-updated', data: { status: 'ringing', customer: { kind: 'found' } } }, 'the CRM answers while her phone rings')
  s.clock.advance(8000)
  s.tell({ kind: 'transfer-answered', call: callId('c1'), agent: agentId('mei'), queue: queueId('repair') })
  t.match(await mei.reader.next(), { event: 'pop-updated', data: { call: 'c1', status: 'answered', statusAt: s.clock.now() } })
  t.match(await s.call('GET', '/agents/me/pop', 'tok-mei'), { body: { pop: { call: 'c1', status: 'answered' } } }, 'a console that reconnects sees her talking')
  s.tell({ kind: 'agent-state-changed', agent: agentId('mei'), presence: { kind: 'ready', since: 0 }, activity: { kind: 'wrap-up', call: callId('c1'), until: 1, since: 0 }, registered: true })
  t.match(await mei.reader.next(), { event: 'agent-state' })
  t.match(await mei.reader.next(), { event: 'pop-updated', data: { status: 'ended' } })
})

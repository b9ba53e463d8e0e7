/**
 * Call controls end to end over real ESL bytes: a caller bridged to agent Lin is put on hold and
 * taken back, transferred blind to another queue (offered to Mei there and bridged), transferred
 * after a consultation with Mei, and hung up by Lin from the API. One FakeClock; no sleeps.
 */
import t, { type Test } from 'tap'
import { Writable } from 'node:stream'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import {
  AcdService, CallControls, KnexAgentRepository, KnexPresenceLog, KnexQueueRepository, callRoutes, type AcdNotice,
} from '../src/acd/index.ts'
import type { Principal } from '../src/api/index.ts'
import { createLogger, createSwitchLink, loadConfig, type SwitchLink } from '../src/app/index.ts'
import type { CallEvent } from '../src/calls/index.ts'
import { agentId, FakeClock, queueId, seconds, type Bus, type CallId } from '../src/shared/index.ts'
import { defaultDialplan, startSimulator, type Simulator } from '../src/sim/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../src/store/index.ts'
import { queueConfig } from '../src/acd/core/index.ts'
import { next } from './support/drive.ts'

const PASSWORD = 'test-secret-transfer'
const quiet = new Writable({ write: (_c, _e, done) => done() })
const support = queueId('support')
const billing = queueId('billing')
const lin = agentId('lin')
const mei = agentId('mei')

interface Hotline {
  readonly link: SwitchLink
  readonly acd: AcdService
  readonly controls: CallControls
}

/** Hotline's switch side, ACD and call controls, wired as center.ts wires them. */
async function hotline(t: Test, sim: Simulator, store: Store, clock: FakeClock): Promise<Hotline> {
  const r = loadConfig({ cwd: t.testdirName, env: {} })
  if (!r.ok) throw new Error(r.error.message)
  const log = await createLogger({ level: 'silent', pretty: false }, quiet)
  const link = createSwitchLink({ ...r.value.esl, host: sim.host, port: sim.port, password: PASSWORD }, store, clock, log)
  const api = async (cmd: string) => {
    const a = await link.esl.api(cmd, { timeoutMs: 10_000 })
    return a.ok ? a : { ok: false as const, error: { code: a.error.code, message: a.error.message } }
  }
  const dial = { sipDomain: '127.0.0.1', pstnGateway: 'carrier' }
  const acd = new AcdService({
    control: link.control, clock, log, api, calls: link.calls, cdr: link.cdr, dial,
    agents: new KnexAgentRepository(store), queues: new KnexQueueRepository(store), presenceLog: new KnexPresenceLog(store),
  })
  const controls = new CallControls({ acd, calls: link.calls, control: link.control, api, clock, dial, log })
  await acd.start()
  link.callEvents.subscribe((e) => acd.onCallEvent(e))
  link.callEvents.subscribe((e) => controls.onCallEvent(e))
  link.switchEvents.subscribe((ev) => acd.handleEsl(ev))
  const ready = new Promise<void>((resolve) => link.onReconnected(async () => {
    await acd.recover()
    resolve()
  }))
  t.teardown(async () => {
    acd.stop()
    await link.stop()
  })
  link.start()
  await ready
  return { link, acd, controls }
}

type Bridged = Extract<CallEvent, { type: 'call-bridged' }>
const bridgedEvent = (bus: Bus<CallEvent>, to?: (agentLeg: string) => boolean): Promise<Bridged> =>
  next(bus, (e) => e.type === 'call-bridged' && (to === undefined || to(e.agentLeg))) as Promise<Bridged>

/** Lin in support, Mei in billing; both phones answer at once. The sim's `hotline` extension parks, as the gate does. */
async function setup(t: Test) {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: PASSWORD, clock, dialplan: { ...defaultDialplan, hotline: [{ app: 'park' }] } })
  t.teardown(() => sim.close())
  t.testdir({})
  const store = openStore({ client: 'better-sqlite3', filename: `${t.testdirName}/h.sqlite` })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const queues = new KnexQueueRepository(store)
  await queues.save(queueConfig(support, { ringTimeout: seconds(60), wrapUp: seconds(10) }))
  await queues.save(queueConfig(billing, { ringTimeout: seconds(60), wrapUp: seconds(10) }))
  const agents = new KnexAgentRepository(store)
  await agents.save({ id: lin, name: 'Lin', contact: { kind: 'sip', user: '1005' }, skills: new Map([['billing', 3]]), queues: [support] })
  await agents.save({ id: mei, name: 'Mei', contact: { kind: 'sip', user: '1006' }, skills: new Map([['billing', 3]]), queues: [billing] })
  sim.registerPhone('1005', { kind: 'auto-answer', afterMs: 0 })
  sim.registerPhone('1006', { kind: 'auto-answer', afterMs: 0 })
  const h = await hotline(t, sim, store, clock)
  h.acd.presence(lin, { state: 'ready' })
  h.acd.presence(mei, { state: 'ready' })
  return { clock, sim, h }
}

/** A caller dials 96200, is queued in support and bridged to Lin. */
async function talkingToLin(h: Hotline, sim: Simulator): Promise<{ call: CallId; bridged: Bridged }> {
  const arrived = next(h.link.callEvents, (e) => e.type === 'call-arrived')
  const bridged = bridgedEvent(h.link.callEvents)
  sim.call({ did: '96200', caller: '13800000001' })
  const a = await arrived
  if (a.type !== 'call-arrived') throw new Error('unreachable')
  const q = h.acd.enqueue(a.call.id, { queue: support, skills: { billing: 2 }, tier: 'gold' })
  if (!q.ok) throw new Error(q.error.message)
  return { call: a.call.id, bridged: await bridged }
}

const channel = (sim: Simulator, uuid: string) => sim.channels().find((c) => c.uuid === uuid)
const activity = (h: Hotline, id: typeof lin) => h.acd.state.agents.get(id)?.activity

t.test('hold parks the caller on music with the agent leg waiting alone; unhold bridges them again', async (t) => {
  const { sim, h } = await setup(t)
  const { call, bridged } = await talkingToLin(h, sim)
  const heldNotice = next<AcdNotice>(h.acd.bus, (n) => n.event.kind === 'call-held')
  const held = await h.controls.hold(call)
  t.match(held, { ok: true, value: { held: true, agent: 'lin' } })
  t.match((await heldNotice).event, { kind: 'call-held', call, agent: 'lin' })
  t.match(channel(sim, bridged.customerLeg), { parked: true, bridgedTo: undefined }, 'the caller is parked again, not hung up')
  t.match(channel(sim, bridged.agentLeg), { parked: true, bridgedTo: undefined }, "Lin's leg waits parked")
  t.match(activity(h, lin), { kind: 'on-call', call, held: true }, 'Lin is still on the call (not wrap-up)')
  t.match(await h.controls.hold(call), { ok: false, error: { code: 'call-already-held' } })

  const rebridged = bridgedEvent(h.link.callEvents)
  const resumed = await h.controls.unhold(call)
  t.match(resumed, { ok: true, value: { held: false } }, JSON.stringify(resumed))
  t.match(await rebridged, { callId: call, customerLeg: bridged.customerLeg, agentLeg: bridged.agentLeg })
  t.equal(channel(sim, bridged.customerLeg)?.bridgedTo, bridged.agentLeg)
  t.match(activity(h, lin), { kind: 'on-call', held: false })
  t.match(await h.controls.unhold(call), { ok: false, error: { code: 'call-not-held' } })

  // After a hold, the agent's hangup still ends the call (the caller is not left parked).
  const ended = next(h.link.callEvents, (e) => e.type === 'call-ended')
  await h.link.control.hangup(bridged.agentLeg, 'NORMAL_CLEARING')
  await ended
  t.notOk(channel(sim, bridged.customerLeg), 'the caller was hung up')
  t.equal(activity(h, lin)?.kind, 'wrap-up')
})

t.test('a blind transfer to a queue puts the caller in that line, where Mei is offered the call and bridged; Lin wraps up', async (t) => {
  const { sim, h } = await setup(t)
  const { call, bridged } = await talkingToLin(h, sim)
  const toMei = bridgedEvent(h.link.callEvents, (leg) => leg !== bridged.agentLeg)
  const offered = next<AcdNotice>(h.acd.bus, (n) => n.event.kind === 'call-offered' && n.event.agent === mei)
  const r = await h.controls.transfer(call, { kind: 'queue', queue: billing }, 'blind')
  t.ok(r.ok, 'accepted')
  t.match((await offered).event, { call, queue: 'billing' })
  const b = await toMei
  t.equal(b.customerLeg, bridged.customerLeg)
  t.match(channel(sim, b.agentLeg)?.variables, { hotline_agent: 'mei' })
  t.match(channel(sim, bridged.customerLeg)?.variables, { hotline_queue: 'billing', hotline_tier: 'gold', hotline_skills: 'billing:2' }, 'the caller keeps tier and skills')
  t.match(activity(h, mei), { kind: 'on-call', call })
  t.equal(activity(h, lin)?.kind, 'wrap-up')
})

t.test('a consulted transfer: Lin talks to Mei while the caller holds, then completes; the caller is bridged to Mei and Lin wraps up', async (t) => {
  const { sim, h } = await setup(t)
  const { call, bridged } = await talkingToLin(h, sim)
  const consulting = await h.controls.transfer(call, { kind: 'agent', agent: mei }, 'consulted')
  t.match(consulting, { ok: true, value: { held: true, consulting: { kind: 'agent', agent: 'mei' } } })
  const meiLeg = channel(sim, bridged.agentLeg)?.bridgedTo
  t.ok(meiLeg, "Lin's leg is bridged to a consultation leg")
  t.match(channel(sim, meiLeg!)?.variables, { hotline_agent: 'mei', hotline_call_id: call })
  t.match(channel(sim, bridged.customerLeg), { parked: true, bridgedTo: undefined }, 'the caller holds meanwhile')
  t.match(activity(h, mei), { kind: 'on-call', call }, 'Mei is reserved: no offer reaches her while she consults')

  const toMei = bridgedEvent(h.link.callEvents, (leg) => leg === meiLeg)
  t.match(await h.controls.complete(call), { ok: true })
  t.match(await toMei, { callId: call, customerLeg: bridged.customerLeg })
  t.equal(channel(sim, bridged.customerLeg)?.bridgedTo, meiLeg)
  t.equal(activity(h, lin)?.kind, 'wrap-up')
  t.match(activity(h, mei), { kind: 'on-call', call })

  // Mei's hangup now ends the call like any ACD call: the caller goes, Mei wraps up.
  const ended = next(h.link.callEvents, (e) => e.type === 'call-ended')
  await h.link.control.hangup(meiLeg as never, 'NORMAL_CLEARING')
  await ended
  t.notOk(channel(sim, bridged.customerLeg))
  t.equal(activity(h, mei)?.kind, 'wrap-up')
})

t.test('Lin hangs up from the API: the caller leg is gone and Lin wraps up; another agent may not do it', async (t) => {
  const { sim, h } = await setup(t)
  const { call, bridged } = await talkingToLin(h, sim)
  const app = express()
  app.use(express.json())
  app.use((req, _res, nxt) => {
    const [role, agent] = (req.header('x-as') ?? '').split(':')
    ;(req as typeof req & { principal: Principal }).principal = { userId: 'u', username: 'u', role: role as Principal['role'], ...(agent ? { agentId: agent } : {}) }
    nxt()
  })
  app.use('/api/v1', callRoutes({ controls: h.controls, acd: h.acd }))
  const server = createServer(app)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/calls/${call}/hangup`

  const other = await fetch(url, { method: 'POST', headers: { 'x-as': 'agent:mei' } })
  t.equal(other.status, 403)
  t.ok(channel(sim, bridged.customerLeg), 'still up')

  const ended = next(h.link.callEvents, (e) => e.type === 'call-ended')
  const res = await fetch(url, { method: 'POST', headers: { 'x-as': 'agent:lin' } })
  t.equal(res.status, 200)
  await ended
  t.notOk(channel(sim, bridged.customerLeg), 'the caller leg is gone')
  t.equal(activity(h, lin)?.kind, 'wrap-up')
  t.match(channel(sim, bridged.agentLeg), { parked: true }, "Lin's phone stays up for wrap-up")
})

/**
 * The ACD end to end over real ESL bytes: the simulator parks a caller, the ACD rings the agent's
 * SIP phone, the agent answers and the two are bridged; and a Hotline killed while one caller
 * waits and one agent's phone rings comes back with both: the ring cancelled, the callers queued
 * again in their places, the agent not stuck. One FakeClock for the switch and Hotline; no sleeps.
 */
import t, { type Test } from 'tap'
import { Writable } from 'node:stream'
import { AcdService, KnexAgentRepository, KnexPresenceLog, KnexQueueRepository, type AcdNotice } from '../src/acd/index.ts'
import { createLogger, createSwitchLink, loadConfig, type SwitchLink } from '../src/app/index.ts'
import type { CallEvent } from '../src/calls/index.ts'
import { agentId, callId, FakeClock, queueId, seconds, type CallId } from '../src/shared/index.ts'
import { startSimulator, type Simulator } from '../src/sim/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../src/store/index.ts'
import { queueConfig } from '../src/acd/core/index.ts'
import { next, settle } from './support/drive.ts'

const PASSWORD = 'test-secret-acd'
const quiet = new Writable({ write: (_c, _e, done) => done() })
const support = queueId('support')
const lin = agentId('lin')

interface Hotline {
  readonly link: SwitchLink
  readonly acd: AcdService
  /** Resolves with the recovery summary of the first connect. */
  readonly ready: Promise<void>
}

/** Hotline's switch side and ACD, wired as compose.ts wires them. */
async function hotline(t: Test, sim: Simulator, store: Store, clock: FakeClock, logTo?: string[]): Promise<Hotline> {
  const r = loadConfig({ cwd: t.testdirName, env: {} })
  if (!r.ok) throw new Error(r.error.message)
  const lines = new Writable({ write: (c: Buffer, _e, done) => { logTo?.push(c.toString()); done() } })
  const log = await createLogger({ level: logTo ? 'warn' : 'silent', pretty: false }, logTo ? lines : quiet)
  const link = createSwitchLink({ ...r.value.esl, host: sim.host, port: sim.port, password: PASSWORD }, store, clock, log)
  const acd = new AcdService({
    control: link.control, clock, log,
    api: async (cmd) => {
      const a = await link.esl.api(cmd, { timeoutMs: 10_000 })
      return a.ok ? a : { ok: false, error: { code: a.error.code, message: a.error.message } }
    },
    calls: link.calls, cdr: link.cdr,
    agents: new KnexAgentRepository(store), queues: new KnexQueueRepository(store), presenceLog: new KnexPresenceLog(store),
    dial: { sipDomain: '127.0.0.1', pstnGateway: 'carrier' },
  })
  await acd.start()
  link.callEvents.subscribe((e) => acd.onCallEvent(e))
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
  return { link, acd, ready }
}

const arrivedCall = (e: CallEvent): CallId | undefined => (e.type === 'call-arrived' ? e.call.id : undefined)

async function setup(t: Test) {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: PASSWORD, clock })
  t.teardown(() => sim.close())
  t.testdir({})
  const store = openStore({ client: 'better-sqlite3', filename: `${t.testdirName}/h.sqlite` })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  await new KnexQueueRepository(store).save(queueConfig(support, { ringTimeout: seconds(60), wrapUp: seconds(10) }))
  await new KnexAgentRepository(store).save({ id: lin, name: 'Lin', contact: { kind: 'sip', user: '1005' }, skills: new Map([['billing', 3]]), queues: [support] })
  return { clock, sim, store }
}

/** A caller dials 96200 (parked with hotline_entry) and is handed to the ACD, as the IVR's enqueue would. */
async function queuedCaller(h: Hotline, sim: Simulator, caller: string, callerName?: string): Promise<CallId> {
  const arrived = next(h.link.callEvents, (e) => arrivedCall(e) !== undefined)
  sim.call({ did: '96200', caller, ...(callerName ? { callerName } : {}) })
  const id = arrivedCall(await arrived)!
  const r = h.acd.enqueue(id, { queue: support, skills: { billing: 2 } })
  if (!r.ok) throw new Error(r.error.message)
  return id
}

t.test('a queued caller rings the agent\'s SIP phone; the agent answers and the two are bridged', async (t) => {
  const { clock, sim, store } = await setup(t)
  sim.registerPhone('1005', { kind: 'auto-answer', afterMs: 0 })
  const h = await hotline(t, sim, store, clock)
  await h.ready
  t.equal(h.acd.state.agents.get(lin)?.registered, true, 'registration read from the switch')
  h.acd.presence(lin, { state: 'ready' })

  const offered = next<AcdNotice>(h.acd.bus, (n) => n.event.kind === 'call-offered')
  const bridged = next(h.link.callEvents, (e) => e.type === 'call-bridged')
  const call = await queuedCaller(h, sim, '13800000001')
  t.match((await offered).event, { kind: 'call-offered', call, agent: 'lin' })
  const b = await bridged
  if (b.type !== 'call-bridged') throw new Error('unreachable')
  t.equal(b.callId, call)
  const agentLeg = sim.channels().find((c) => c.uuid === b.agentLeg)
  t.match(agentLeg?.variables, { hotline_offer_id: String, hotline_agent: 'lin', park_after_bridge: 'true' })
  t.equal(sim.channels().find((c) => c.uuid === b.customerLeg)?.bridgedTo, b.agentLeg)
  t.equal(h.acd.state.agents.get(lin)?.activity.kind, 'on-call')
})

t.test("a caller named 'ACME, Inc Zhang Wei' reaches the agent with the name unchanged on the agent's leg (it was a Parse Error!)", async (t) => {
  const { clock, sim, store } = await setup(t)
  sim.registerPhone('1005', { kind: 'auto-answer', afterMs: 0 })
  const h = await hotline(t, sim, store, clock)
  await h.ready
  h.acd.presence(lin, { state: 'ready' })
  const bridged = next(h.link.callEvents, (e) => e.type === 'call-bridged')
  await queuedCaller(h, sim, '13800000001', "ACME, Inc Zhang Wei {it's}")
  const b = await bridged
  if (b.type !== 'call-bridged') throw new Error('unreachable')
  t.match(sim.channels().find((c) => c.uuid === b.agentLeg)?.variables, { origination_caller_id_name: "ACME, Inc Zhang Wei {it's}", hotline_agent: 'lin' })
})

t.test("an agent whose phone the switch cannot reach is logged with FreeSWITCH's cause, put not-ready (phone-unreachable) and skipped at once; its phone registering again brings it back", async (t) => {
  const { clock, sim, store } = await setup(t)
  const ann = agentId('ann')
  await new KnexAgentRepository(store).save({ id: ann, name: 'Ann', contact: { kind: 'sip', user: '1006' }, skills: new Map([['billing', 3]]), queues: [support] })
  sim.registerPhone('1005', { kind: 'ring-forever' })
  sim.registerPhone('1006', { kind: 'auto-answer', afterMs: 0 })
  const logs: string[] = []
  const h = await hotline(t, sim, store, clock, logs)
  await h.ready
  // ann's phone goes away and the unregister event is lost: Hotline still thinks it registered.
  sim.loseEvents(1)
  sim.unregisterPhone('1006')
  h.acd.presence(ann, { state: 'ready' })
  clock.advance(seconds(1))
  h.acd.presence(lin, { state: 'ready' })
  // Equally idle, ann comes first (by id), fails USER_NOT_REGISTERED, and lin rings for the same caller at once.
  const linRings = next<AcdNotice>(h.acd.bus, (n) => n.event.kind === 'call-offered' && n.event.agent === 'lin')
  const call = await queuedCaller(h, sim, '13800000001')
  t.match((await linRings).event, { call })
  t.match(h.acd.state.agents.get(ann)?.presence, { kind: 'not-ready', reason: 'phone-unreachable' })
  const warn = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['cause'] === 'USER_NOT_REGISTERED')
  t.match(warn, { agent: 'ann', call, failure: 'unreachable', msg: /offer to ann failed: USER_NOT_REGISTERED/ })
  // Five minutes pass, in steps so the switch's heartbeats keep the connection alive.
  for (let i = 0; i < 30; i++) {
    clock.advance(seconds(10))
    await settle()
  }
  await queuedCaller(h, sim, '13800000002')
  t.equal(logs.filter((l) => l.includes('USER_NOT_REGISTERED')).length, 1, 'one failed offer, not one every few seconds')
  // lin takes a break: the caller lin was ringing waits, and nobody else is ready.
  h.acd.presence(lin, { state: 'not-ready', reason: 'break' })
  const ready = next<AcdNotice>(h.acd.bus, (n) => n.event.kind === 'agent-state-changed' && n.event.agent === 'ann' && n.event.presence.kind === 'ready')
  const annRings = next<AcdNotice>(h.acd.bus, (n) => n.event.kind === 'call-offered' && n.event.agent === 'ann')
  sim.registerPhone('1006', { kind: 'ring-forever' })
  await ready
  t.match((await annRings).event, { agent: 'ann' }, 'the waiting caller rings ann')
})

t.test('Hotline killed while one caller waits and the agent rings: after the restart both callers are back in order and the agent is not stuck', async (t) => {
  const { clock, sim, store } = await setup(t)
  sim.registerPhone('1005', { kind: 'ring-forever' })
  const first = await hotline(t, sim, store, clock)
  await first.ready
  first.acd.presence(lin, { state: 'ready' })

  const ringing = next<AcdNotice>(first.acd.bus, (n) => n.event.kind === 'call-offered')
  const a = await queuedCaller(first, sim, '13800000001')
  await ringing
  clock.advance(seconds(5))
  const b = await queuedCaller(first, sim, '13800000002')
  t.equal(first.acd.state.calls.get(b)?.phase.kind, 'waiting', 'the second caller waits: the only agent rings')
  // Replies come in command order: one round trip means the stamps before it are on the channels.
  await first.link.esl.api('show channels as json', { timeoutMs: 10_000 })
  await first.acd.flush()
  const oldRing = sim.channels().find((c) => c.variables['hotline_offer_id'] !== undefined)!
  t.ok(oldRing, 'the agent leg rings on the switch')

  first.acd.stop()
  first.link.esl.close() // Hotline dies: no `exit`, FreeSWITCH keeps every channel (fact 16)
  sim.registerPhone('1005', { kind: 'auto-answer', afterMs: 0 }) // the agent will pick up the next ring
  clock.advance(seconds(5))

  const second = await hotline(t, sim, store, clock)
  const bridged = next(second.link.callEvents, (e) => e.type === 'call-bridged')
  await second.ready
  t.equal(second.acd.state.agents.get(lin)?.presence.kind, 'ready', 'presence restored from the presence log')
  t.notOk(sim.channels().some((c) => c.uuid === oldRing.uuid), 'the stale ring was cancelled')
  const br = await bridged
  t.match(br, { type: 'call-bridged', callId: callId(a) }, 'the first caller, at the head of the line, is offered again and bridged')
  t.equal(second.acd.state.agents.get(lin)?.activity.kind, 'on-call')
  const waiting = second.acd.state.calls.get(b)
  t.equal(waiting?.phase.kind, 'waiting', 'the second caller still waits')
  t.equal(clock.now() - (waiting?.enqueuedAt ?? 0), seconds(5), 'and keeps its place: the wait counts from the first enqueue')
})

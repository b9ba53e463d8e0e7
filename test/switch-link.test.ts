/**
 * The spine over real ESL bytes: the simulator parks callers, Hotline's link tracks them, stamps
 * its call id, writes CDRs, and after a restart finds the same calls again.
 */
import t, { type Test } from 'tap'
import { Writable } from 'node:stream'
import { createLogger, createSwitchLink, loadConfig, type SwitchLink } from '../src/app/index.ts'
import { KnexCdrStore } from '../src/cdr/index.ts'
import type { CallEvent } from '../src/calls/index.ts'
import { FakeClock } from '../src/shared/index.ts'
import { startSimulator, type Simulator } from '../src/sim/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../src/store/index.ts'
import { next } from './support/drive.ts'

const PASSWORD = 'test-secret-1'
const quiet = new Writable({ write: (_c, _e, done) => done() })

async function hotline(t: Test, sim: Simulator, store: Store, clock: FakeClock): Promise<SwitchLink> {
  const r = loadConfig({ cwd: t.testdirName, env: {} })
  if (!r.ok) throw new Error(r.error.message)
  const log = await createLogger({ level: 'silent', pretty: false }, quiet)
  const link = createSwitchLink({ ...r.value.esl, host: sim.host, port: sim.port, password: PASSWORD }, store, clock, log)
  t.teardown(() => link.stop())
  return link
}

const nextCall = (link: SwitchLink, type: CallEvent['type']): Promise<CallEvent> => next(link.callEvents, (e) => e.type === type)

const connected = (link: SwitchLink): Promise<void> =>
  new Promise((resolve) => {
    if (link.esl.state.kind === 'connected') return resolve()
    const off = link.esl.onStateChange((s) => {
      if (s.kind === 'connected') {
        off()
        resolve()
      }
    })
  })

async function setup(t: Test) {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: PASSWORD, clock })
  t.teardown(() => sim.close())
  t.testdir({})
  const store = openStore({ client: 'better-sqlite3', filename: `${t.testdirName}/h.sqlite` })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  return { clock, sim, store }
}

t.test('a parked caller becomes a call with a stamped id and leaves one closed CDR when they hang up', async (t) => {
  const { clock, sim, store } = await setup(t)
  const link = await hotline(t, sim, store, clock)
  link.start()
  await connected(link)
  t.equal(link.status().state, 'connected')

  const arrived = nextCall(link, 'call-arrived')
  const caller = sim.call({ did: '96200', caller: '13800000001', callerName: 'Jos\u00e9' })
  const a = await arrived
  if (a.type !== 'call-arrived') throw new Error('unreachable')
  t.equal(a.call.entry, '96200')
  t.equal(a.call.caller.name, 'José', 'a Latin-1 caller name arrives intact')
  const ended = nextCall(link, 'call-ended')
  caller.hangup()
  await ended
  await link.cdr.flush()
  const cdr = await new KnexCdrStore(store).get(a.call.id)
  t.match(cdr, { callId: a.call.id, entry: '96200', callerNumber: '13800000001', hangupCause: String, outcome: 'self-service' })
  t.ok(cdr?.endedAt, 'closed')
})

t.test('after a Hotline restart the waiting caller is found again under the same call id', async (t) => {
  const { clock, sim, store } = await setup(t)
  const first = await hotline(t, sim, store, clock)
  first.start()
  await connected(first)
  const arrived = nextCall(first, 'call-arrived')
  sim.call({ did: '96200', caller: '13800000002' })
  const a = await arrived
  if (a.type !== 'call-arrived') throw new Error('unreachable')
  // The stamp is an api round trip after the event: wait until the switch has it.
  await t.resolveMatch(waitFor(() => sim.channels().some((c) => c.variables['hotline_call_id'] === a.call.id)), true)
  first.esl.close() // Hotline dies: the socket closes with no `exit` (capture 15)

  const second = await hotline(t, sim, store, clock)
  const recovered = nextCall(second, 'call-arrived')
  second.start()
  const r = await recovered
  if (r.type !== 'call-arrived') throw new Error('unreachable')
  t.equal(r.recovered, true)
  t.equal(r.call.id, a.call.id)
  t.equal(r.call.arrivedAt, a.call.arrivedAt, 'the wait still counts from the first arrival')
  await second.cdr.flush()
  t.equal((await new KnexCdrStore(store).list({})).length, 1, 'still one CDR for the call')
})

/** Resolves once cond() holds, checking after each turn of the event loop (no timers). */
async function waitFor(cond: () => boolean, turns = 10_000): Promise<boolean> {
  for (let i = 0; i < turns; i++) {
    if (cond()) return true
    await new Promise((r) => setImmediate(r))
  }
  return false
}

t.test('the periodic audit ends a call whose hangup events were lost (CDR closed) and adopts a caller whose arrival was lost, each at the second look', async (t) => {
  const { clock, sim, store } = await setup(t)
  const link = await hotline(t, sim, store, clock)
  link.start()
  await connected(link)
  const arrived = nextCall(link, 'call-arrived')
  const caller = sim.call({ did: '96200', caller: '13800000031' })
  const a = await arrived
  if (a.type !== 'call-arrived') throw new Error('unreachable')
  await t.resolveMatch(waitFor(() => sim.channels().some((c) => c.variables['hotline_call_id'] === a.call.id)), true)

  // The hangup happens, but its events never reach Hotline (a lossy link).
  sim.loseEvents(50)
  caller.hangup()
  t.match(await link.calls.audit(), { ok: true, value: { ghosts: 0 } }, 'first look: missing once, could be an event in flight')
  t.ok(link.calls.call(a.call.id), 'still tracked')
  const ended = nextCall(link, 'call-ended')
  t.match(await link.calls.audit(), { ok: true, value: { ghosts: 1 } }, 'second look: a ghost')
  await ended
  await link.cdr.flush()
  t.match(await new KnexCdrStore(store).get(a.call.id), { endedAt: Number, outcome: 'self-service' }, 'its CDR is closed')
  t.notOk(link.calls.call(a.call.id), 'no ghost left')

  // A caller arrives while every event is lost: the switch holds them for Hotline, Hotline does not know.
  sim.loseEvents(50)
  sim.call({ did: '96202', caller: '13800000032' }) // 96202 parks as the kit's gate does, with presence_data
  await t.resolveMatch(waitFor(() => sim.channels().some((c) => c.variables['presence_data']?.includes('hotline_entry') === true)), true)
  t.match(await link.calls.audit(), { ok: true, value: { adopted: 0 } })
  t.match(await link.calls.audit(), { ok: true, value: { adopted: 1 } }, 'adopted at the second look')
  t.ok(link.calls.calls.some((c) => c.caller.number === '13800000032'), 'the caller is tracked now')
  t.equal(link.status().corrections, 2, 'health counts both corrections')
})

/** The client against the FreeSWITCH simulator (src/sim), on one shared FakeClock. */
import t, { type Test } from 'tap'
import { FakeClock } from '../shared/index.ts'
import { startSimulator, type Simulator } from '../sim/index.ts'
import { connectEsl, type EslClient } from './client.ts'
import type { EslConnectionStateKind } from './client-options.ts'
import type { EslEvent } from './message.ts'

const long = { timeoutMs: 600_000 }

async function setup(t: Test): Promise<{ sim: Simulator; clock: FakeClock; client: EslClient }> {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: 'ClueCon', clock, phones: { '1005': { kind: 'auto-answer', afterMs: 0 } } })
  const r = await connectEsl({
    port: sim.port, password: 'ClueCon', clock, random: () => 0, backoff: { initialMs: 1_000, maxMs: 8_000 },
    events: ['CHANNEL_PARK', 'CHANNEL_EXECUTE', 'PLAYBACK_START'],
  })
  if (!r.ok) throw new Error(r.error.message)
  t.teardown(async () => {
    r.value.close()
    await sim.close()
  })
  return { sim, clock, client: r.value }
}

function eventWhere(client: EslClient, pred: (ev: EslEvent) => boolean): Promise<EslEvent> {
  return new Promise((resolve) => {
    const off = client.onEvent((ev) => {
      if (!pred(ev)) return
      off()
      resolve(ev)
    })
  })
}

function reaches(client: EslClient, kind: EslConnectionStateKind): Promise<void> {
  if (client.state.kind === kind) return Promise.resolve()
  return new Promise((resolve) => {
    const off = client.onStateChange((s) => (s.kind === kind ? (off(), resolve()) : undefined))
  })
}

async function parkedCall(t: Test, sim: Simulator, client: EslClient): Promise<string> {
  const parked = eventWhere(client, (e) => e.name === 'CHANNEL_PARK')
  const call = sim.call({ did: '96200', caller: '13800000001' })
  const ev = await parked
  t.equal(ev.headers['Unique-ID'], call.legUuid)
  const a = await client.execute(call.legUuid!, 'answer', undefined, long)
  if (!a.ok) throw new Error(a.error.message)
  return call.legUuid!
}

t.test('api and bgapi work against the simulator', async (t) => {
  const { client } = await setup(t)
  const v = await client.api('version', long)
  t.match(v.ok && v.value, /^FreeSWITCH Version/)
  const job = await client.bgapi('originate user/1003 &park()', long)
  t.same(job, { ok: true, value: '-ERR USER_NOT_REGISTERED\n' })
})

t.test('100 bgapi originates in flight each resolve to their own channel', async (t) => {
  const { client } = await setup(t)
  const uuids = Array.from({ length: 100 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
  const results = await Promise.all(uuids.map((u) => client.bgapi(`originate {origination_uuid=${u}}user/1005 &park()`, long)))
  t.same(results.map((r) => (r.ok ? r.value : r.error.code)), uuids.map((u) => `+OK ${u}\n`))
})

t.test('executes with event-lock complete in order, each resolved with its own completion', async (t) => {
  const { sim, clock, client } = await setup(t)
  const leg = await parkedCall(t, sim, client)
  const order: string[] = []
  const started = eventWhere(client, (e) => e.name === 'PLAYBACK_START')
  const a = client.execute(leg, 'playback', '/opt/hotline/sounds/first.wav', { ...long, eventLock: true }).then((r) => (order.push('first'), r))
  const b = client.execute(leg, 'playback', '/opt/hotline/sounds/second.wav', { ...long, eventLock: true }).then((r) => (order.push('second'), r))
  await started
  const next = eventWhere(client, (e) => e.name === 'PLAYBACK_START')
  clock.advance(3_000)
  const ra = await a
  await next
  clock.advance(3_000)
  const rb = await b
  t.same(order, ['first', 'second'])
  t.equal(ra.ok && ra.value.event.headers['Application-Data'], '/opt/hotline/sounds/first.wav')
  t.equal(rb.ok && rb.value.event.headers['Application-Data'], '/opt/hotline/sounds/second.wav')
  t.equal(rb.ok && rb.value.response, 'FILE PLAYED')
})

t.test('executes without event-lock each resolve with their own completion whatever the order', async (t) => {
  const { sim, clock, client } = await setup(t)
  const leg = await parkedCall(t, sim, client)
  let executing = 0
  const bothRunning = new Promise<void>((resolve) => client.onEvent((e) => {
    if (e.name === 'CHANNEL_EXECUTE' && e.headers['Application'] === 'playback' && ++executing === 2) resolve()
  }))
  const a = client.execute(leg, 'playback', 'tone_stream://%(400,100,500);loops=2', { ...long, eventLock: false })
  const b = client.execute(leg, 'playback', 'tone_stream://%(400,100,700);loops=2', { ...long, eventLock: false })
  await bothRunning
  clock.advance(5_000)
  const [ra, rb] = await Promise.all([a, b])
  t.match(ra.ok && ra.value.event.headers['Application-Data'], /500/)
  t.match(rb.ok && rb.value.event.headers['Application-Data'], /700/)
})

t.test('a command with a slow reply times out, and the next command still gets its own reply', async (t) => {
  const { sim, clock, client } = await setup(t)
  sim.setReplyDelay(5_000)
  const slow = client.api('version', { timeoutMs: 1_000 })
  clock.advance(1_000)
  const r = await slow
  t.equal(!r.ok && r.error.code, 'esl-timeout')
  sim.setReplyDelay(0)
  const next = client.api('module_exists mod_callcenter', long)
  clock.advance(5_000) // the late version reply arrives first and is discarded
  t.same(await next, { ok: true, value: 'true' })
})

t.test('an abort settles a pending command at once', async (t) => {
  const { sim, client } = await setup(t)
  sim.setReplyDelay(5_000)
  const ac = new AbortController()
  const p = client.api('version', { ...long, signal: ac.signal })
  ac.abort()
  const r = await p
  t.equal(!r.ok && r.error.code, 'esl-aborted')
})

t.test('a drop mid-originate fails it with esl-disconnected and the reconnected client never dials it', async (t) => {
  const { sim, clock, client } = await setup(t)
  const uuid = '00000000-0000-4000-8000-00000000dead'
  sim.stall(600_000) // the switch reads nothing more: the originate is on the wire, unanswered
  const o = client.bgapi(`originate {origination_uuid=${uuid}}user/1005 &park()`, long)
  sim.dropConnections()
  const r = await o
  t.equal(!r.ok && r.error.code, 'esl-disconnected')
  clock.advance(1_000)
  await reaches(client, 'connected')
  clock.advance(5_000)
  t.same(await client.api(`uuid_exists ${uuid}`, long), { ok: true, value: 'false' })
  t.equal(sim.channels().length, 0)
  t.equal(client.counters.reconnects, 1)
})

t.test('a stalled switch is declared dead after 60 s of silence and the client reconnects', async (t) => {
  const { sim, clock, client } = await setup(t)
  sim.stall(10 * 60_000)
  clock.advance(60_000)
  t.equal(client.state.kind, 'backing-off')
  clock.advance(1_000)
  await reaches(client, 'connected')
  t.equal(client.counters.reconnects, 1)
  const v = await client.api('version', long)
  t.ok(v.ok)
})

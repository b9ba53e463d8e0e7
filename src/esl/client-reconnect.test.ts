import t, { type Test } from 'tap'
import { once } from 'node:events'
import { FakeClock } from '../shared/index.ts'
import { EslClient, connectEsl } from './client.ts'
import type { EslClientOptions, EslConnectionState, EslConnectionStateKind } from './client-options.ts'
import { FakeSwitch } from './fake-switch.test-support.ts'

const wait = { timeoutMs: 5_000 }
const backoff = { initialMs: 1_000, maxMs: 8_000 }

function options(sw: FakeSwitch, clock: FakeClock, o: Partial<EslClientOptions> = {}): EslClientOptions {
  return { port: sw.port, password: 'ClueCon', events: ['CHANNEL_PARK', 'HEARTBEAT'], clock, backoff, random: () => 0, ...o }
}

function reaches(client: EslClient, kind: EslConnectionStateKind): Promise<EslConnectionState> {
  if (client.state.kind === kind) return Promise.resolve(client.state)
  return new Promise((resolve) => {
    const off = client.onStateChange((s) => {
      if (s.kind !== kind) return
      off()
      resolve(s)
    })
  })
}

async function connected(t: Test, o: Partial<EslClientOptions> = {}): Promise<{ sw: FakeSwitch; clock: FakeClock; client: EslClient }> {
  const sw = await FakeSwitch.start()
  const clock = new FakeClock()
  const r = await connectEsl(options(sw, clock, o))
  if (!r.ok) throw new Error(r.error.message)
  t.teardown(async () => {
    r.value.close()
    await sw.close()
  })
  return { sw, clock, client: r.value }
}

t.test('a drop mid-command settles it with esl-disconnected and the originate is never sent again', async (t) => {
  const { sw, clock, client } = await connected(t)
  sw.answer = () => undefined // the switch goes quiet: neither reply comes back
  const originate = client.bgapi('originate {origination_uuid=a1}user/1005 &park()', wait)
  const api = client.api('status', wait)
  const peer = await sw.connection(1)
  await sw.received((c) => c.line === 'api status')
  t.equal(client.counters.commandsInFlight, 3, 'bgapi reply, its job, and the api')
  peer.socket.destroy()
  const [o, a] = await Promise.all([originate, api])
  t.equal(!o.ok && o.error.code, 'esl-disconnected')
  t.equal(!a.ok && a.error.code, 'esl-disconnected')
  t.equal(client.state.kind, 'backing-off')
  const meanwhile = await client.api('status', wait)
  t.equal(!meanwhile.ok && meanwhile.error.code, 'esl-disconnected', 'no queueing while down')

  sw.answer = (_c, _p, fallback) => fallback()
  clock.advance(500)
  await reaches(client, 'connected')
  t.same((await sw.connection(2)).commands.map((c) => c.line), ['auth ClueCon', 'event json CHANNEL_PARK HEARTBEAT BACKGROUND_JOB CHANNEL_EXECUTE_COMPLETE'])
  t.equal(sw.commands.filter((c) => c.line.startsWith('bgapi originate')).length, 1, 'dialled exactly once')
  t.equal(client.counters.reconnects, 1)
  t.equal(client.counters.commandsInFlight, 0)
})

t.test('reconnects back off exponentially up to the cap, then re-authenticate and re-subscribe with the same filters', async (t) => {
  const { sw, clock, client } = await connected(t, { filters: [['variable_hotline_entry', '96200']] })
  let refuse = true
  sw.answer = (c, p, fallback) => (refuse && c.line.startsWith('auth') ? void p.socket.destroy() : fallback())
  const first = sw.peers[0]!.commands.map((c) => c.line)
  sw.peers[0]!.socket.destroy()
  const delays: number[] = []
  for (let i = 0; i < 5; i++) {
    const s = await reaches(client, 'backing-off')
    if (s.kind !== 'backing-off') throw new Error('unreachable')
    delays.push(s.retryAt - s.since)
    t.equal(s.lastError.code, 'esl-disconnected')
    clock.advance(s.retryAt - s.since)
    await reaches(client, 'authenticating')
  }
  t.same(delays, [500, 1_000, 2_000, 4_000, 4_000], 'half of a doubling window, capped at maxMs')
  refuse = false
  sw.peers.at(-1)!.socket.destroy()
  const s = await reaches(client, 'backing-off')
  clock.advance(s.kind === 'backing-off' ? s.retryAt - s.since : 0)
  await reaches(client, 'connected')
  t.same(sw.peers.at(-1)!.commands.map((c) => c.line), first, 'same auth, subscription and filters')
  t.equal(client.counters.reconnects, 1)
  sw.peers.at(-1)!.socket.destroy()
  const again = await reaches(client, 'backing-off')
  t.equal(again.kind === 'backing-off' && again.retryAt - again.since, 500, 'a good connection resets the backoff')
})

t.test('jitter spreads the retry within the upper half of the window', async (t) => {
  const { backoffDelay } = await import('./backoff.ts')
  t.equal(backoffDelay(0, backoff, () => 0), 500)
  t.equal(backoffDelay(0, backoff, () => 0.999), 1_000)
  t.equal(backoffDelay(40, backoff, () => 0.5), 6_000)
})

t.test('no bytes for heartbeatTimeoutMs declares the link dead, drops it and reconnects', async (t) => {
  const { sw, clock, client } = await connected(t, { heartbeatTimeoutMs: 60_000 })
  const peer = await sw.connection(1)
  clock.advance(30_000)
  const beat = new Promise<void>((resolve) => client.onEvent((ev) => (ev.name === 'HEARTBEAT' ? resolve() : undefined)))
  peer.event({ 'Event-Name': 'HEARTBEAT' })
  await beat
  clock.advance(40_000)
  t.equal(client.state.kind, 'connected', 'a heartbeat 40 s ago keeps the link alive')
  const closed = once(peer.socket, 'close')
  clock.advance(20_000)
  t.equal(client.state.kind, 'backing-off', '60 s of silence: dead')
  await closed
  const s = client.state
  clock.advance(s.kind === 'backing-off' ? s.retryAt - s.since : 0)
  await reaches(client, 'connected')
  t.equal(sw.peers.length, 2)
})

t.test('a switch that never answers auth fails the attempt after connectTimeoutMs and is retried', async (t) => {
  const sw = await FakeSwitch.start()
  t.teardown(() => sw.close())
  const clock = new FakeClock()
  const client = new EslClient(options(sw, clock, { connectTimeoutMs: 2_000 }))
  t.teardown(() => client.close())
  sw.answer = () => undefined // swallow auth: the handshake hangs
  client.start()
  await sw.received((c) => c.line.startsWith('auth'))
  clock.advance(2_000)
  const s = await reaches(client, 'backing-off')
  t.equal(s.kind === 'backing-off' && s.lastError.code, 'esl-timeout')
  sw.answer = (_c, _p, fallback) => fallback()
  clock.advance(500)
  await reaches(client, 'connected')
  t.equal(sw.peers.length, 2)
})

t.test('connectEsl gives up with esl-connect-failed when nothing listens', async (t) => {
  const sw = await FakeSwitch.start()
  const port = sw.port
  await sw.close()
  const clock = new FakeClock()
  const pending = connectEsl({ port, password: 'x', events: ['HEARTBEAT'], clock, backoff, random: () => 0, timeoutMs: 10_000 })
  clock.advance(10_000)
  const r = await pending
  t.equal(!r.ok && r.error.code, 'esl-connect-failed')
  t.match(!r.ok && r.error.message, /not connected within 10000 ms/)
})

t.test('connectEsl with failFast answers a refused connection at once, naming the address (hotline doctor)', async (t) => {
  const sw = await FakeSwitch.start()
  const port = sw.port
  await sw.close()
  const r = await connectEsl({ port, password: 'x', events: ['HEARTBEAT'], clock: new FakeClock(), backoff, random: () => 0, timeoutMs: 10_000, failFast: true })
  t.equal(!r.ok && r.error.code, 'esl-connect-failed', 'without the clock moving: no wait for the timeout')
  t.match(!r.ok && r.error.message, new RegExp(`nothing listens on 127\\.0\\.0\\.1:${port} \\(connection refused\\)`))
})

t.test('close() settles pending commands with esl-closed and stops reconnecting', async (t) => {
  const { sw, clock, client } = await connected(t)
  sw.answer = (c, _p, fallback) => (c.line === 'api hold' ? undefined : fallback())
  const held = client.api('hold', wait)
  await sw.received((c) => c.line === 'api hold')
  client.close()
  const r = await held
  t.equal(!r.ok && r.error.code, 'esl-closed')
  clock.advance(60_000)
  t.equal(client.state.kind, 'closed')
  t.equal(sw.peers.length, 1)
})

t.test('a Content-Length over esl.maxBodyBytes is a corrupt stream: the connection is dropped with the reason and made again, not swallowed', async (t) => {
  const warned: Array<[object, string]> = []
  const log = { debug: () => undefined, info: () => undefined, warn: (o: object, m: string) => void warned.push([o, m]), error: () => undefined }
  const { sw, clock, client } = await connected(t, { maxBodyBytes: 1 << 20, log })
  const peer = await sw.connection(1)
  const closed = once(peer.socket, 'close')
  // Without the cap this 512 MiB length would hold every later message as "body" for ever.
  peer.write('Content-Type: text/event-plain\nContent-Length: 536870912\n\n')
  await closed
  t.equal(client.state.kind, 'backing-off', 'dropped')
  const s = client.state
  clock.advance(s.kind === 'backing-off' ? s.retryAt - s.since : 0)
  await reaches(client, 'connected')
  t.equal(sw.peers.length, 2, 'and connected again')
  const seen = new Promise<string>((resolve) => client.onEvent((ev) => resolve(ev.name)))
  ;(await sw.connection(2)).event({ 'Event-Name': 'CHANNEL_PARK' })
  t.equal(await seen, 'CHANNEL_PARK', 'the new connection reads events')
  t.match(JSON.stringify(warned), /esl\.maxBodyBytes/, 'the reason names the setting')
})

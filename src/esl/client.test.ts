import t, { type Test } from 'tap'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { FakeClock } from '../shared/index.ts'
import { connectEsl, type EslClient } from './client.ts'
import type { EslClientOptions } from './client-options.ts'
import type { EslEvent } from './message.ts'
import { FakeSwitch, executeComplete, plainEventBytes, type SentCommand } from './fake-switch.test-support.ts'

const wait = { timeoutMs: 5_000 }

async function setup(t: Test, o: Partial<EslClientOptions> = {}): Promise<{ sw: FakeSwitch; clock: FakeClock; client: EslClient }> {
  const sw = await FakeSwitch.start()
  const clock = new FakeClock()
  let n = 0
  const r = await connectEsl({ port: sw.port, password: 'ClueCon', events: ['CHANNEL_PARK'], clock, newUuid: () => `uuid-${++n}`, ...o })
  if (!r.ok) throw new Error(r.error.message)
  t.teardown(async () => {
    r.value.close()
    await sw.close()
  })
  return { sw, clock, client: r.value }
}

function nextEvent(client: EslClient): Promise<EslEvent> {
  return new Promise((resolve) => {
    const off = client.onEvent((ev) => {
      off()
      resolve(ev)
    })
  })
}

/** A deterministic shuffle, so a failure reproduces. */
function shuffled<T>(xs: readonly T[], seed = 7): T[] {
  const out = [...xs]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

t.test('a right password connects and subscribes to exactly the asked events plus the ones the client needs', async (t) => {
  const { sw, client } = await setup(t, { events: ['CHANNEL_PARK', 'DTMF'], subclasses: ['sofia::register'] })
  t.equal(client.state.kind, 'connected')
  t.same(sw.commands.map((c) => c.line), [
    'auth ClueCon',
    'event json CHANNEL_PARK DTMF BACKGROUND_JOB CHANNEL_EXECUTE_COMPLETE HEARTBEAT CUSTOM sofia::register',
  ])
})

t.test('filters are sent after the subscription and keep the client’s own events in the allow-list', async (t) => {
  const { sw } = await setup(t, { filters: [['variable_hotline_entry', '96200']] })
  t.same(sw.commands.slice(2).map((c) => c.line), [
    'filter variable_hotline_entry 96200',
    'filter Event-Name BACKGROUND_JOB',
    'filter Event-Name CHANNEL_EXECUTE_COMPLETE',
    'filter Event-Name HEARTBEAT',
  ])
})

t.test('a wrong password is esl-auth-failed and the client does not retry', async (t) => {
  const sw = await FakeSwitch.start('ClueCon')
  t.teardown(() => sw.close())
  const clock = new FakeClock()
  const r = await connectEsl({ port: sw.port, password: 'WrongPassword', events: ['CHANNEL_PARK'], clock })
  t.equal(r.ok ? 'connected' : r.error.code, 'esl-auth-failed')
  clock.advance(10 * 60_000)
  t.equal(sw.peers.length, 1, 'one connection only: no retry storm')
})

t.test('api resolves with the api/response body; a refused bare api is esl-command-failed', async (t) => {
  const { sw, client } = await setup(t)
  sw.answer = (c, p, fallback) => (c.line === 'api version' ? p.apiResponse('FreeSWITCH Version 1.11.3') : c.line === 'api status' ? p.reply('-ERR command not found') : fallback())
  const v = await client.api('version', wait)
  t.same(v, { ok: true, value: 'FreeSWITCH Version 1.11.3' })
  const bad = await client.api('status', wait)
  t.equal(!bad.ok && bad.error.code, 'esl-command-failed')
  const empty = await client.api('  ', wait)
  t.equal(!empty.ok && empty.error.code, 'esl-bad-command')
})

t.test('100 bgapi in flight each resolve to their own job, whatever order the jobs arrive in', async (t) => {
  const { sw, client } = await setup(t)
  const held: SentCommand[] = []
  sw.answer = (c, p, fallback) => {
    if (!c.line.startsWith('bgapi')) return fallback()
    held.push(c)
    if (held.length < 100) return
    // Replies keep command order (fact 3); jobs come back in any order, some before their reply.
    const jobs = shuffled(held).map((h) => () => p.event({ 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': h.headers['Job-UUID']! }, `+OK ${h.line.slice(6)}\n`))
    const replies = held.map((h) => () => p.reply(`+OK Job-UUID: ${h.headers['Job-UUID']!}`, { 'Job-UUID': h.headers['Job-UUID']! }))
    for (const send of shuffled([...jobs, ...replies], 11)) send()
  }
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => client.bgapi(`originate call-${i}`, wait)))
  t.same(results.map((r) => (r.ok ? r.value : r.error.code)), Array.from({ length: 100 }, (_, i) => `+OK originate call-${i}\n`))
  t.equal(client.counters.commandsInFlight, 0)
})

t.test('execute with event-lock resolves each step on its own completion, in order', async (t) => {
  const { sw, client } = await setup(t)
  const a = client.execute('leg-1', 'playback', 'welcome.wav', { ...wait, eventLock: true })
  const b = client.execute('leg-1', 'playback', 'thankyou.wav', { ...wait, eventLock: true })
  const [ra, rb] = await Promise.all([a, b])
  t.equal(ra.ok && ra.value.event.headers['Application-Data'], 'welcome.wav')
  t.equal(rb.ok && rb.value.event.headers['Application-Data'], 'thankyou.wav')
  t.equal(ra.ok && ra.value.response, 'FILE PLAYED')
  const sent = sw.commands.filter((c) => c.line === 'sendmsg leg-1')
  t.same(sent.map((c) => c.headers['event-lock']), ['true', 'true'])
  t.not(sent[0]!.headers['Event-UUID'], sent[1]!.headers['Event-UUID'], 'each step has its own Event-UUID')
})

t.test('execute without event-lock still resolves each by Application-UUID when completions come LIFO', async (t) => {
  const { sw, client } = await setup(t)
  const held: SentCommand[] = []
  sw.answer = (c, p, fallback) => {
    if (!c.line.startsWith('sendmsg')) return fallback()
    held.push(c)
    p.reply('+OK')
    if (held.length < 2) return
    // fact 13: without event-lock the second app runs nested in the first and completes first.
    p.event(executeComplete(held[1]!, 'leg-1', 'second'))
    p.event(executeComplete(held[0]!, 'leg-1', 'first'))
  }
  const a = client.execute('leg-1', 'playback', 'tone-500', { ...wait, eventLock: false })
  const b = client.execute('leg-1', 'playback', 'tone-700', { ...wait, eventLock: false })
  const [ra, rb] = await Promise.all([a, b])
  t.equal(ra.ok && ra.value.response, 'first')
  t.equal(rb.ok && rb.value.response, 'second')
  t.same(held.map((c) => c.headers['event-lock']), [undefined, undefined])
})

t.test('an execute refused by the switch is esl-command-failed, and an argument with a newline never reaches the wire', async (t) => {
  const { sw, client } = await setup(t)
  sw.answer = (c, p, fallback) => (c.line.startsWith('sendmsg') ? p.reply('-ERR invalid session id [nope]') : fallback())
  const r = await client.execute('nope', 'answer', undefined, wait)
  t.equal(!r.ok && r.error.code, 'esl-command-failed')
  const inj = await client.execute('leg-1', 'playback', 'a.wav\n\napi originate x', wait)
  t.equal(!inj.ok && inj.error.code, 'esl-bad-command')
  t.notOk(sw.commands.some((c) => c.line.includes('originate')))
})

t.test('hangup sends call-command hangup with the cause', async (t) => {
  const { sw, client } = await setup(t)
  const r = await client.hangup('leg-1', 'CALL_REJECTED', wait)
  t.ok(r.ok)
  t.same(sw.commands.at(-1), { line: 'sendmsg leg-1', headers: { 'call-command': 'hangup', 'hangup-cause': 'CALL_REJECTED' } })
})

t.test('a command past its deadline is esl-timeout, and its late reply is not given to the next command', async (t) => {
  const { sw, clock, client } = await setup(t)
  let stalled: (() => void) | undefined
  sw.answer = (c, p, fallback) => {
    if (c.line === 'api slow') stalled = () => p.apiResponse('slow-reply')
    else if (c.line === 'api next') {
      stalled?.()
      p.apiResponse('next-reply')
    } else fallback()
  }
  const slow = client.api('slow', { timeoutMs: 1_000 })
  await sw.received((c) => c.line === 'api slow')
  clock.advance(1_000)
  const r = await slow
  t.equal(!r.ok && r.error.code, 'esl-timeout')
  const next = await client.api('next', wait)
  t.same(next, { ok: true, value: 'next-reply' })
})

t.test('an aborted command settles with esl-aborted; one aborted before sending is never sent', async (t) => {
  const { sw, client } = await setup(t)
  sw.answer = (c, _p, fallback) => (c.line === 'api hold' ? undefined : fallback())
  const ac = new AbortController()
  const held = client.api('hold', { ...wait, signal: ac.signal })
  await sw.received((c) => c.line === 'api hold')
  ac.abort()
  const r = await held
  t.equal(!r.ok && r.error.code, 'esl-aborted')
  const pre = await client.api('never', { ...wait, signal: AbortSignal.abort() })
  t.equal(!pre.ok && pre.error.code, 'esl-aborted')
  t.notOk(sw.commands.some((c) => c.line === 'api never'))
})

t.test('a Latin-1 caller name in a plain event does not crash and decodes to José', async (t) => {
  const { sw, client } = await setup(t, { format: 'plain' })
  const got = nextEvent(client)
  sw.peers[0]!.write(plainEventBytes([['Event-Name', 'CHANNEL_PARK'], ['Caller-Caller-ID-Name', 'Jos%E9'], ['Unique-ID', 'leg-1']]))
  const ev = await got
  t.equal(ev.headers['Caller-Caller-ID-Name'], 'José')
  t.equal(client.state.kind, 'connected')
})

t.test('malformed bytes are counted, not thrown, logged once per interval, and the events after them still arrive', async (t) => {
  const warnings: object[] = []
  const { sw, client } = await setup(t, { log: { info: () => undefined, warn: (o) => void warnings.push(o) } })
  const got = nextEvent(client)
  const json = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`
  sw.peers[0]!.write(json('{bad}'))
  sw.peers[0]!.write('this line has no colon\n\n')
  sw.peers[0]!.write(json('{"Event-Name":"CHANNEL_PARK","A":1'))
  sw.peers[0]!.write(json('{"Event-Name":"CHANNEL_PARK"}'))
  const ev = await got
  t.equal(ev.name, 'CHANNEL_PARK')
  t.equal(client.counters.decodeErrors, 3)
  t.equal(client.state.kind, 'connected')
  t.equal(warnings.length, 1, 'rate-limited: one warning for three bad messages')
  t.match(warnings[0], { decodeErrors: 1, reason: /not JSON/ })
})

t.test('events nobody asked for are counted and dropped; the client’s own events are not delivered', async (t) => {
  const { sw, client } = await setup(t)
  const seen: string[] = []
  client.onEvent((ev) => void seen.push(ev.name))
  const got = nextEvent(client)
  sw.peers[0]!.event({ 'Event-Name': 'CHANNEL_CREATE' })
  sw.peers[0]!.event({ 'Event-Name': 'HEARTBEAT' })
  sw.peers[0]!.event({ 'Event-Name': 'CHANNEL_PARK' })
  await got
  t.same(seen, ['CHANNEL_PARK'])
  t.equal(client.counters.eventsDropped, 1)
  t.equal(client.counters.eventsReceived, 3)
})

t.test('a handler that throws or rejects is reported and the next handler and event still run', async (t) => {
  const { sw, client } = await setup(t)
  client.onEvent(() => {
    throw new Error('boom')
  })
  client.onEvent(() => Promise.reject(new Error('async boom')))
  const names: string[] = []
  const two = new Promise<void>((resolve) => client.onEvent((ev) => {
    names.push(ev.headers['Unique-ID']!)
    if (names.length === 2) resolve()
  }))
  sw.peers[0]!.event({ 'Event-Name': 'CHANNEL_PARK', 'Unique-ID': 'a' })
  sw.peers[0]!.event({ 'Event-Name': 'CHANNEL_PARK', 'Unique-ID': 'b' })
  await two
  await Promise.resolve()
  t.same(names, ['a', 'b'])
  t.equal(client.counters.handlerErrors, 4)
})

t.test('events per second and lag come from the injected clock', async (t) => {
  const { sw, clock, client } = await setup(t)
  const got = nextEvent(client)
  const stamp = (clock.now() - 250) * 1000
  for (let i = 0; i < 4; i++) sw.peers[0]!.event({ 'Event-Name': 'HEARTBEAT' })
  sw.peers[0]!.event({ 'Event-Name': 'CHANNEL_PARK', 'Event-Date-Timestamp': String(stamp) })
  await got
  t.equal(client.counters.lagMs, 250)
  t.equal(client.counters.eventsPerSecond, 0.5, '5 events over the 10 s window')
  clock.advance(11_000)
  t.equal(client.counters.eventsPerSecond, 0, 'the window slides')
})

t.test('a switch whose ACL rejects us (text/rude-rejection) is esl-auth-failed, not a retry loop', async (t) => {
  let accepted = 0
  const server = createServer((s) => {
    accepted++
    s.end('Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const addr = server.address()
  const clock = new FakeClock()
  const r = await connectEsl({ port: typeof addr === 'object' && addr ? addr.port : 0, password: 'x', events: ['HEARTBEAT'], clock })
  t.equal(!r.ok && r.error.code, 'esl-auth-failed')
  t.match(!r.ok && r.error.message, /Access Denied/)
  clock.advance(60_000)
  t.equal(accepted, 1)
})

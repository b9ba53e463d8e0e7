import t from 'tap'
import { FakeClock } from '../shared/index.ts'
import { startSimulator } from './index.ts'
import { RawEslClient } from './test-client.ts'

async function setup(t: { teardown(fn: () => unknown): void }) {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: 'pw', clock })
  const c = await RawEslClient.login(sim.port, 'pw')
  t.teardown(async () => { c.close(); await sim.close() })
  return { sim, clock, c }
}

t.test('dropConnections closes the socket with no disconnect notice', async (t) => {
  const { sim, c } = await setup(t)
  sim.dropConnections()
  await c.until(() => c.closed)
  t.notOk(c.messages.some((m) => m.kind === 'disconnect-notice'))
})

t.test('a reply delay holds replies in order until the clock moves', async (t) => {
  const { sim, clock, c } = await setup(t)
  sim.setReplyDelay(500)
  c.send('api version')
  c.send('api uuid_exists nope')
  await c.until(() => clock.pendingTimers === 3, 2000, 'both replies held') // + the heartbeat timer
  clock.advance(499)
  await t.rejects(c.nextReply(100))
  clock.advance(1)
  t.match(await c.nextReply(), { kind: 'api-response', body: /^FreeSWITCH/ })
  t.match(await c.nextReply(), { kind: 'api-response', body: 'false' })
})

t.test('loseEvents drops exactly the next n events', async (t) => {
  const { sim, c } = await setup(t)
  await c.command('event plain HEARTBEAT')
  sim.loseEvents(2)
  sim.heartbeat(); sim.heartbeat(); sim.heartbeat()
  await c.api('version')
  t.equal(c.events.length, 1)
})

t.test('a stalled connection delivers nothing until the stall ends', async (t) => {
  const { sim, clock, c } = await setup(t)
  await c.command('event plain HEARTBEAT')
  sim.stall(1000)
  sim.heartbeat()
  await t.rejects(c.event(() => true, 150))
  clock.advance(1000)
  await c.event((e) => e.name === 'HEARTBEAT')
})

t.test('filters narrow the stream to an allow-list; filter delete all restores it (fact 9)', async (t) => {
  const { sim, c } = await setup(t)
  await c.command('event json ALL')
  t.match(await c.command('filter Event-Name HEARTBEAT'), { reply: '+OK filter added. [Event-Name]=[HEARTBEAT]' })
  const call = sim.call({ did: '96200', caller: '1' })
  sim.heartbeat()
  await c.event((e) => e.name === 'HEARTBEAT')
  t.same(c.events.map((e) => e.name), ['HEARTBEAT'])
  t.match(await c.command('filter delete all'), { reply: '+OK filter deleted. [all][]' })
  call.hangup()
  await c.event((e) => e.name === 'CHANNEL_DESTROY')
})

t.test('show channels as json: compact with no newline when non-empty; unknown event names are refused', async (t) => {
  const { sim, c } = await setup(t)
  sim.call({ did: '96200', caller: '13800000001' })
  const body = await c.api('show channels as json')
  t.notOk(body.endsWith('\n'))
  t.equal(JSON.parse(body).row_count, 2)
  t.match(await c.command('event plain NOT_AN_EVENT'), { reply: '-ERR no keywords supplied' })
  t.match(await c.command('event bogus ALL'), { reply: '+OK event listener enabled plain' })
  t.match(await c.command('noevents'), { reply: '+OK no longer listening for events' })
  t.match(await c.command('noevents'), { reply: '-ERR not listening for events' })
  t.match(await c.command('nosuchverb'), { reply: '-ERR command not found' })
})

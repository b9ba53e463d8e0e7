import t, { type Test } from 'tap'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { bearerTokens, type Principal, type Revocation, type TokenVerifier } from '../api/index.ts'
import { FakeClock } from '../shared/index.ts'
import { KEEPALIVE_MS, openEventStream, StreamGuard, type SseStream } from './event-stream.ts'
import { SseReader } from './sse.test-support.ts'

/** Tokens the test can revoke, as the users module does (logout: one token; disable/reset: a user's). */
class Tokens implements TokenVerifier {
  readonly valid = new Map<string, Principal>([
    ['t-lin', { userId: 'u-lin', username: 'lin', role: 'agent', agentId: 'lin' }],
    ['t-lin2', { userId: 'u-lin', username: 'lin', role: 'agent', agentId: 'lin' }],
    ['t-chen', { userId: 'u-chen', username: 'chen', role: 'agent', agentId: 'chen' }],
  ])
  readonly #listeners = new Set<(r: Revocation) => void>()
  verify = (tok: string): Promise<Principal | undefined> => Promise.resolve(this.valid.get(tok))
  onRevoked(fn: (r: Revocation) => void): () => void {
    this.#listeners.add(fn)
    return () => void this.#listeners.delete(fn)
  }
  revoke(r: Revocation): void {
    for (const [tok, p] of this.valid) if ('token' in r ? tok === r.token : p.userId === r.userId) this.valid.delete(tok)
    for (const fn of this.#listeners) fn(r)
  }
}

async function serve(t: Test, limits: { perUser?: number; bufferedBytes?: number } = {}) {
  const clock = new FakeClock()
  const tokens = new Tokens()
  const guard = new StreamGuard(tokens, limits)
  const open: SseStream[] = []
  let closed = 0
  const app = express()
  app.use(bearerTokens(tokens))
  app.get('/events', (req, res) => {
    open.push(openEventStream(req, res, clock, () => void closed++, guard))
  })
  const server = createServer(app)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const port = (server.address() as AddressInfo).port
  const stream = async (token: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/events`, { headers: { authorization: `Bearer ${token}` } })
    const reader = new SseReader(res)
    t.teardown(() => reader.close())
    return reader
  }
  return { clock, tokens, guard, open, port, stream, closed: () => closed }
}

t.test('a logout ends that token\'s stream at once, with the reason; the user\'s other session and other users keep theirs', async (t) => {
  const s = await serve(t)
  const [lin, lin2, chen] = [await s.stream('t-lin'), await s.stream('t-lin2'), await s.stream('t-chen')]
  t.equal(s.guard.size, 3)
  s.tokens.revoke({ token: 't-lin' })
  t.match(await lin.next(), { event: 'end', data: { reason: 'session-ended' } })
  await t.rejects(lin.next(), /stream ended/, 'the connection is closed')
  for (const o of s.open) o.send('ping', { n: 1 })
  t.match(await lin2.next(), { event: 'ping' }, "lin's other session is untouched")
  t.match(await chen.next(), { event: 'ping' })
  t.equal(s.guard.size, 2)
})

t.test('a user disabled or whose password is reset loses every stream', async (t) => {
  const s = await serve(t)
  const [lin, lin2, chen] = [await s.stream('t-lin'), await s.stream('t-lin2'), await s.stream('t-chen')]
  s.tokens.revoke({ userId: 'u-lin' })
  t.match(await lin.next(), { event: 'end', data: { reason: 'session-ended' } })
  t.match(await lin2.next(), { event: 'end', data: { reason: 'session-ended' } })
  for (const o of s.open) o.send('ping', {})
  t.match(await chen.next(), { event: 'ping' })
  t.equal(s.closed(), 2, 'both streams closed (their listeners released)')
})

t.test('a token that expired is found at the next keep-alive, and the stream ends', async (t) => {
  const s = await serve(t)
  const lin = await s.stream('t-lin')
  s.tokens.valid.delete('t-lin') // expiry: no revocation notice, the token is simply no longer valid
  s.clock.advance(KEEPALIVE_MS)
  t.match(await lin.next(), { event: 'end', data: { reason: 'session-ended' } })
  t.equal(s.guard.size, 0)
})

t.test('one user holds at most perUser streams: a new one closes their oldest', async (t) => {
  const s = await serve(t, { perUser: 2 })
  const first = await s.stream('t-lin')
  const second = await s.stream('t-lin2')
  const third = await s.stream('t-lin')
  t.match(await first.next(), { event: 'end', data: { reason: 'too-many-streams' } })
  for (const o of s.open) o.send('ping', {})
  t.match(await second.next(), { event: 'ping' })
  t.match(await third.next(), { event: 'ping' })
  t.equal(s.guard.size, 2)
})

t.test('a client that never reads is cut off once its unsent bytes pass the bound, instead of the server buffering without end', async (t) => {
  const s = await serve(t, { bufferedBytes: 64 * 1024 })
  // A raw socket that sends the request and then reads nothing.
  const sock = connect(s.port, '127.0.0.1')
  t.teardown(() => sock.destroy())
  sock.pause()
  await new Promise<void>((r) => sock.on('connect', r))
  sock.write('GET /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t-lin\r\n\r\n')
  while (s.open.length === 0) await new Promise((r) => setImmediate(r))
  const big = { blob: 'x'.repeat(16 * 1024) }
  // Far more than the kernel's socket buffers hold: without the bound all of it would queue in memory.
  for (let i = 0; i < 4000 && s.guard.size > 0; i++) {
    s.open[0]!.send('pop', big)
    if (i % 50 === 0) await new Promise((r) => setImmediate(r))
  }
  t.equal(s.guard.size, 0, 'the slow stream was cut')
  t.equal(s.closed(), 1, 'and closed once')
})

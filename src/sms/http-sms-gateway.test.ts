import t, { type Test } from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeClock, seconds } from '../shared/index.ts'
import { HttpSmsGateway } from './index.ts'

interface Received { readonly headers: IncomingMessage['headers']; readonly body: string }

/** An SMS vendor on 127.0.0.1; `answer` decides each response (or holds it by not ending it). */
async function vendor(t: Test, answer: (res: ServerResponse) => void) {
  const got: Received[] = []
  let arrived: () => void = () => undefined
  const arrival = new Promise<void>((r) => (arrived = r))
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      got.push({ headers: req.headers, body })
      arrived()
      answer(res)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, got, arrival }
}

const reply = (status: number, body = '') => (res: ServerResponse) => { res.statusCode = status; res.end(body) }
const sms = { to: '13800138000', text: '您的报修单号：2611001', ref: 'sms-1' }

t.test('a 2xx answer is sent; the body is { to, text, ref } JSON with the bearer token', async (t) => {
  const v = await vendor(t, reply(202, '{"id":"v-9"}'))
  const gw = new HttpSmsGateway({ url: v.url, token: 's3cret', timeoutMs: seconds(10), clock: new FakeClock() })
  t.same(await gw.send(sms), { kind: 'sent' })
  t.equal(v.got[0]!.headers.authorization, 'Bearer s3cret')
  t.equal(v.got[0]!.headers['content-type'], 'application/json')
  t.same(JSON.parse(v.got[0]!.body), sms)
})

t.test('without a token no Authorization header is sent', async (t) => {
  const v = await vendor(t, reply(200))
  await new HttpSmsGateway({ url: v.url, timeoutMs: seconds(10), clock: new FakeClock() }).send(sms)
  t.equal(v.got[0]!.headers.authorization, undefined)
})

t.test('a 400 is a permanent refusal carrying the vendor\'s reason', async (t) => {
  const v = await vendor(t, reply(400, 'invalid mobile number'))
  t.same(await new HttpSmsGateway({ url: v.url, timeoutMs: seconds(10), clock: new FakeClock() }).send(sms), { kind: 'rejected', reason: 'HTTP 400: invalid mobile number' })
})

t.test('a 503, a 429 and a refused connection are worth retrying', async (t) => {
  const busy = await vendor(t, reply(503))
  t.same(await new HttpSmsGateway({ url: busy.url, timeoutMs: seconds(10), clock: new FakeClock() }).send(sms), { kind: 'unavailable', reason: 'HTTP 503' })
  const limited = await vendor(t, reply(429, 'slow down'))
  t.same(await new HttpSmsGateway({ url: limited.url, timeoutMs: seconds(10), clock: new FakeClock() }).send(sms), { kind: 'unavailable', reason: 'HTTP 429: slow down' })
  const closed = createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/sms`
  await new Promise<void>((r) => closed.close(() => r()))
  t.match(await new HttpSmsGateway({ url: deadUrl, timeoutMs: seconds(10), clock: new FakeClock() }).send(sms), { kind: 'unavailable', reason: /^sms-gateway-unreachable: .*ECONNREFUSED/ })
})

t.test('a vendor that holds the response is cut off when the timeout passes on the clock', async (t) => {
  const v = await vendor(t, () => undefined) // never answers
  const clock = new FakeClock()
  const sending = new HttpSmsGateway({ url: v.url, timeoutMs: seconds(10), clock }).send(sms)
  await v.arrival
  clock.advance(seconds(10) - 1)
  clock.advance(1)
  t.same(await sending, { kind: 'unavailable', reason: 'sms-gateway-timeout: no answer within 10000 ms' })
  t.equal(clock.pendingTimers, 0)
})

t.test('an answered send leaves no timer armed', async (t) => {
  const v = await vendor(t, reply(200))
  const clock = new FakeClock()
  await new HttpSmsGateway({ url: v.url, timeoutMs: seconds(10), clock }).send(sms)
  t.equal(clock.pendingTimers, 0)
})

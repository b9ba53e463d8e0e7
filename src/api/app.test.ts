import t, { type Test } from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { z } from 'zod'
import { createApi, newRouter, route, type SwitchStatus } from './index.ts'

const connectedSince = Date.UTC(2026, 10, 2, 9, 0, 0)

/** Serves the app on an ephemeral port for one test; returns its base URL and what it logged. */
async function serve(t: Test, status: () => SwitchStatus) {
  const logged: { obj: object; msg: string }[] = []
  const app = createApi({ switchStatus: status, version: '9.9.9', log: { error: (obj, msg) => logged.push({ obj, msg }) } })
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return { base: `http://127.0.0.1:${port}`, logged }
}

const connected = (): SwitchStatus => ({
  state: 'connected', since: connectedSince, reconnects: 2, eventsPerSecond: 41.5, lagMs: 3, decodeErrors: 0,
})

t.test('health answers ok with the switch connection state, counters and version', async (t) => {
  const { base } = await serve(t, connected)
  const res = await fetch(`${base}/api/v1/health`)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), 'application/json')
  t.same(await res.json(), {
    status: 'ok',
    switch: { state: 'connected', since: '2026-11-02T09:00:00.000Z', reconnects: 2, eventsPerSecond: 41.5, lagMs: 3, decodeErrors: 0 },
    version: '9.9.9',
  })
})

t.test('health is degraded while the switch is not connected, and reads the state on each request', async (t) => {
  let state: SwitchStatus = { state: 'reconnecting', since: connectedSince, reconnects: 3, eventsPerSecond: 0, decodeErrors: 1 }
  const { base } = await serve(t, () => state)
  const first = (await (await fetch(`${base}/api/v1/health`)).json()) as { status: string; switch: Record<string, unknown> }
  t.equal(first.status, 'degraded')
  t.equal(first.switch['state'], 'reconnecting')
  t.notOk('lagMs' in first.switch, 'no lag is reported when none is known')
  state = connected()
  const second = (await (await fetch(`${base}/api/v1/health`)).json()) as { status: string }
  t.equal(second.status, 'ok')
})

t.test('an unknown route answers a JSON 404 with code route-not-found', async (t) => {
  const { base } = await serve(t, connected)
  for (const path of ['/api/v1/nope', '/', '/api/v2/health']) {
    const res = await fetch(`${base}${path}`, { method: 'POST' })
    t.equal(res.status, 404, path)
    t.same(await res.json(), { error: { code: 'route-not-found', message: `no route for POST ${path}` } }, path)
  }
})

t.test('a malformed JSON body answers 400 with code body-invalid-json, not an HTML page', async (t) => {
  const { base, logged } = await serve(t, connected)
  const res = await fetch(`${base}/api/v1/health`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"agent": ',
  })
  t.equal(res.status, 400)
  const body = (await res.json()) as { error: { code: string; message: string } }
  t.equal(body.error.code, 'body-invalid-json')
  t.equal(body.error.message, 'the request body is not valid JSON')
  t.same(logged, [], 'a client mistake is not logged as a server error')
})

t.test('a body over the limit answers 413 body-too-large', async (t) => {
  const { base } = await serve(t, connected)
  const res = await fetch(`${base}/api/v1/health`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'a'.repeat(1_100_000) }),
  })
  t.equal(res.status, 413)
  t.equal(((await res.json()) as { error: { code: string } }).error.code, 'body-too-large')
})

t.test('a bug in a route answers 500 internal-error without leaking the message, and is logged', async (t) => {
  const { base, logged } = await serve(t, () => {
    throw new Error('secret internals')
  })
  const res = await fetch(`${base}/api/v1/health`)
  t.equal(res.status, 500)
  const text = await res.text()
  t.same(JSON.parse(text), { error: { code: 'internal-error', message: 'internal error (logged on the server)' } })
  t.notMatch(text, 'secret internals')
  t.equal(logged.length, 1)
})

t.test('a client error is a 4xx with a stable code and is not logged: a path id that is not percent-encoding, a corrupt compressed body — with or without a token', async (t) => {
  const logged: unknown[] = []
  const r = newRouter()
  route(r, { method: 'get', path: '/things/:id', tag: 'x', role: 'agent', params: z.object({ id: z.string() }), summary: 'a thing' }, () => ({ json: {} }))
  route(r, { method: 'post', path: '/things', tag: 'x', role: 'agent', body: z.object({}), summary: 'a new thing' }, () => ({ status: 201, json: {} }))
  const app = createApi({ switchStatus: connected, version: '1', log: { error: (obj) => logged.push(obj) }, tokens: { verify: (tok) => Promise.resolve(tok === 'good' ? { userId: 'u', username: 'u', role: 'admin' } : undefined) }, routers: [r] })
  const server = createServer(app)
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res))
  t.teardown(() => new Promise<void>((res) => server.close(() => res())))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  for (const path of ['/things/%ff', '/things/%E0%A4%A']) {
    for (const auth of [{}, { authorization: 'Bearer good' }]) {
      const res = await fetch(base + path, { headers: auth })
      t.equal(res.status, 400, `${path} ${'authorization' in auth ? 'with' : 'without'} a token`)
      t.match(await res.json(), { error: { code: 'path-invalid' } })
    }
  }
  const corrupt: Array<[string, Buffer]> = [['gzip', Buffer.from('not gzip at all')], ['br', Buffer.from('not brotli')], ['deflate', Buffer.from('xx')], ['gzip', gzipSync('{"a":1}').subarray(0, 10)]]
  for (const [encoding, body] of corrupt) {
    for (const auth of [{}, { authorization: 'Bearer good' }]) {
      const res = await fetch(`${base}/things`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'content-encoding': encoding }, body })
      t.equal(res.status, 400, `a corrupt ${encoding} body ${'authorization' in auth ? 'with' : 'without'} a token`)
      t.match(await res.json(), { error: { code: 'body-invalid' } })
    }
  }
  const good = await fetch(`${base}/things`, { method: 'POST', headers: { authorization: 'Bearer good', 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync('{}') })
  t.equal(good.status, 201, 'a well-formed gzip body still works')
  t.same(logged, [], 'none of it was logged as a server error')
})

t.test('every answer says nosniff; API answers (a login token, customer data, errors) are never cached', async (t) => {
  const { base } = await serve(t, connected)
  for (const [path, method] of [['/api/v1/health', 'GET'], ['/api/v1/nope', 'POST'], ['/api/v1/auth/login', 'POST'], ['/elsewhere', 'GET']] as const) {
    const res = await fetch(`${base}${path}`, { method })
    t.equal(res.headers.get('x-content-type-options'), 'nosniff', `${method} ${path}: nosniff`)
    if (path.startsWith('/api/')) t.equal(res.headers.get('cache-control'), 'no-store', `${method} ${path}: no-store`)
  }
})

t.test('health is degraded while the store refuses writes, saying how many are held and why', async (t) => {
  let store = { state: 'degraded' as 'ok' | 'degraded', heldWrites: 48, since: connectedSince, reason: 'database or disk is full', givenUp: 0 }
  const app = createApi({ switchStatus: connected, version: '1', log: { error: () => undefined }, storeStatus: () => store })
  const server = createServer(app)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/health`
  t.match(await (await fetch(url)).json(), { status: 'degraded', switch: { state: 'connected' }, store: { state: 'degraded', heldWrites: 48, reason: 'database or disk is full', since: '2026-11-02T09:00:00.000Z' } })
  store = { state: 'ok', heldWrites: 0, since: connectedSince, reason: '', givenUp: 0 }
  t.match(await (await fetch(url)).json(), { status: 'ok', store: { state: 'ok' } })
})

import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApi } from './index.ts'
import { served, testPassword } from '../users/api.test-support.ts'

const hours = (n: number): number => n * 3_600_000

t.test('login with the right password answers a token, its expiry and the user', async (t) => {
  const s = await served(t)
  await s.users.create({ username: 'lin', password: testPassword, role: 'agent', displayName: 'Lin Wei', agentId: '1001' })
  const res = await s.call('POST', '/auth/login', { body: { username: 'Lin', password: testPassword } })
  t.equal(res.status, 200)
  t.match(res.body, { token: /^[A-Za-z0-9_-]{43}$/, expiresAt: new Date(s.clock.now() + hours(12)).toISOString(), user: { username: 'lin', role: 'agent', agentId: '1001', displayName: 'Lin Wei' } })
  const me = await s.call('GET', '/auth/me', { token: res.body.token })
  t.equal(me.status, 200)
  t.match(me.body, { username: 'lin', role: 'agent', agentId: '1001' })
})

t.test('a wrong password and an unknown user get the same 401 login-failed', async (t) => {
  const s = await served(t)
  await s.users.create({ username: 'lin', password: testPassword, role: 'agent' })
  const wrong = await s.call('POST', '/auth/login', { body: { username: 'lin', password: 'not the password' } })
  const unknown = await s.call('POST', '/auth/login', { body: { username: 'nobody', password: 'not the password' } })
  t.equal(wrong.status, 401)
  t.same(wrong.body, { error: { code: 'login-failed', message: 'wrong username or password' } })
  t.same(unknown.body, wrong.body, 'nothing tells an attacker which usernames exist')
  t.equal(unknown.status, 401)
})

t.test('a disabled user cannot log in, with the same login-failed answer', async (t) => {
  const s = await served(t)
  const created = await s.users.create({ username: 'lin', password: testPassword, role: 'agent' })
  if (!created.ok) throw new Error('setup')
  await s.users.update(created.value.id, { disabled: true })
  const res = await s.call('POST', '/auth/login', { body: { username: 'lin', password: testPassword } })
  t.same(res.body, { error: { code: 'login-failed', message: 'wrong username or password' } })
})

t.test('a login body without a password answers 400 body-invalid naming the field', async (t) => {
  const s = await served(t)
  for (const body of [{ username: 'lin' }, { username: 'lin', password: 42 }, {}]) {
    const res = await s.call('POST', '/auth/login', { body })
    t.equal(res.status, 400, JSON.stringify(body))
    t.equal(res.body.error.code, 'body-invalid')
    t.match(res.body.error.message, 'body.password')
  }
})

t.test('failed logins slow the next attempt progressively (429 with Retry-After), and the right password passes once the wait is over — no lockout', async (t) => {
  const s = await served(t)
  await s.users.create({ username: 'lin', password: testPassword, role: 'agent' })
  for (let i = 0; i < 4; i++) t.equal((await s.call('POST', '/auth/login', { body: { username: 'lin', password: `guess-${i}-guess` } })).status, 401)
  // Three free failures on this account from this address; the fourth costs a second.
  const limited = await s.call('POST', '/auth/login', { body: { username: 'lin', password: testPassword } })
  t.equal(limited.status, 429)
  t.equal(limited.body.error.code, 'rate-limited')
  t.equal(limited.headers.get('retry-after'), '1')
  t.same(limited.body.error.details, { retryAfterSeconds: 1 })
  s.clock.advance(1000)
  t.equal((await s.call('POST', '/auth/login', { body: { username: 'lin', password: testPassword } })).status, 200, 'the right password passes after the wait')
})

t.test("a guesser cannot lock the admin out from elsewhere: after an hour of guesses from many addresses the admin waits at most 15 s", async (t) => {
  const s = await served(t)
  await s.users.create({ username: 'boss', password: testPassword, role: 'admin' })
  for (let i = 0; i < 200; i++) {
    const r = await s.users.login('boss', `guess-${i}-guess`, `198.51.100.${i % 40}`)
    if (!r.ok && r.error.code === 'rate-limited') s.clock.advance(r.error.retryAfterMs)
    else s.clock.advance(10_000)
  }
  const owner = await s.users.login('boss', testPassword, '10.0.0.5')
  const wait = !owner.ok && owner.error.code === 'rate-limited' ? owner.error.retryAfterMs : 0
  t.ok(wait <= 15_000, `the admin waits ${wait} ms`)
  s.clock.advance(wait)
  t.match(await s.users.login('boss', testPassword, '10.0.0.5'), { ok: true }, 'and is in')
})

t.test('parallel guesses at one username are counted one by one: no burst gets past the limit', async (t) => {
  const s = await served(t)
  await s.users.create({ username: 'lin', password: testPassword, role: 'agent' })
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => s.call('POST', '/auth/login', { body: { username: 'lin', password: `guess-${i}-guess` } })))
  t.same(answers.map((a) => a.status).sort(), [...Array<number>(4).fill(401), ...Array<number>(8).fill(429)], 'three free failures, the fourth costs a wait')
})

t.test('many failures from one client address across usernames are rate limited too', async (t) => {
  const slow = { freeFailures: 5, firstDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 900_000 }
  const s = await served(t, { throttle: { perPair: slow, perUsername: slow, perClient: { ...slow, freeFailures: 3 } } })
  for (const name of ['a1', 'b2', 'c3', 'e5']) await s.call('POST', '/auth/login', { body: { username: name, password: 'nope-nope-nope' } })
  const res = await s.call('POST', '/auth/login', { body: { username: 'd4', password: 'nope-nope-nope' } })
  t.equal(res.status, 429)
  t.equal(res.body.error.code, 'rate-limited')
})

t.test('a protected route without a token answers 401 token-missing', async (t) => {
  const s = await served(t)
  for (const [method, path] of [['GET', '/auth/me'], ['POST', '/auth/logout']] as const) {
    const res = await s.call(method, path)
    t.equal(res.status, 401, path)
    t.equal(res.body.error.code, 'token-missing', path)
  }
})

t.test('an unknown or malformed token answers 401 token-invalid', async (t) => {
  const s = await served(t)
  for (const authorization of ['Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'Basic bGluOnB3', 'Bearer', 'Bearer two words']) {
    const res = await s.call('GET', '/auth/me', { headers: { authorization } })
    t.equal(res.status, 401, authorization)
    t.equal(res.body.error.code, 'token-invalid', authorization)
    t.match(res.headers.get('www-authenticate'), /^Bearer/)
  }
})

t.test('a token stops working when it expires (12 h by default)', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('lin', 'agent')
  s.clock.advance(hours(12) - 1)
  t.equal((await s.call('GET', '/auth/me', { token })).status, 200, 'still valid a moment before')
  s.clock.advance(1)
  const res = await s.call('GET', '/auth/me', { token })
  t.equal(res.status, 401)
  t.equal(res.body.error.code, 'token-invalid')
})

t.test('the token lifetime is configurable', async (t) => {
  const s = await served(t, { tokenTtlMs: 60_000 })
  const { token } = await s.signIn('lin', 'agent')
  s.clock.advance(60_000)
  t.equal((await s.call('GET', '/auth/me', { token })).body.error.code, 'token-invalid')
})

t.test('logout revokes the token of the request and only that one', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('lin', 'agent')
  const other = (await s.call('POST', '/auth/login', { body: { username: 'lin', password: testPassword } })).body.token as string
  const out = await s.call('POST', '/auth/logout', { token })
  t.equal(out.status, 204)
  t.equal((await s.call('GET', '/auth/me', { token })).body.error.code, 'token-invalid')
  t.equal((await s.call('GET', '/auth/me', { token: other })).status, 200, 'the console on the other screen stays logged in')
})

t.test('disabling a user invalidates its tokens at once', async (t) => {
  const s = await served(t)
  const { token, id } = await s.signIn('lin', 'agent')
  await s.users.update(id, { disabled: true })
  t.equal((await s.call('GET', '/auth/me', { token })).body.error.code, 'token-invalid')
  await s.users.update(id, { disabled: false })
  t.equal((await s.call('GET', '/auth/me', { token })).body.error.code, 'token-invalid', 'enabling again does not revive old tokens')
})

t.test('an agent on an admin route answers 403 forbidden', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('lin', 'agent')
  const res = await s.call('GET', '/users', { token })
  t.equal(res.status, 403)
  t.same(res.body, { error: { code: 'forbidden', message: 'this route needs the admin role' } })
})

t.test('public routes work without a token and with a stale one, so a console can log in again', async (t) => {
  const s = await served(t)
  await s.users.create({ username: 'lin', password: testPassword, role: 'agent' })
  const stale = { authorization: 'Bearer revoked-or-expired-token' }
  t.equal((await s.call('GET', '/health', { headers: stale })).status, 200)
  t.equal((await s.call('POST', '/auth/login', { headers: stale, body: { username: 'lin', password: testPassword } })).status, 200)
  t.equal((await s.call('GET', '/openapi.json')).status, 200)
})

t.test('the token is stored only as its SHA-256: the raw token appears nowhere in the database', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('lin', 'agent')
  const rows: Array<Record<string, unknown>> = await s.store('user_tokens').select()
  t.equal(rows.length, 1)
  const dump = JSON.stringify([rows, await s.store('users').select()])
  t.notMatch(dump, token)
  t.match(rows[0]?.['token_hash'], /^[0-9a-f]{64}$/)
})

t.test('the password is stored hashed and never logged, even when login fails on a server error', async (t) => {
  const s = await served(t)
  await s.users.create({ username: 'lin', password: testPassword, role: 'agent' })
  t.notMatch(JSON.stringify(await s.store('users').select()), testPassword)
  await s.store.raw('DROP TABLE user_tokens')
  const res = await s.call('POST', '/auth/login', { body: { username: 'lin', password: testPassword } })
  t.equal(res.status, 500)
  t.equal(s.logged.length, 1, 'the bug is logged')
  t.notMatch(s.logged.join('\n'), testPassword)
})

t.test('without a token verifier a presented token is token-invalid and no token is token-missing', async (t) => {
  const app = createApi({ switchStatus: () => ({ state: 'connected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 }), version: 'x', log: { error: () => undefined } })
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  const withToken = await fetch(`${base}/nope`, { headers: { authorization: 'Bearer abc' } })
  t.equal(withToken.status, 401)
  t.equal(((await withToken.json()) as { error: { code: string } }).error.code, 'token-invalid')
  t.equal((await fetch(`${base}/health`, { headers: { authorization: 'Bearer abc' } })).status, 200)
})

import t, { type Test } from 'tap'
import { FakeClock, minutes } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { cheapScrypt, testPassword } from './api.test-support.ts'
import { createUserService, DEFAULT_TOKEN_TTL_MS, type UserServiceOptions } from './index.ts'

async function signedIn(t: Test, options: UserServiceOptions = {}) {
  const store = openStore({ client: 'better-sqlite3', filename: 'users.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 1, 0, 0))
  const users = createUserService(store, clock, { scryptCost: cheapScrypt, ...options })
  const created = await users.create({ username: 'lin', password: testPassword, role: 'agent' })
  if (!created.ok) throw new Error(created.error.message)
  const grant = await users.login('lin', testPassword, 'test')
  if (!grant.ok) throw new Error(grant.error.message)
  return { users, clock, grant: grant.value, loggedInAt: clock.now() }
}

t.test('a token lives exactly the configured lifetime, then is refused', async (t) => {
  const ttl = minutes(30)
  const s = await signedIn(t, { tokenTtlMs: ttl })
  t.equal(s.grant.expiresAt, s.loggedInAt + ttl, 'the grant tells the console when it expires')
  s.clock.advance(ttl - 1)
  t.match(await s.users.verify(s.grant.token), { username: 'lin', role: 'agent' }, 'still valid a moment before')
  s.clock.advance(1)
  t.equal(await s.users.verify(s.grant.token), undefined, 'expired at the configured lifetime')
})

t.test('without a configured lifetime a token lives 12 hours (one long shift)', async (t) => {
  const s = await signedIn(t)
  t.equal(DEFAULT_TOKEN_TTL_MS, 12 * 60 * 60_000)
  t.equal(s.grant.expiresAt, s.loggedInAt + DEFAULT_TOKEN_TTL_MS)
  s.clock.advance(DEFAULT_TOKEN_TTL_MS - 1)
  t.ok(await s.users.verify(s.grant.token), 'valid until the end of the shift')
  s.clock.advance(1)
  t.equal(await s.users.verify(s.grant.token), undefined)
})

t.test('revocations are told as they happen: a logout names its token, a disabled user or a password reset names the user', async (t) => {
  const s = await signedIn(t)
  const told: unknown[] = []
  const off = s.users.onRevoked((r) => told.push(r))
  await s.users.logout(s.grant.token)
  const lin = (await s.users.list()).find((u) => u.username === 'lin')!
  await s.users.resetPassword(lin.id, 'another long password 2')
  await s.users.update(lin.id, { disabled: true })
  await s.users.update(lin.id, { disabled: true })
  t.same(told, [{ token: s.grant.token }, { userId: lin.id }, { userId: lin.id }], 'once per revocation; disabling twice tells once')
  off()
  await s.users.update(lin.id, { disabled: false })
  await s.users.resetPassword(lin.id, 'a third long password 3')
  t.equal(told.length, 3, 'no more after unsubscribing')
})

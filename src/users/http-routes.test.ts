import t from 'tap'
import { served, testPassword } from './api.test-support.ts'

const newUser = { username: 'mei', password: 'a long enough password', role: 'supervisor', displayName: 'Mei Chen' }

t.test('an admin lists users without their password hashes', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('root', 'admin')
  await s.signIn('lin', 'agent', { agentId: '1001' })
  const res = await s.call('GET', '/users', { token })
  t.equal(res.status, 200)
  t.match(res.body.users, [{ username: 'lin', role: 'agent', agentId: '1001', disabled: false }, { username: 'root', role: 'admin' }])
  t.notMatch(JSON.stringify(res.body), /hash|scrypt/i)
})

t.test('an admin creates a user who can then log in; the same username again is 409 user-exists', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('root', 'admin')
  const res = await s.call('POST', '/users', { token, body: newUser })
  t.equal(res.status, 201)
  t.match(res.body, { username: 'mei', role: 'supervisor', displayName: 'Mei Chen', disabled: false, id: String })
  t.equal((await s.call('POST', '/auth/login', { body: { username: 'mei', password: newUser.password } })).status, 200)
  const again = await s.call('POST', '/users', { token, body: { ...newUser, username: 'MEI' } })
  t.equal(again.status, 409)
  t.equal(again.body.error.code, 'user-exists')
})

t.test('creating a user with a bad body answers 400 naming each problem', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('root', 'admin')
  const cases: Array<[unknown, string, string]> = [
    [{ ...newUser, role: 'owner' }, 'body-invalid', 'body.role'],
    [{ ...newUser, password: 'short' }, 'body-invalid', 'body.password'],
    [{ role: 'agent' }, 'body-invalid', 'body.username'],
    [{ ...newUser, username: 'has space' }, 'username-invalid', 'a username is 2 to 64 characters'],
  ]
  for (const [body, code, mention] of cases) {
    const res = await s.call('POST', '/users', { token, body })
    t.equal(res.status, 400, JSON.stringify(body))
    t.equal(res.body.error.code, code)
    t.match(res.body.error.message, mention)
  }
})

t.test('user routes refuse a missing token (401), a bad token (401) and a supervisor (403)', async (t) => {
  const s = await served(t)
  const { token: sup } = await s.signIn('mei', 'supervisor')
  const routes: Array<[string, string, unknown]> = [
    ['GET', '/users', undefined], ['POST', '/users', newUser],
    ['PATCH', '/users/x', { role: 'agent' }], ['POST', '/users/x/password', { password: testPassword }],
  ]
  for (const [method, path, body] of routes) {
    t.equal((await s.call(method, path, { body })).body.error.code, 'token-missing', `${method} ${path}`)
    t.equal((await s.call(method, path, { body, token: 'bad' })).body.error.code, 'token-invalid', `${method} ${path}`)
    const denied = await s.call(method, path, { body, token: sup })
    t.equal(denied.status, 403, `${method} ${path}`)
    t.equal(denied.body.error.code, 'forbidden')
  }
})

t.test('an admin changes a role, and the new role applies to the user\'s existing token', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('root', 'admin')
  const lin = await s.signIn('lin', 'agent')
  const res = await s.call('PATCH', `/users/${lin.id}`, { token, body: { role: 'supervisor', agentId: null, displayName: 'Lin W.' } })
  t.equal(res.status, 200)
  t.match(res.body, { role: 'supervisor', displayName: 'Lin W.' })
  t.notOk('agentId' in res.body)
  t.match((await s.call('GET', '/auth/me', { token: lin.token })).body, { role: 'supervisor' })
})

t.test('patching with an empty body, an unknown id, or a bad role answers a clear error', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('root', 'admin')
  const lin = await s.signIn('lin', 'agent')
  const empty = await s.call('PATCH', `/users/${lin.id}`, { token, body: {} })
  t.equal(empty.status, 400)
  t.match(empty.body.error.message, 'name at least one of role')
  const missing = await s.call('PATCH', '/users/no-such-id', { token, body: { disabled: true } })
  t.equal(missing.status, 404)
  t.same(missing.body, { error: { code: 'user-not-found', message: 'no user with id "no-such-id"' } })
  t.equal((await s.call('PATCH', `/users/${lin.id}`, { token, body: { disabled: 'yes' } })).body.error.code, 'body-invalid')
})

t.test('the last enabled admin cannot be disabled or demoted (409 last-admin)', async (t) => {
  const s = await served(t)
  const root = await s.signIn('root', 'admin')
  for (const body of [{ disabled: true }, { role: 'supervisor' }]) {
    const res = await s.call('PATCH', `/users/${root.id}`, { token: root.token, body })
    t.equal(res.status, 409)
    t.equal(res.body.error.code, 'last-admin')
  }
  await s.signIn('second', 'admin')
  t.equal((await s.call('PATCH', `/users/${root.id}`, { token: root.token, body: { disabled: true } })).status, 200, 'fine once another admin exists')
})

t.test('a password reset sets the new password and logs the user out everywhere', async (t) => {
  const s = await served(t)
  const { token } = await s.signIn('root', 'admin')
  const lin = await s.signIn('lin', 'agent')
  const res = await s.call('POST', `/users/${lin.id}/password`, { token, body: { password: 'brand new passphrase' } })
  t.equal(res.status, 204)
  t.equal((await s.call('GET', '/auth/me', { token: lin.token })).body.error.code, 'token-invalid')
  t.equal((await s.call('POST', '/auth/login', { body: { username: 'lin', password: testPassword } })).status, 401)
  t.equal((await s.call('POST', '/auth/login', { body: { username: 'lin', password: 'brand new passphrase' } })).status, 200)
  t.equal((await s.call('POST', '/users/nobody/password', { token, body: { password: 'brand new passphrase' } })).body.error.code, 'user-not-found')
  t.equal((await s.call('POST', `/users/${lin.id}/password`, { token, body: { password: 'short' } })).status, 400)
})

import t from 'tap'
import { checkPassword, checkUsername, removesLastAdmin, type User } from './user.ts'

t.test('usernames are trimmed and lower-cased, and odd ones are refused with username-invalid', (t) => {
  t.same(checkUsername('  Lin.Wei@north '), { ok: true, value: 'lin.wei@north' })
  for (const bad of ['', 'a', 'has space', '-lead', 'x'.repeat(65), 'lin/../root']) {
    const r = checkUsername(bad)
    t.equal(r.ok ? 'ok' : r.error.code, 'username-invalid', JSON.stringify(bad))
  }
  t.end()
})

t.test('passwords are 10 to 200 characters', (t) => {
  t.equal(checkPassword('x'.repeat(9)).ok, false)
  t.equal(checkPassword('x'.repeat(10)).ok, true)
  t.equal(checkPassword('x'.repeat(200)).ok, true)
  const long = checkPassword('x'.repeat(201))
  t.same(long.ok ? undefined : long.error, { code: 'password-invalid', message: 'a password has at most 200 characters' })
  t.end()
})

t.test('only a change that leaves no enabled admin is refused', (t) => {
  const admin: User = { id: 'u1', username: 'root', displayName: 'root', role: 'admin', disabled: false, createdAt: 0, updatedAt: 0 }
  t.equal(removesLastAdmin(admin, { role: 'admin', disabled: true }, 1), true)
  t.equal(removesLastAdmin(admin, { role: 'agent', disabled: false }, 1), true)
  t.equal(removesLastAdmin(admin, { role: 'agent', disabled: false }, 2), false)
  t.equal(removesLastAdmin(admin, { role: 'admin', disabled: false }, 1), false, 'renaming the last admin is fine')
  t.equal(removesLastAdmin({ ...admin, disabled: true }, { role: 'agent', disabled: true }, 0), false, 'a disabled admin was not counted')
  t.end()
})

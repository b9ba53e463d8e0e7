import t from 'tap'
import { hashPassword, verifyPassword } from './password.ts'

const cost = { N: 1024, r: 8, p: 1 }

t.test('a password verifies against its hash and a wrong one does not', async (t) => {
  const stored = await hashPassword('correct horse battery', cost)
  t.match(stored, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/)
  t.notMatch(stored, 'correct horse')
  t.equal(await verifyPassword('correct horse battery', stored), true)
  t.equal(await verifyPassword('correct horse batterz', stored), false)
})

t.test('two users with the same password get different hashes (a salt each)', async (t) => {
  t.not(await hashPassword('same password here', cost), await hashPassword('same password here', cost))
})

t.test('a malformed stored hash never matches and does not throw', async (t) => {
  for (const bad of ['', 'plain', 'md5$1$2$3$4$5', 'scrypt$x$8$1$c2FsdA$a2V5', 'scrypt$1024$8$1$c2FsdA', 'scrypt$0$8$1$c2FsdA$a2V5']) {
    t.equal(await verifyPassword('anything at all', bad), false, JSON.stringify(bad))
  }
})

t.test('the default cost hashes and verifies within node\'s memory limit', async (t) => {
  const stored = await hashPassword('correct horse battery')
  t.match(stored, /^scrypt\$32768\$8\$1\$/)
  t.equal(await verifyPassword('correct horse battery', stored), true)
})

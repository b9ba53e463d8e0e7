import t from 'tap'
import { randomBytes } from 'node:crypto'
import { closeStore, migrateLatest, migrateRollbackAll, migrationNames, openStore, readMeta, writeMeta } from './index.ts'

const url = process.env['HOTLINE_TEST_PG']
const skip = url ? false : 'HOTLINE_TEST_PG is not set: `npm run test:pg` starts a throwaway PostgreSQL and sets it'

/**
 * Each run gets its own schema (through libpq's `options=-c search_path=…`), so pointing
 * HOTLINE_TEST_PG at a shared database leaves nothing behind and never collides.
 */
function inFreshSchema(base: string, schema: string): string {
  const sep = base.includes('?') ? '&' : '?'
  return `${base}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`
}

t.test('the same migrations and a round trip run on PostgreSQL', { skip }, async (t) => {
  if (!url) return
  const schema = `hotline_test_${randomBytes(4).toString('hex')}`
  const admin = openStore({ client: 'pg', filename: '', url })
  await admin.raw('CREATE SCHEMA ??', [schema])
  t.teardown(async () => {
    await admin.raw('DROP SCHEMA ?? CASCADE', [schema])
    await closeStore(admin)
  })

  const store = openStore({ client: 'pg', filename: '', url: inFreshSchema(url, schema) })
  t.teardown(() => closeStore(store))
  t.same(await migrateLatest(store), migrationNames, 'every migration, in order')
  t.ok(await admin.schema.withSchema(schema).hasTable('hotline_meta'), 'table made in the run\'s schema')

  await writeMeta(store, 'site', 'Lyon')
  await writeMeta(store, 'site', 'Hanoi')
  t.equal(await readMeta(store, 'site'), 'Hanoi', 'upsert replaces on PostgreSQL too')
  t.same(await migrateLatest(store), [], 'migrating again is a no-op')

  await migrateRollbackAll(store)
  t.notOk(await admin.schema.withSchema(schema).hasTable('hotline_meta'), 'down migrations work')
})

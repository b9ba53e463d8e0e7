import t, { type Test } from 'tap'
import { join } from 'node:path'
import { closeStore, migrateLatest, migrationNames, openStore, readMeta, writeMeta, type Store } from './index.ts'

async function opened(t: Test): Promise<Store> {
  const dir = t.testdir({})
  const store = openStore({ client: 'better-sqlite3', filename: 'nested/dir/hotline.sqlite' }, dir)
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  return store
}

t.test('migrations create hotline_meta in a new SQLite file, creating its folder', async (t) => {
  const store = await opened(t)
  t.ok(await store.schema.hasTable('hotline_meta'))
  const rows: { file: string }[] = await store.raw('PRAGMA database_list')
  t.match(rows[0]?.file, join('nested', 'dir', 'hotline.sqlite'))
})

t.test('SQLite runs in WAL mode with foreign keys enforced and a busy timeout', async (t) => {
  const store = await opened(t)
  t.same(await store.raw('PRAGMA journal_mode'), [{ journal_mode: 'wal' }])
  t.same(await store.raw('PRAGMA foreign_keys'), [{ foreign_keys: 1 }])
  t.same(await store.raw('PRAGMA busy_timeout'), [{ timeout: 5000 }])
})

t.test('a meta value written is read back, and writing it again replaces it', async (t) => {
  const store = await opened(t)
  t.equal(await readMeta(store, 'site'), undefined)
  await writeMeta(store, 'site', 'Lyon')
  t.equal(await readMeta(store, 'site'), 'Lyon')
  await writeMeta(store, 'site', 'Hanoi')
  t.equal(await readMeta(store, 'site'), 'Hanoi')
})

t.test('migrating an up-to-date store again applies nothing and keeps the data', async (t) => {
  const store = await opened(t)
  await writeMeta(store, 'k', 'v')
  t.same(await migrateLatest(store), [])
  t.equal(await readMeta(store, 'k'), 'v')
})

t.test('data survives closing and reopening the file', async (t) => {
  const dir = t.testdir({})
  const cfg = { client: 'better-sqlite3', filename: 'h.sqlite' } as const
  const first = openStore(cfg, dir)
  t.same(await migrateLatest(first), migrationNames, 'a new file gets every migration, in order')
  await writeMeta(first, 'k', 'kept')
  await closeStore(first)
  const second = openStore(cfg, dir)
  t.teardown(() => closeStore(second))
  t.same(await migrateLatest(second), [])
  t.equal(await readMeta(second, 'k'), 'kept')
})

t.test('the first migration is the meta table and names are unique (they are recorded forever)', (t) => {
  t.equal(migrationNames[0], '0001_hotline_meta')
  t.equal(new Set(migrationNames).size, migrationNames.length)
  t.same([...migrationNames].sort(), migrationNames, 'listed in name order')
  t.end()
})

import type { Knex } from 'knex'
import type { Store } from './store.ts'

interface MigrationModule {
  up(knex: Knex): Promise<void>
  down?(knex: Knex): Promise<void>
}

interface NamedMigration {
  readonly name: string
  readonly load: () => Promise<MigrationModule>
}

/**
 * Every migration, oldest first. To add one: create `migrations/NNNN_what.ts` exporting
 * `up(knex)` and `down(knex)`, then append ONE line here. Never rename or reorder an entry:
 * the names are recorded in knex_migrations on every installed site.
 *
 * Listed, not scanned: knex's directory scanning looks for .js files and breaks under tsx and
 * after a build, while a list of imports works in both.
 */
const migrations: readonly NamedMigration[] = [
  { name: '0001_hotline_meta', load: () => import('./migrations/0001_hotline_meta.ts') },
  { name: '0002_cdr', load: () => import('./migrations/0002_cdr.ts') },
  { name: '0010_users', load: () => import('./migrations/0010_users.ts') },
  { name: '0020_customers', load: () => import('./migrations/0020_customers.ts') },
  { name: '0021_work_orders', load: () => import('./migrations/0021_work_orders.ts') },
  { name: '0030_recordings', load: () => import('./migrations/0030_recordings.ts') },
  { name: '0040_fax', load: () => import('./migrations/0040_fax.ts') },
  { name: '0050_acd', load: () => import('./migrations/0050_acd.ts') },
  { name: '0060_screenpop', load: () => import('./migrations/0060_screenpop.ts') },
  { name: '0070_sms', load: () => import('./migrations/0070_sms.ts') },
  { name: '0080_cdr_transfer', load: () => import('./migrations/0080_cdr_transfer.ts') },
  { name: '0090_acd_callbacks', load: () => import('./migrations/0090_acd_callbacks.ts') },
]

/** Names of every migration in order, as recorded in knex_migrations. */
export const migrationNames: readonly string[] = migrations.map((m) => m.name)

export const migrationSource: Knex.MigrationSource<NamedMigration> = {
  getMigrations: () => Promise.resolve([...migrations]),
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m.load(),
}

/** Brings the schema up to date; a no-op when it already is. Returns the names it applied. */
export async function migrateLatest(store: Store): Promise<string[]> {
  const [, applied] = (await store.migrate.latest({ migrationSource })) as [number, string[]]
  return applied
}

/** Undoes every migration (tests and throwaway databases only). */
export async function migrateRollbackAll(store: Store): Promise<void> {
  await store.migrate.rollback({ migrationSource }, true)
}

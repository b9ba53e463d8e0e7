import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Knex } from 'knex'
// knex is CommonJS: Node's ESM loader sees only its default export.
import knex from 'knex'

/** The knex instance the repositories share. One per process. */
export type Store = Knex

/** Structurally the `db` section of the config (store does not depend on app). */
export interface StoreConfig {
  readonly client: 'better-sqlite3' | 'pg'
  readonly filename: string
  readonly url?: string | undefined
}

/** How long a writer waits for SQLite's lock before SQLITE_BUSY (a reader/report may hold it). */
const SQLITE_BUSY_TIMEOUT_MS = 5_000

interface SqliteConnection {
  pragma(source: string): unknown
}

/**
 * Opens the store: better-sqlite3 by default (embedded, nothing to install), PostgreSQL when
 * db.client is "pg". A relative SQLite filename is resolved against `cwd` and its folder created.
 */
export function openStore(cfg: StoreConfig, cwd: string = process.cwd()): Store {
  if (cfg.client === 'pg') {
    if (cfg.url === undefined) throw new Error('openStore: db.url is required for pg (config validation lets none through)')
    return knex({ client: 'pg', connection: cfg.url, pool: { min: 0, max: 10 } })
  }
  const filename = cfg.filename === ':memory:' ? cfg.filename : resolve(cwd, cfg.filename)
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true })
  return knex({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      // Pragmas are per connection, so they are set on each one the pool opens.
      // WAL lets HTTP readers (reports, health) run while the ACD writes; foreign keys are off
      // by default in SQLite and must be switched on to match PostgreSQL's behaviour.
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) {
        try {
          conn.pragma('journal_mode = WAL')
          conn.pragma('foreign_keys = ON')
          conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`)
          done(null, conn)
        } catch (e) {
          done(e instanceof Error ? e : new Error(String(e)), conn)
        }
      },
    },
  })
}

/** Closes every pooled connection; the process can then exit. */
export async function closeStore(store: Store): Promise<void> {
  await store.destroy()
}

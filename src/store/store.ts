import { accessSync, constants, existsSync, mkdirSync } from 'node:fs'
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
  if (filename !== ':memory:') checkSqlitePlace(filename)
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

/** A store that cannot be opened where the config says: the message names the setting and the path. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError'
}

const WHY: Record<string, string> = {
  EEXIST: 'a file is in the way of the folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'this user may not write there',
  EPERM: 'this user may not write there',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
}

/**
 * The SQLite file's folder exists (created if missing) and the file and folder are writable
 * (SQLite also writes its -wal and -shm files beside the database). Checked before the first
 * query, which would otherwise fail as "unable to open database file" naming nothing.
 */
function checkSqlitePlace(filename: string): void {
  const dir = dirname(filename)
  const fail = (what: string, e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code ?? ''
    throw new StoreOpenError(`db.filename ${filename}: ${what} (${WHY[code] ?? code}); set db.filename (or HOTLINE_DB_FILENAME) to a writable place`)
  }
  try {
    mkdirSync(dir, { recursive: true })
  } catch (e) {
    fail(`cannot create its folder ${dir}`, e)
  }
  try {
    accessSync(dir, constants.W_OK)
    if (existsSync(filename)) accessSync(filename, constants.R_OK | constants.W_OK)
  } catch (e) {
    fail('cannot write the database there', e)
  }
}

/** Closes every pooled connection; the process can then exit. */
export async function closeStore(store: Store): Promise<void> {
  await store.destroy()
}

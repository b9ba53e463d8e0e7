import type { Store } from './store.ts'

/** The value stored under key in hotline_meta, or undefined. */
export async function readMeta(store: Store, key: string): Promise<string | undefined> {
  const row = await store<{ key: string; value: string }>('hotline_meta').where({ key }).first('value')
  return row?.value
}

/** Sets key to value, replacing any previous value (same SQL on SQLite and PostgreSQL). */
export async function writeMeta(store: Store, key: string, value: string): Promise<void> {
  await store('hotline_meta').insert({ key, value }).onConflict('key').merge()
}

export { openStore, closeStore, StoreOpenError, type Store, type StoreConfig } from './store.ts'
export { migrateLatest, migrateRollbackAll, migrationNames } from './migrate.ts'
export { readMeta, writeMeta } from './meta.ts'

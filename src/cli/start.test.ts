import t from 'tap'
import { isStoreError } from './start.ts'

t.test("store errors are told apart from bugs: those escaping a caller are logged and Hotline keeps running; anything else still stops it", (t) => {
  const sqlite = Object.assign(new Error('database or disk is full'), { name: 'SqliteError', code: 'SQLITE_FULL' })
  const pg = Object.assign(new Error('could not extend file'), { code: '53100', severity: 'ERROR' })
  t.ok(isStoreError(sqlite), 'SQLite: disk full')
  t.ok(isStoreError(pg), 'PostgreSQL: disk full (SQLSTATE 53100)')
  for (const other of [new TypeError('x is undefined'), Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'a string', undefined]) t.notOk(isStoreError(other), String(other))
  t.end()
})

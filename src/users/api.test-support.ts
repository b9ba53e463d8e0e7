/** Test support: the API with the users module over a temp SQLite file, served on port 0. */
import type { Test } from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApi, type SwitchStatus } from '../api/index.ts'
import { FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../store/index.ts'
import { authRoutes, createUserService, userAdminRoutes, type UserRole, type UserService, type UserServiceOptions } from './index.ts'

export const testPassword = 'correct horse battery'
/** scrypt at a test cost: the same code path, a fraction of the CPU. */
export const cheapScrypt = { N: 1024, r: 8, p: 1 }

const status = (): SwitchStatus => ({ state: 'connected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 })

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies freely and assert with t.match
type Body = any

export interface Served {
  readonly base: string
  readonly store: Store
  readonly clock: FakeClock
  readonly users: UserService
  readonly logged: string[]
  /** Creates a user (password testPassword) and returns a token for it. */
  signIn(username: string, role: UserRole, extra?: { agentId?: string }): Promise<{ token: string; id: string }>
  call(method: string, path: string, o?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: Body; headers: Headers }>
}

export async function served(t: Test, options: UserServiceOptions = {}): Promise<Served> {
  const store = openStore({ client: 'better-sqlite3', filename: 'users.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const clock = new FakeClock()
  const users = createUserService(store, clock, { scryptCost: cheapScrypt, ...options })
  const logged: string[] = []
  const log = { error: (obj: object, msg: string) => logged.push(`${msg} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))}`) }
  const app = createApi({ switchStatus: status, version: '0.0.0-test', log, tokens: users, routers: [authRoutes(users), userAdminRoutes(users)] })
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`

  const call: Served['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers }
    if (o.token !== undefined) headers['authorization'] = `Bearer ${o.token}`
    if (o.body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${base}${path}`, { method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) })
    const text = await res.text()
    const body: unknown = text === '' ? undefined : JSON.parse(text)
    return { status: res.status, body, headers: res.headers }
  }
  const signIn: Served['signIn'] = async (username, role, extra = {}) => {
    const created = await users.create({ username, password: testPassword, role, ...extra })
    if (!created.ok) throw new Error(created.error.message)
    const res = await call('POST', '/auth/login', { body: { username, password: testPassword } })
    return { token: (res.body as { token: string }).token, id: created.value.id }
  }
  return { base, store, clock, users, logged, signIn, call }
}

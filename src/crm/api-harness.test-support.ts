/**
 * Test harness for a domain router: an express app with JSON bodies, a stand-in for the bearer
 * layer (the `x-test-role` header sets the principal, none means no token), JSON errors for
 * anything unanswered or thrown, served on an ephemeral port for one test.
 */
import express, { type ErrorRequestHandler, type Router } from 'express'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sendError, ROLES, type Principal, type Role } from '../api/index.ts'

interface Teardown { teardown(fn: () => unknown): void }

export async function serveRouter(t: Teardown, router: Router): Promise<string> {
  const app = express()
  app.use(express.json({ limit: '1mb' }))
  app.use((req, _res, next) => {
    const role = req.header('x-test-role')
    if (role !== undefined && (ROLES as readonly string[]).includes(role)) {
      const agent = req.header('x-test-agent')
      const principal: Principal = { userId: `u-${role}`, username: `${role}1`, role: role as Role, ...(agent ? { agentId: agent } : {}) }
      Object.assign(req, { principal })
    }
    next()
  })
  app.use('/api/v1', router)
  app.use((req, res) => sendError(res, { code: 'route-not-found', message: `no route for ${req.method} ${req.path}` }))
  const bug: ErrorRequestHandler = (_e, _req, res, _next) => sendError(res, { code: 'internal-error', message: 'internal error' })
  app.use(bug)
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
}

export interface Answer {
  readonly status: number
  readonly body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read JSON freely
}

/** One request; `body` is JSON unless `contentType` says otherwise (then it is sent as is). */
export async function call(base: string, method: string, path: string, o: { role?: Role; agent?: string; body?: unknown; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (o.role) headers['x-test-role'] = o.role
  if (o.agent) headers['x-test-agent'] = o.agent
  let body: string | undefined
  if (o.body !== undefined) {
    headers['content-type'] = o.contentType ?? 'application/json'
    body = o.contentType !== undefined && typeof o.body === 'string' ? o.body : JSON.stringify(o.body)
  }
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
  return { status: res.status, body: await res.json() }
}

/**
 * Serves ACD routers over real HTTP for route tests. The `x-as` header stands in for the
 * bearer-token layer: `role[:agent]` becomes the request's principal.
 */
import type { Test } from 'tap'
import express, { type ErrorRequestHandler, type Router } from 'express'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sendError, type Principal } from '../api/index.ts'

/** The base URL (`…/api/v1`) of a server for `router`, closed at the end of the test. */
export async function serveAs(t: Test, router: Router): Promise<string> {
  const app = express()
  app.use(express.json())
  app.use((req, _res, next) => {
    const as = req.header('x-as')
    if (as) {
      const [role, agent] = as.split(':')
      ;(req as typeof req & { principal: Principal }).principal = { userId: 'u', username: 'u', role: role as Principal['role'], ...(agent ? { agentId: agent } : {}) }
    }
    next()
  })
  app.use('/api/v1', router)
  const bug: ErrorRequestHandler = (e: unknown, _req, res, _next) => sendError(res, { code: 'internal-error', message: String(e) })
  app.use(bug)
  const server = createServer(app)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
}

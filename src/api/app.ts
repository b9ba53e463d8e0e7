import express, { type Express, type Router } from 'express'
import { bearerTokens, type TokenVerifier } from './auth.ts'
import { errorResponder, routeNotFound, type ApiLog } from './errors.ts'
import { healthBody, type StoreStatus, type SwitchStatus } from './health.ts'
import { openApiRoute } from './openapi.ts'
import { route } from './route.ts'

export interface ApiDeps {
  readonly switchStatus: () => SwitchStatus
  /** Whether the store takes writes; health is degraded while it does not. */
  readonly storeStatus?: () => StoreStatus
  readonly version: string
  readonly log: ApiLog
  /** Who holds a bearer token (the users module). Absent: every presented token is token-invalid. */
  readonly tokens?: TokenVerifier
  /** Domain routers declared with route(), paths relative to /api/v1 (e.g. users' authRoutes). */
  readonly routers?: readonly Router[]
}

/** The HTTP API as an express app, not listening: the caller (app/compose, tests) owns the socket. */
export function createApi(deps: ApiDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  // Every response: no content sniffing (a JSON error or a fax PDF is never run as a page). API
  // answers carry tokens (login), customers and call data: never kept by a browser or proxy cache.
  app.use((req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff')
    if (req.path.startsWith('/api/')) res.setHeader('cache-control', 'no-store')
    next()
  })
  app.use(express.json({ limit: '1mb' }))

  const v1 = express.Router()
  // Open routes: monitoring must work without credentials.
  route(v1, { method: 'get', path: '/health', tag: 'system', role: 'public', summary: 'Process and FreeSWITCH connection health' },
    () => ({ json: healthBody(deps.switchStatus(), deps.version, deps.storeStatus?.()) }))
  openApiRoute(v1, { title: 'Hotline API', version: deps.version })

  // The token layer attaches the principal; route() then checks each route's role.
  v1.use(bearerTokens(deps.tokens))
  for (const router of deps.routers ?? []) v1.use(router)

  app.use('/api/v1', v1)
  app.use(routeNotFound)
  app.use(errorResponder(deps.log))
  return app
}

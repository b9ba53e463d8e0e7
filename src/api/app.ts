import express, { type Express } from 'express'
import { errorResponder, routeNotFound, type ApiLog } from './errors.ts'
import { healthRoute, type SwitchStatus } from './health.ts'

export interface ApiDeps {
  readonly switchStatus: () => SwitchStatus
  readonly version: string
  readonly log: ApiLog
}

/** The HTTP API as an express app, not listening: the caller (app/compose, tests) owns the socket. */
export function createApi(deps: ApiDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(express.json({ limit: '1mb' }))

  const v1 = express.Router()
  // Open routes: monitoring must work without credentials.
  v1.get('/health', healthRoute(deps.switchStatus, deps.version))

  // Routes below need a bearer token. When users arrive, insert here:
  //   v1.use(requireBearerToken(deps.tokens))   // answers token-missing / token-invalid (errors.ts)
  // and mount each domain's router after it, e.g. v1.use('/agents', agentRoutes(deps.agents)).

  app.use('/api/v1', v1)
  app.use(routeNotFound)
  app.use(errorResponder(deps.log))
  return app
}

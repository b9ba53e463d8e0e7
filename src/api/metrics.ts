/**
 * GET /metrics for Prometheus. Like every route it needs a token and a role: a scraper presents
 * the site's metrics token (auth.metricsToken: sessions expire, a scraper cannot log in), a person
 * a supervisor's or an admin's session. Outside /api/v1 because that is where scrapers look.
 */
import { timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'
import { presentedToken, type TokenVerifier } from './auth.ts'
import { sendError } from './errors.ts'

export interface MetricsRouteDeps {
  /** The exposition text and its content type (prom-client's registry). */
  readonly read: () => Promise<{ readonly contentType: string; readonly body: string }>
  readonly tokens: TokenVerifier
  readonly metricsToken?: string | undefined
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function metricsRoute(deps: MetricsRouteDeps): RequestHandler {
  return (req, res, next) => {
    const presented = presentedToken(req)
    if (presented.kind !== 'token') {
      res.setHeader('WWW-Authenticate', 'Bearer')
      return sendError(res, { code: 'token-missing', message: 'GET /metrics needs the metrics token (auth.metricsToken) or a supervisor\'s bearer token' })
    }
    const allowed = async (): Promise<boolean> => {
      if (deps.metricsToken !== undefined && same(presented.token, deps.metricsToken)) return true
      const p = await deps.tokens.verify(presented.token)
      if (!p) return false
      return p.role === 'supervisor' || p.role === 'admin'
    }
    allowed().then(async (ok) => {
      if (!ok) return sendError(res, { code: 'forbidden', message: 'the metrics token, or a supervisor\'s or an admin\'s session, is needed' })
      const m = await deps.read()
      res.setHeader('content-type', m.contentType)
      res.setHeader('cache-control', 'no-store')
      res.send(m.body)
    }).catch(next)
  }
}

/**
 * The bearer-token layer: reads `Authorization: Bearer <token>`, asks the TokenVerifier port who
 * holds it, and attaches that Principal for route() to check roles against. A request with no
 * token passes through without a principal, so route() answers token-missing on protected
 * routes and public routes work. A bad token is refused here with token-invalid, except on
 * public routes: a console holding a stale token must still be able to log in again.
 */
import type { Request, RequestHandler } from 'express'
import { sendError } from './errors.ts'
import { registeredRoutes, type Principal } from './route.ts'

/** The port the users module implements: who holds this token, or undefined if nobody valid. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal | undefined>
  /**
   * Told when tokens die before their time: one token (a logout) or every token of a user
   * (disabled, password reset). Long-lived responses (event streams) end on it.
   */
  onRevoked?(fn: (r: Revocation) => void): () => void
}

export type Revocation = { readonly token: string } | { readonly userId: string }

/** No users wired: every presented token is invalid (and no token is still token-missing). */
const nobody: TokenVerifier = { verify: () => Promise.resolve(undefined) }

// RFC 6750 §2.1: the scheme is case-insensitive; the token is base64url-ish, no spaces.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

export type Presented = { readonly kind: 'none' } | { readonly kind: 'malformed' } | { readonly kind: 'token'; readonly token: string }

export function presentedToken(req: Request): Presented {
  const header = req.headers.authorization
  if (header === undefined || header === '') return { kind: 'none' }
  const token = BEARER.exec(header)?.[1]
  return token === undefined ? { kind: 'malformed' } : { kind: 'token', token }
}

/** Whether a registered route with role 'public' answers this method and path (relative to /api/v1). */
export function isPublicRequest(method: string, path: string): boolean {
  const m = method.toLowerCase()
  return registeredRoutes.some((r) => r.role === 'public' && (r.method === m || (m === 'head' && r.method === 'get')) && pathMatches(r.path, path))
}

function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/').filter(Boolean)
  const got = path.split('/').filter(Boolean)
  return want.length === got.length && want.every((seg, i) => seg.startsWith(':') || seg === got[i])
}

export function bearerTokens(verifier: TokenVerifier = nobody): RequestHandler {
  return (req, res, next) => {
    const presented = presentedToken(req)
    if (presented.kind === 'none') return next()
    const refuse = () => {
      if (isPublicRequest(req.method, req.path)) return next()
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"')
      sendError(res, { code: 'token-invalid', message: 'the bearer token is unknown, expired or revoked; log in again' })
    }
    if (presented.kind === 'malformed') return refuse()
    verifier.verify(presented.token).then((principal) => {
      if (!principal) return refuse()
      ;(req as Request & { principal?: Principal }).principal = principal
      next()
    }).catch(next)
  }
}

/**
 * One way to declare a route: its method, path, role, zod schemas for params/query/body and
 * response, and a handler that receives parsed values. The same declaration validates requests,
 * checks the role, and feeds the OpenAPI document (GET /api/v1/openapi.json), so the documentation
 * cannot drift from the code.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express'
import { z } from 'zod'
import { sendError, type ApiError } from './errors.ts'

export type Role = 'agent' | 'supervisor' | 'admin'
export const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin']

/** Who made the request (set by the bearer-token layer). */
export interface Principal {
  readonly userId: string
  readonly username: string
  readonly role: Role
  /** The agent this user is, when the user is an agent. */
  readonly agentId?: string
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly method: HttpMethod
  /** Express path relative to /api/v1, e.g. `/agents/:id`. */
  readonly path: string
  readonly summary: string
  readonly tag: string
  /** The least role allowed (admin > supervisor > agent), or 'public' for no token. */
  readonly role: Role | 'public'
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  readonly response?: z.ZodType
  /** Raw responses (audio, PDF, event streams) are documented by content type only. */
  readonly produces?: string
}

export interface Parsed<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly params: z.infer<P>
  readonly query: z.infer<Q>
  readonly body: z.infer<B>
  readonly principal: Principal | undefined
  readonly req: Request
  readonly res: Response
}

/** What a handler returns: a JSON value (200/201), an ApiError, or `undefined` when it answered itself. */
export type Outcome = { readonly status?: number; readonly json: unknown } | { readonly error: ApiError } | undefined

const RANK: Record<Role, number> = { agent: 1, supervisor: 2, admin: 3 }
export const roleAllows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need]

export const registeredRoutes: Array<RouteSpec<z.ZodType, z.ZodType, z.ZodType>> = []

/** Reads the principal the token layer attached to the request. */
export function principalOf(req: Request): Principal | undefined {
  return (req as Request & { principal?: Principal }).principal
}

type Empty = z.ZodObject<Record<string, never>>

export function route<P extends z.ZodType = Empty, Q extends z.ZodType = Empty, B extends z.ZodType = z.ZodUnknown>(
  router: Router,
  spec: RouteSpec<P, Q, B>,
  handler: (p: Parsed<P, Q, B>) => Promise<Outcome> | Outcome,
): void {
  if (!registeredRoutes.some((r) => r.method === spec.method && r.path === spec.path)) registeredRoutes.push(spec)
  const h: RequestHandler = (req, res, next) => {
    const principal = principalOf(req)
    if (spec.role !== 'public') {
      if (!principal) return sendError(res, { code: 'token-missing', message: 'this route needs a bearer token' })
      if (!roleAllows(principal.role, spec.role)) return sendError(res, { code: 'forbidden', message: `this route needs the ${spec.role} role` })
    }
    const params = parsePart(spec.params, req.params, 'params')
    const query = parsePart(spec.query, req.query, 'query')
    const body = spec.body ? parsePart(spec.body, req.body ?? {}, 'body') : { ok: true as const, value: req.body as unknown }
    if (!params.ok) return sendError(res, params.error)
    if (!query.ok) return sendError(res, query.error)
    if (!body.ok) return sendError(res, body.error)
    Promise.resolve(handler({ params: params.value as z.infer<P>, query: query.value as z.infer<Q>, body: body.value as z.infer<B>, principal, req, res }))
      .then((out) => {
        if (out === undefined || res.headersSent) return
        if ('error' in out) return sendError(res, out.error)
        res.status(out.status ?? 200).json(out.json)
      })
      .catch(next)
  }
  router[spec.method](spec.path, h)
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): { ok: true; value: unknown } | { ok: false; error: ApiError } {
  if (!schema) return { ok: true, value }
  const r = schema.safeParse(value)
  if (r.success) return { ok: true, value: r.data }
  const problems = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), reason: i.message }))
  return { ok: false, error: { code: 'body-invalid', message: problems.map((p) => `${p.path}: ${p.reason}`).join('; '), details: { problems } } }
}

export const newRouter = (): Router => express.Router()

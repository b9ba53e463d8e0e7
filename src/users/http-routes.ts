/**
 * The users module's HTTP adapter: login/logout/me and user administration, declared with the
 * API's route() so bodies are validated with zod and the OpenAPI document lists them.
 */
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, presentedToken, route, type Outcome } from '../api/index.ts'
import { PASSWORD_MAX, PASSWORD_MIN, type User } from './core/user.ts'
import type { UserService } from './user-service.ts'

const role = z.enum(['agent', 'supervisor', 'admin'])
const iso = (at: number): string => new Date(at).toISOString()

const userJson = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
  agentId: z.string().optional(),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})

function toJson(u: User): z.infer<typeof userJson> {
  return {
    id: u.id, username: u.username, displayName: u.displayName, role: u.role, ...(u.agentId === undefined ? {} : { agentId: u.agentId }),
    disabled: u.disabled, createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt),
  }
}

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(PASSWORD_MAX) })
const loginJson = z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: userJson })
const password = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX)
const agentId = z.string().min(1).max(64)
const createBody = z.object({
  username: z.string().min(2).max(64),
  password,
  role,
  displayName: z.string().min(1).max(200).optional(),
  agentId: agentId.optional(),
})
const changeBody = z.object({
  role: role.optional(),
  disabled: z.boolean().optional(),
  displayName: z.string().min(1).max(200).optional(),
  agentId: agentId.nullable().optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'name at least one of role, disabled, displayName, agentId' })
const idParams = z.object({ id: z.string().min(1) })

/** Drops keys whose value is undefined (exactOptionalPropertyTypes: absent is not undefined). */
const defined = <T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> }

/** POST /auth/login (public), POST /auth/logout and GET /auth/me (any signed-in user). */
export function authRoutes(users: UserService): Router {
  const r = newRouter()
  route(r, { method: 'post', path: '/auth/login', tag: 'auth', role: 'public', summary: 'Exchange a username and password for a bearer token', body: loginBody, response: loginJson },
    async ({ body, req, res }): Promise<Outcome> => {
      const client = req.ip ?? req.socket.remoteAddress ?? 'unknown'
      const result = await users.login(body.username, body.password, client)
      if (result.ok) return { json: { token: result.value.token, expiresAt: iso(result.value.expiresAt), user: toJson(result.value.user) } }
      const e = result.error
      if (e.code === 'login-failed') return { error: e }
      const retryAfterSeconds = Math.ceil(e.retryAfterMs / 1000)
      res.setHeader('Retry-After', String(retryAfterSeconds))
      return { error: { code: e.code, message: e.message, details: { retryAfterSeconds } } }
    })
  route(r, { method: 'post', path: '/auth/logout', tag: 'auth', role: 'agent', summary: 'Revoke the bearer token of this request' },
    async ({ req, res }): Promise<Outcome> => {
      const presented = presentedToken(req)
      if (presented.kind === 'token') await users.logout(presented.token)
      res.status(204).end()
      return undefined
    })
  route(r, { method: 'get', path: '/auth/me', tag: 'auth', role: 'agent', summary: 'The user holding this token', response: userJson },
    async ({ principal }): Promise<Outcome> => {
      const user = principal && (await users.get(principal.userId))
      // The token layer just verified this user, so a miss is a deletion racing the request.
      if (!user) return { error: { code: 'token-invalid', message: 'the user of this token no longer exists' } }
      return { json: toJson(user) }
    })
  return r
}

/** User administration: admin role only. */
export function userAdminRoutes(users: UserService): Router {
  const r = newRouter()
  route(r, { method: 'get', path: '/users', tag: 'users', role: 'admin', summary: 'List users', response: z.object({ users: z.array(userJson) }) },
    async (): Promise<Outcome> => ({ json: { users: (await users.list()).map(toJson) } }))
  route(r, { method: 'post', path: '/users', tag: 'users', role: 'admin', summary: 'Create a user', body: createBody, response: userJson },
    async ({ body }): Promise<Outcome> => {
      const created = await users.create(defined(body))
      return created.ok ? { status: 201, json: toJson(created.value) } : { error: created.error }
    })
  route(r, { method: 'patch', path: '/users/:id', tag: 'users', role: 'admin', summary: 'Change a user\'s role, name or agent link, or disable it', params: idParams, body: changeBody, response: userJson },
    async ({ params, body }): Promise<Outcome> => {
      const updated = await users.update(params.id, defined(body))
      return updated.ok ? { json: toJson(updated.value) } : { error: updated.error }
    })
  route(r, { method: 'post', path: '/users/:id/password', tag: 'users', role: 'admin', summary: 'Set a new password; revokes the user\'s tokens', params: idParams, body: z.object({ password }) },
    async ({ params, body, res }): Promise<Outcome> => {
      const reset = await users.resetPassword(params.id, body.password)
      if (!reset.ok) return { error: reset.error }
      res.status(204).end()
      return undefined
    })
  return r
}

/**
 * GET /api/v1/openapi.json: an OpenAPI 3.1 document built from the route declarations
 * (registeredRoutes) and their zod schemas, through zod 4's own z.toJSONSchema. OpenAPI 3.1
 * schemas are JSON Schema 2020-12, zod's default target, so no translation is needed.
 */
import type { Router } from 'express'
import { z } from 'zod'
import { httpStatusByCode } from './errors.ts'
import { registeredRoutes, route, type RouteSpec } from './route.ts'

type JsonSchema = Record<string, unknown>
type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType>

export interface ApiInfo {
  readonly title: string
  readonly version: string
}

/** The error body every route may answer (errors.ts sendError). */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(httpStatusByCode) as [string, ...string[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
})

const errorRef = { $ref: '#/components/schemas/Error' }
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } })

/** Throws on a schema JSON Schema cannot express (a transform's output, a Date…): a bug in that route. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io }) as JsonSchema
  return rest
}

/** Express `/users/:id` becomes OpenAPI `/users/{id}`. */
export const openApiPath = (expressPath: string): string => `/api/v1${expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`

function parameters(r: AnyRoute): JsonSchema[] {
  const out: JsonSchema[] = []
  const pathNames = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '')
  const pathProps = objectProperties(r.params ? jsonSchema(r.params, 'input') : {})
  for (const name of pathNames) out.push({ name, in: 'path', required: true, schema: pathProps.properties[name] ?? { type: 'string' } })
  if (r.query) {
    const q = objectProperties(jsonSchema(r.query, 'input'))
    for (const [name, schema] of Object.entries(q.properties)) out.push({ name, in: 'query', required: q.required.includes(name), schema })
  }
  return out
}

function objectProperties(s: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const properties = (typeof s['properties'] === 'object' && s['properties'] !== null ? s['properties'] : {}) as Record<string, JsonSchema>
  const required = Array.isArray(s['required']) ? (s['required'] as string[]) : []
  return { properties, required }
}

function success(r: AnyRoute): JsonSchema {
  if (r.produces) return { description: 'success', content: { [r.produces]: {} } }
  if (r.response) return { description: 'success', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } }
  return { description: 'success' }
}

/** One operation object; exported so a test can convert every route on its own. */
export function operation(r: AnyRoute): JsonSchema {
  const responses: JsonSchema = { '2XX': success(r) }
  if (r.params || r.query || r.body) responses['400'] = errorResponse('invalid input (body-invalid, body-invalid-json)')
  if (r.role !== 'public') {
    responses['401'] = errorResponse('no bearer token (token-missing) or a bad one (token-invalid)')
    responses['403'] = errorResponse(`the user's role is below ${r.role} (forbidden)`)
  }
  responses['default'] = errorResponse('any other error, with its stable code')
  const op: JsonSchema = {
    operationId: `${r.method}${r.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: r.summary,
    tags: [r.tag],
    security: r.role === 'public' ? [] : [{ bearerAuth: [] }],
    'x-hotline-role': r.role,
    responses,
  }
  const params = parameters(r)
  if (params.length > 0) op['parameters'] = params
  if (r.body) op['requestBody'] = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } }
  return op
}

export function openApiDocument(routes: readonly AnyRoute[], info: ApiInfo): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const r of routes) (paths[openApiPath(r.path)] ??= {})[r.method] = operation(r)
  const tags = [...new Set(routes.map((r) => r.tag))].sort().map((name) => ({ name }))
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    tags,
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'a token from POST /api/v1/auth/login' } },
      schemas: { Error: jsonSchema(errorBody, 'output') },
    },
    security: [{ bearerAuth: [] }],
  }
}

/** Registers GET /openapi.json (public). The document is built on the first request and kept. */
export function openApiRoute(router: Router, info: ApiInfo): void {
  let built: { count: number; doc: JsonSchema } | undefined
  route(router, { method: 'get', path: '/openapi.json', tag: 'system', role: 'public', summary: 'This API as an OpenAPI 3.1 document' }, () => {
    // Rebuilt only if a route was declared since (routers are normally all built up front).
    if (built?.count !== registeredRoutes.length) built = { count: registeredRoutes.length, doc: openApiDocument(registeredRoutes, info) }
    return { json: built.doc }
  })
}

import t from 'tap'
import { z } from 'zod'
import { served } from '../users/api.test-support.ts'
import { openApiPath, operation, registeredRoutes } from './index.ts'

t.test('the OpenAPI document lists every registered route with its method, tag and security', async (t) => {
  const s = await served(t)
  const res = await s.call('GET', '/openapi.json')
  t.equal(res.status, 200)
  const doc = res.body
  t.equal(doc.openapi, '3.1.0')
  t.ok(registeredRoutes.length >= 8, 'health, openapi, auth and users routes are registered')
  for (const r of registeredRoutes) {
    const op = doc.paths[openApiPath(r.path)]?.[r.method]
    t.ok(op, `${r.method.toUpperCase()} ${r.path} is documented`)
    t.equal(op.summary, r.summary)
    t.same(op.tags, [r.tag])
    t.same(op.security, r.role === 'public' ? [] : [{ bearerAuth: [] }], `${r.path} security`)
  }
  t.same(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: 'a token from POST /api/v1/auth/login' })
  t.match(doc.tags, [{ name: 'auth' }, { name: 'system' }, { name: 'users' }])
})

t.test('express path parameters become OpenAPI parameters and bodies carry their JSON Schema', async (t) => {
  const s = await served(t)
  const doc = (await s.call('GET', '/openapi.json')).body
  const patch = doc.paths['/api/v1/users/{id}'].patch
  t.same(patch.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }])
  const body = patch.requestBody.content['application/json'].schema
  t.match(body.properties.role, { enum: ['agent', 'supervisor', 'admin'] })
  const login = doc.paths['/api/v1/auth/login'].post
  t.same(login.requestBody.content['application/json'].schema.required, ['username', 'password'])
  t.match(login.responses['2XX'].content['application/json'].schema.properties, { token: { type: 'string' }, user: { type: 'object' } })
  t.notOk(login.responses['401'], 'a public route documents no token errors')
  t.same(patch.responses['403'].content['application/json'].schema, { $ref: '#/components/schemas/Error' })
  const codes: string[] = doc.components.schemas.Error.properties.error.properties.code.enum
  for (const code of ['route-not-found', 'login-failed', 'forbidden', 'internal-error']) t.ok(codes.includes(code), `the error schema lists ${code}`)
})

t.test('converting any registered route to an operation does not throw', async (t) => {
  await served(t)
  for (const r of registeredRoutes) t.doesNotThrow(() => operation(r), `${r.method} ${r.path}`)
})

t.test('a schema JSON Schema cannot express is reported, not silently dropped', (t) => {
  t.throws(() => operation({ method: 'get', path: '/clock', summary: 's', tag: 'x', role: 'agent', response: z.date() }))
  t.end()
})

t.test('query parameters are listed one by one with their required flag', (t) => {
  const op = operation({ method: 'get', path: '/calls', summary: 's', tag: 'x', role: 'agent', query: z.object({ queue: z.string(), limit: z.coerce.number().optional() }) })
  t.match(op['parameters'], [{ name: 'queue', in: 'query', required: true, schema: { type: 'string' } }, { name: 'limit', in: 'query', required: false }])
  t.end()
})

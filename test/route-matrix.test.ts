/**
 * The access and validation matrix over every route declared with route(), on the whole center
 * (test/support/center.ts): each protected route refuses a request without a token (401
 * token-missing), with a wrong token (401 token-invalid) and from every role below its least role
 * (403 forbidden); each route with a body or query schema refuses an invalid one from an allowed
 * role with 400 body-invalid. The list comes from `registeredRoutes`, so a new route is covered
 * the day it is declared. Success paths live in each module's own route tests.
 */
import t, { type Test } from 'tap'
import { z } from 'zod'
import { ROLES, registeredRoutes, roleAllows, type Role, type RouteSpec } from '../src/api/index.ts'
import { startCenter } from './support/center.ts'

type Spec = RouteSpec<z.ZodType, z.ZodType, z.ZodType>
type JsonSchema = { type?: string; enum?: unknown[]; const?: unknown; properties?: Record<string, JsonSchema>; required?: string[] }

interface Answer { readonly status: number; readonly code: string | undefined; readonly field: string | undefined; readonly text: string }

const WRONG_TOKEN = 'wrong-token-0000000000000000000000000000'
/** Tried in turn for each path parameter: the first its schema accepts, so the body is what fails. */
const PLACEHOLDERS = ['does-not-exist', '999999999', 'R9999999999'] as const

const label = (s: Spec): string => `${s.method.toUpperCase()} ${s.path}`

/** The route's path with each `:param` filled by a placeholder its schema accepts, if any does. */
function pathOf(s: Spec): string {
  const shape = s.params instanceof z.ZodObject ? (s.params.shape as Record<string, z.ZodType>) : {}
  return '/api/v1' + s.path.replace(/:(\w+)/g, (_m, name: string) => {
    const field = shape[name]
    const fits = PLACEHOLDERS.find((p) => field?.safeParse(p).success ?? false)
    return encodeURIComponent(fits ?? PLACEHOLDERS[0])
  })
}

const schemaOf = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema

/** A value of the wrong type for a field of this JSON schema. */
function wrongFor(field: JsonSchema): unknown {
  if (field.enum !== undefined || field.const !== undefined) return '__bogus'
  if (field.type === 'string') return 12345
  // A union (anyOf) of objects and strings takes neither an array nor a number-like string reliably.
  return field.type === undefined ? [] : 'not-a-number'
}

/** An object body whose first required field has the wrong type; `[]` when nothing is required. */
function badBody(s: z.ZodType): unknown {
  const js = schemaOf(s)
  const first = js.required?.[0]
  const field = first === undefined ? undefined : js.properties?.[first]
  return first === undefined || field === undefined ? [] : { [first]: wrongFor(field) }
}

/** A query string with one field that cannot parse: a number or enum field if any, else a repeated key. */
function badQuery(s: z.ZodType): string {
  const props = Object.entries(schemaOf(s).properties ?? {})
  const typed = props.find(([, p]) => p.type === 'integer' || p.type === 'number' || p.enum !== undefined)
  if (typed) return `${typed[0]}=${String(wrongFor(typed[1]))}`
  const [name] = props[0] ?? ['__bogus']
  // Node's query parser turns a repeated key into an array, which no string field accepts.
  return `${name}=a&${name}=b`
}

const center = await startCenter({ port: 0 })
t.teardown(() => center.stop())

async function call(method: string, path: string, o: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (o.token !== undefined) headers['authorization'] = `Bearer ${o.token}`
  if (o.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(center.url + path, { method: method.toUpperCase(), headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) })
  const text = await res.text()
  const json = (res.headers.get('content-type') ?? '').includes('application/json') ? (JSON.parse(text) as ErrorBody) : undefined
  return { status: res.status, code: json?.error?.code, field: json?.error?.details?.problems?.[0]?.path, text: text.slice(0, 200) }
}
type ErrorBody = { error?: { code?: string; details?: { problems?: Array<{ path: string }> } } }

async function login(username: string): Promise<string> {
  const res = await fetch(`${center.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: center.people.agent.password }) })
  if (res.status !== 200) throw new Error(`${username} cannot log in: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

const tokens: Record<Role, string> = { agent: await login(center.people.agent.username), supervisor: await login(center.people.supervisor.username), admin: await login('admin') }

async function checkInput(t: Test, s: Spec, path: string, need: Role, odd: string[]): Promise<void> {
  const bad = s.body ? await call(s.method, path, { token: tokens[need], body: badBody(s.body) }) : await call(s.method, `${path}?${badQuery(s.query!)}`, { token: tokens[need] })
  const where = s.body ? 'body' : 'query'
  if (bad.status === 400 && bad.code === 'body-invalid') {
    t.ok(bad.field === where || bad.field?.startsWith(`${where}.`), `${label(s)} names the bad ${where} (field): ${bad.text}`)
    return
  }
  // Not input checking first: acceptable only as a JSON error with a code (e.g. 404 for an unknown id).
  odd.push(`${label(s)} → ${bad.status} ${bad.code ?? bad.text}`)
  t.ok(bad.status === 404 && bad.code !== undefined, `${label(s)} with a bad ${where} answers 400 body-invalid (or 404 with a code): ${bad.status} ${bad.text}`)
}

t.test('every declared route checks its token, its role and its input', async (t) => {
  // Read after the center is built: every router has declared its routes by now.
  const routes = registeredRoutes.filter((s) => s.role !== 'public')
  t.ok(routes.length > 50, `the center declares its routes (${routes.length} protected)`)
  const odd: string[] = []
  for (const s of routes) {
    const need = s.role as Role
    await t.test(label(s), async (t) => {
      const path = pathOf(s)
      const bare = await call(s.method, path)
      t.match(bare, { status: 401, code: 'token-missing' }, `${label(s)} without a token: ${bare.text}`)
      const wrong = await call(s.method, path, { token: WRONG_TOKEN })
      t.match(wrong, { status: 401, code: 'token-invalid' }, `${label(s)} with a wrong token: ${wrong.text}`)
      for (const below of ROLES.filter((r) => !roleAllows(r, need))) {
        const refused = await call(s.method, path, { token: tokens[below] })
        t.match(refused, { status: 403, code: 'forbidden' }, `${label(s)} as ${below}: ${refused.text}`)
      }
      if (s.body || s.query) await checkInput(t, s, path, need, odd)
    })
  }
  if (odd.length > 0) t.comment(`routes answering a bad input with something else than 400: ${odd.join('; ')}`)
})

t.test('the console streams take ?access_token= and still check the token and the role', async (t) => {
  for (const stream of ['/api/v1/agents/me/events', '/api/v1/wallboard/events']) {
    const wrong = await call('get', `${stream}?access_token=${WRONG_TOKEN}`)
    t.match(wrong, { status: 401, code: 'token-invalid' }, `${stream} refuses a wrong access_token: ${wrong.text}`)
  }
  const agentOnWallboard = await call('get', `/api/v1/wallboard/events?access_token=${tokens.agent}`)
  t.match(agentOnWallboard, { status: 403, code: 'forbidden' }, `an agent cannot open the wallboard stream: ${agentOnWallboard.text}`)
})

/** GET or send as a user; the JSON body and status (success paths the module tests do not reach). */
async function as(role: Role, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[role]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }
  const res = await fetch(`${center.url}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, body: await res.json() }
}

t.test('a supervisor lists the agents and replaces one agent\'s skills; an agent reads their own record', async (t) => {
  const list = await as('supervisor', 'GET', '/agents')
  t.match(list, { status: 200, body: { agents: [{ id: String }] } })
  t.same((list.body as { agents: Array<{ id: string }> }).agents.map((a) => a.id).filter((id) => id !== 'sup').sort(), ['chen', 'lin', 'mei', 'wang', 'zhao'])
  t.match(await as('agent', 'GET', `/agents/${center.people.agent.agentId}`), { status: 200, body: { id: center.people.agent.agentId } })
  t.match(await as('agent', 'GET', '/agents/mei'), { status: 403, body: { error: { code: 'forbidden' } } }, 'not a colleague\'s')
  t.match(await as('supervisor', 'PUT', '/agents/wang/skills', { skills: { sales: 4 } }), { status: 200, body: { id: 'wang', skills: { sales: 4 } } })
  t.notOk(((await as('supervisor', 'GET', '/agents/wang')).body as { skills: Record<string, number> }).skills['general'], 'the skills are replaced, not merged')
})

t.test('an agent reads a customer\'s contact history; a supervisor lists the score sheets', async (t) => {
  t.match(await as('agent', 'GET', `/customers/${center.sample.account}/contacts?limit=5`), { status: 200, body: { contacts: Array } })
  t.match(await as('supervisor', 'GET', '/score-sheets'), { status: 200, body: { sheets: [] } })
})

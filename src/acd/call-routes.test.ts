import t, { type Test } from 'tap'
import express, { type ErrorRequestHandler } from 'express'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sendError, type Principal } from '../api/index.ts'
import { agentId, callId, channelUuid, ok, queueId } from '../shared/index.ts'
import { CallControls } from './call-controls.ts'
import { callRoutes, transferTarget } from './call-routes.ts'
import { settle, shellWorld, sipAgent } from './shell.test-support.ts'

/** Lin talks to c1; the `x-as` header stands in for the bearer-token layer: `role[:agent]`. */
async function serve(t: Test) {
  const w = await shellWorld([sipAgent('lin', '1005'), sipAgent('mei', '1006')], { registered: ['1005', '1006'] })
  w.acd.presence(agentId('lin'), { state: 'ready' })
  w.acd.enqueue(callId('c1'), { queue: queueId('support'), leg: channelUuid('leg-c1') })
  w.control.answered('agent-leg-1')
  await settle()
  const controls = new CallControls({
    acd: w.acd, control: w.control, clock: w.clock, log: { info: () => undefined, warn: () => undefined },
    calls: { call: (id) => (id === 'c1' ? { customerLeg: channelUuid('leg-c1'), agentLeg: channelUuid('agent-leg-1'), caller: { number: '1', name: '' } } : undefined) },
    api: () => Promise.resolve(ok('|')), dial: { sipDomain: 'h', pstnGateway: 'carrier' },
  })
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
  app.use('/api/v1', callRoutes({ controls, acd: w.acd }))
  const bug: ErrorRequestHandler = (e: unknown, _req, res, _next) => sendError(res, { code: 'internal-error', message: String(e) })
  app.use(bug)
  const server = createServer(app)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  const post = async (path: string, as: string, body?: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'x-as': as, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } & Record<string, unknown> }
  }
  return { w, post }
}

t.test('only the agent on the call, or a supervisor, may control it', async (t) => {
  const { w, post } = await serve(t)
  t.match(await post('/calls/c1/hangup', 'agent:mei'), { status: 403, body: { error: { code: 'forbidden' } } })
  t.equal(w.control.ops('hangup').length, 0)
  t.match(await post('/calls/c1/hangup', 'supervisor'), { status: 200, body: { call: 'c1' } })
  t.match(await post('/calls/c2/hold', 'agent:lin'), { status: 409, body: { error: { code: 'agent-not-on-call' } } })
  t.match(await post('/calls/c2/hold', 'supervisor'), { status: 404, body: { error: { code: 'call-unknown' } } })
  t.match(await post('/calls/c1/hold', ''), { status: 401 })
})

t.test('a transfer takes the console free text or an object, and a bad body is a clear 400', async (t) => {
  const { w, post } = await serve(t)
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: 'nobody-here', kind: 'blind' }), { status: 400, body: { error: { code: 'transfer-target-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: { queue: 'support' }, kind: 'sideways' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { kind: 'blind' }), { status: 400, body: { error: { code: 'body-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: { queue: 'support' }, kind: 'consulted' }), { status: 400, body: { error: { code: 'transfer-target-invalid' } } })
  t.match(await post('/calls/c1/transfer', 'agent:lin', { to: 'mei', kind: 'blind' }), { status: 409, body: { error: { code: 'transfer-target-unavailable' } } }, 'Mei is logged out')
  t.match(await post('/calls/c1/transfer/complete', 'agent:lin'), { status: 409, body: { error: { code: 'transfer-none' } } })
  t.match(await post('/calls/c1/unhold', 'agent:lin'), { status: 409, body: { error: { code: 'call-not-held' } } })
  const number = post('/calls/c1/transfer', 'agent:lin', { to: '02588886666', kind: 'blind' })
  t.match(await number, { status: 202, body: { call: 'c1', agent: 'lin' } })
  t.same(w.control.ops('transfer').at(-1), { op: 'transfer', leg: 'leg-c1', arg: '902588886666' })
})

t.test('free text names an agent, a queue or a number; prefixes make it explicit', (t) => {
  const known = { agents: new Map([[agentId('mei'), {}]]), queues: new Map([[queueId('support'), {}]]) } as never
  t.same(transferTarget('mei', known), { kind: 'agent', agent: 'mei' })
  t.same(transferTarget('support', known), { kind: 'queue', queue: 'support' })
  t.same(transferTarget('+8613900001111', known), { kind: 'number', number: '+8613900001111' })
  t.same(transferTarget('queue:billing', known), { kind: 'queue', queue: 'billing' })
  t.same(transferTarget('agent:zhou', known), { kind: 'agent', agent: 'zhou' })
  t.equal(transferTarget('phone:123', known), undefined)
  t.equal(transferTarget('agent:bad id', known), undefined)
  t.equal(transferTarget('who?', known), undefined)
  t.same(transferTarget({ number: '110' }, known), { kind: 'number', number: '110' })
  t.end()
})

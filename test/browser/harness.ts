/**
 * A minimal center for the console's browser tests: the real users module (login, tokens), the
 * screen-pop and supervision routes and the console pages, with the ACD replaced by a bus the test
 * publishes on and a tiny presence route. It covers the page logic until app/startCenter exists.
 */
import express from 'express'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AcdNotice } from '../../src/acd/index.ts'
import { createApi, newRouter, route } from '../../src/api/index.ts'
import { consoleRouter } from '../../src/console/index.ts'
import { DEFAULT_DISPOSITIONS, PopService, popRoutes, type CallFacts, type Disposition, type PopCustomer } from '../../src/screenpop/index.ts'
import { agentId, Bus, ok, queueId, systemClock, type AgentId, type CallId, type QueueId } from '../../src/shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../../src/store/index.ts'
import { SupervisionService, supervisionRoutes, type AgentLike, type WallboardAlarm } from '../../src/supervision/index.ts'
import { authRoutes, createUserService } from '../../src/users/index.ts'
import { z } from 'zod'

export interface Harness {
  readonly url: string
  readonly bus: Bus<AcdNotice>
  readonly calls: Map<CallId, CallFacts>
  readonly customers: Map<string, PopCustomer>
  readonly dispositions: Disposition[]
  readonly agents: Map<AgentId, AgentLike>
  /** The site's alarms the wallboard shows; `checkAlarms()` as the center's poll does. */
  readonly alarms: WallboardAlarm[]
  checkAlarms(): void
  addUser(username: string, password: string, role: 'agent' | 'supervisor', agent?: string): Promise<void>
  /** Publishes an ACD event as the ACD would, and keeps the fake read model in step. */
  tell(event: AcdNotice['event']): void
  stop(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-console-'))
  const store = openStore({ client: 'better-sqlite3', filename: 'console.sqlite' }, dir)
  await migrateLatest(store)
  const clock = systemClock
  const users = createUserService(store, clock, { scryptCost: { N: 1024, r: 8, p: 1 } })
  const bus = new Bus<AcdNotice>()
  const calls = new Map<CallId, CallFacts>()
  const customers = new Map<string, PopCustomer>()
  const dispositions: Disposition[] = []
  const agents = new Map<AgentId, AgentLike>()
  const queues: QueueId[] = [queueId('repair')]
  const waiting = new Map<CallId, number>()

  const pops = new PopService({
    clock, log: { warn: () => undefined },
    sources: {
      call: (id) => calls.get(id),
      customer: (by) => Promise.resolve((by.account !== undefined ? customers.get(by.account) : [...customers.values()].find((c) => by.phone !== undefined && c.phones.includes(by.phone))) ?? null),
      recentContacts: () => Promise.resolve([{ at: clock.now() - 86_400_000, channel: 'call', direction: 'inbound', summary: '上次：信号差 · poor signal' }]),
      openWorkOrders: () => Promise.resolve([]),
    },
  })
  const alarms: WallboardAlarm[] = []
  const supervision = new SupervisionService({
    acd: {
      queues: () => queues.map((id) => ({ id })),
      live: () => ({ waiting: [...waiting.values()].map((since) => ({ waited: clock.now() - since })), staffed: [...agents.values()].filter((a) => a.presence.kind !== 'logged-out').length, estimatedWaitSeconds: undefined }),
      agents: () => [...agents.values()],
    },
    agentLeg: () => undefined, supervisorDial: () => 'user/1002', clock, alarms: () => alarms,
    switch: { originate: (s) => Promise.resolve(ok(s.uuid)), recvDtmf: () => Promise.resolve(ok(undefined)), hangup: () => Promise.resolve(ok(undefined)) },
  })
  bus.subscribe(pops.onAcdNotice)
  bus.subscribe(supervision.onAcdNotice)

  const tell = (event: AcdNotice['event']): void => {
    if (event.kind === 'agent-state-changed') {
      const a = agents.get(event.agent)
      if (a) agents.set(event.agent, { ...a, presence: event.presence, activity: event.activity, presenceForMs: 0, activityForMs: 0 })
    }
    if (event.kind === 'call-waiting') waiting.set(event.call, clock.now())
    if (event.kind === 'call-answered' || event.kind === 'call-abandoned') waiting.delete(event.call)
    bus.publish({ at: clock.now(), event })
  }

  // The ACD's presence route, reduced to what the console calls.
  const acd = newRouter()
  const view = (id: string) => agents.get(agentId(id))
  route(acd, { method: 'get', path: '/agents/:id', summary: 'fake', tag: 'test', role: 'agent', params: z.object({ id: z.string() }) }, ({ params }) => {
    const a = view(params.id)
    return a ? { json: a } : { error: { code: 'agent-unknown', message: 'no agent' } }
  })
  route(acd, { method: 'post', path: '/agents/:id/presence', summary: 'fake', tag: 'test', role: 'agent', params: z.object({ id: z.string() }), body: z.object({ state: z.enum(['ready', 'not-ready', 'logged-out']), reason: z.string().optional() }) }, ({ params, body }) => {
    const a = view(params.id)
    if (!a) return { error: { code: 'agent-unknown', message: 'no agent' } }
    const presence = body.state === 'not-ready' ? { kind: 'not-ready', reason: body.reason ?? 'break', since: clock.now() } as const : { kind: body.state, since: clock.now() } as const
    tell({ kind: 'agent-state-changed', agent: a.id, presence, activity: { kind: 'idle', since: clock.now() }, registered: true })
    return { json: view(params.id) }
  })

  const tokens = users
  const api = createApi({
    switchStatus: () => ({ state: 'connected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 }), version: 'test', log: { error: () => undefined }, tokens,
    routers: [
      authRoutes(users), acd,
      popRoutes({ pops, tokens, clock, settings: { notReadyReasons: ['lunch', 'training'], dispositions: DEFAULT_DISPOSITIONS }, dispositions: { record: (d) => (dispositions.push(d), Promise.resolve(ok(undefined))), handledBy: () => Promise.resolve({ agent: undefined }) } }),
      supervisionRoutes({ supervision, tokens, clock }),
    ],
  })
  const root = express()
  root.use('/console', consoleRouter())
  root.use(api)
  const server = createServer(root)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url, bus, calls, customers, dispositions, agents, tell, alarms, checkAlarms: () => supervision.checkAlarms(),
    async addUser(username, password, role, agent) {
      const r = await users.create({ username, password, role, ...(agent ? { agentId: agent } : {}) })
      if (!r.ok) throw new Error(r.error.message)
      if (agent) agents.set(agentId(agent), { id: agentId(agent), name: username, queues, presence: { kind: 'logged-out', since: clock.now() }, activity: { kind: 'idle' }, registered: true, presenceForMs: 0, activityForMs: 0 })
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
      await closeStore(store)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * `screenpop`: time from the ACD's `call-offered` notice to the pop, with the caller's customer
 * record in it, arriving at the agent's console over Server-Sent Events, with 200 consoles
 * connected (one per agent, real HTTP on 127.0.0.1, the real PopService and SSE route, the CRM
 * on SQLite with the sample customers). Offers go one at a time to each agent in turn; the
 * clock starts just before the notice is published and stops when the console has parsed the
 * event, so it includes the write, the socket and the client's parse.
 *
 * Baseline in the same run, same servers and consoles, rounds interleaved: the lookup made at
 * offer time, as a pop service that fetches the customer when the offer is decided would do.
 * Hotline starts the lookup when the caller joins the queue (`call-waiting`), so at the offer
 * the pop already carries the customer; without that, the customer arrives only after the CRM
 * has answered (the `pop-updated` that follows). Both figures are "offer → customer on screen".
 * Ratio = Hotline / baseline (below 1: faster).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { AcdNotice } from '../src/acd/index.ts'
import { createApi, type Principal, type TokenVerifier } from '../src/api/index.ts'
import { Crm, sampleCustomerDrafts, seedSampleCustomers } from '../src/crm/index.ts'
import { DEFAULT_DISPOSITIONS, PopService, popRoutes, type CallFacts } from '../src/screenpop/index.ts'
import { agentId, Bus, callId, FakeClock, offerId, ok, queueId, type CallId } from '../src/shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../src/store/index.ts'
import { SseReader } from '../src/screenpop/sse.test-support.ts'
import { benchLine, percentile } from './measure.ts'

const CONSOLES = 200
const ROUNDS = 6 // per mode; each round offers one call to every agent

type Mode = 'prefetched' | 'lookup-at-offer'

interface Waiting {
  readonly agent: string
  readonly call: string
  readonly resolve: (at: number) => void
}

export default async function screenpopBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'screenpop-bench-'))
  const db = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  const clock = new FakeClock()
  const server = createServer()
  const readers: SseReader[] = []
  try {
    await migrateLatest(db)
    await seedSampleCustomers(db, clock.now())
    const crm = new Crm({ db, clock })
    const phones = sampleCustomerDrafts.flatMap((c) => c.phones.filter((p) => /^1\d{10}$/.test(p)))
    const calls = new Map<CallId, CallFacts>()
    const bus = new Bus<AcdNotice>()
    const pops = new PopService({
      clock, log: { warn: () => undefined },
      sources: { call: (id) => calls.get(id), customer: (by) => crm.findCustomer(by), recentContacts: (a, n) => crm.contacts(a, n), openWorkOrders: () => Promise.resolve([]) },
    })
    bus.subscribe(pops.onAcdNotice)
    const people = new Map<string, Principal>(Array.from({ length: CONSOLES }, (_, i) => [`tok-${i}`, { userId: `u${i}`, username: `a${i}`, role: 'agent', agentId: `a${i}` }]))
    const tokens: TokenVerifier = { verify: (tok) => Promise.resolve(people.get(tok)) }
    server.on('request', createApi({
      switchStatus: () => ({ state: 'connected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 }), version: 'bench', log: { error: () => undefined }, tokens,
      routers: [popRoutes({ pops, tokens, clock, dispositions: { record: () => Promise.resolve(ok(undefined)), handledBy: () => Promise.resolve(undefined) }, settings: { notReadyReasons: [], dispositions: DEFAULT_DISPOSITIONS } })],
    }))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`

    // 200 consoles; each reports when a pop for the awaited call arrives with the customer found.
    let waiting: Waiting | undefined
    for (let i = 0; i < CONSOLES; i++) {
      const reader = new SseReader(await fetch(`${base}/agents/me/events?access_token=tok-${i}`))
      readers.push(reader)
      if ((await reader.next()).event !== 'hello') throw new Error('screenpop bench: no hello')
      void (async () => {
        for (;;) {
          const ev = await reader.next().catch(() => undefined)
          if (!ev) return
          const at = performance.now()
          const w = waiting
          const data = ev.data as { call?: string; customer?: { kind?: string } }
          if (w && w.agent === `a${i}` && data.call === w.call && data.customer?.kind === 'found') {
            waiting = undefined
            w.resolve(at)
          }
        }
      })()
    }

    let n = 0
    const offerOne = async (agent: number, mode: Mode): Promise<number> => {
      const call = callId(`c${++n}`)
      calls.set(call, { caller: phones[n % phones.length]!, did: '96200', region: 'gulou', arrivedAt: clock.now(), ivrPath: ['main/main-menu'], facts: { service: '1' } })
      const tell = (event: AcdNotice['event']): void => bus.publish({ at: clock.now(), event })
      if (mode === 'prefetched') {
        tell({ kind: 'call-waiting', call, queue: queueId('general'), tier: 'gold', position: 1 })
        // The caller waits in queue for a while before an agent is free: let the lookup finish.
        for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r))
      }
      const arrived = new Promise<number>((resolve) => (waiting = { agent: `a${agent}`, call, resolve }))
      const sent = performance.now()
      tell({ kind: 'call-offered', offer: offerId(`${call}/1`), call, agent: agentId(`a${agent}`), queue: queueId('general') })
      const ms = (await arrived) - sent
      tell({ kind: 'offer-cancelled', offer: offerId(`${call}/1`), call, agent: agentId(`a${agent}`), reason: 'caller-hung-up' })
      tell({ kind: 'call-abandoned', call, queue: queueId('general'), waited: 0 })
      calls.delete(call)
      return ms
    }

    const samples: Record<Mode, number[]> = { 'prefetched': [], 'lookup-at-offer': [] }
    for (let i = 0; i < CONSOLES; i++) { await offerOne(i, 'prefetched'); await offerOne(i, 'lookup-at-offer') } // warm up
    for (let r = 0; r < ROUNDS * 2; r++) {
      const mode: Mode = r % 2 === 0 ? 'prefetched' : 'lookup-at-offer'
      for (let i = 0; i < CONSOLES; i++) samples[mode].push(await offerOne(i, mode))
    }
    const line = (name: string, p: number): string => {
      const ours = percentile(samples.prefetched, p)
      const theirs = percentile(samples['lookup-at-offer'], p)
      return benchLine(name, ours, `ms p${p} offer to console, ${CONSOLES} consoles`, 'lookup-at-offer', theirs, ours / theirs)
    }
    return [line('screenpop', 99), line('screenpop-p50', 50)]
  } finally {
    for (const r of readers) await r.close()
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    await closeStore(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

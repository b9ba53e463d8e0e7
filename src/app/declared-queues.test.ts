import t, { type Test } from 'tap'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { KnexQueueRepository, queueConfig, type AcdAdmin } from '../acd/index.ts'
import { failure, FakeClock, ok, queueId, seconds } from '../shared/index.ts'
import { startSimulator } from '../sim/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../store/index.ts'
import { createCenter, type Center } from './center.ts'
import { loadConfig } from './config.ts'
import { missingQueues, provideDeclaredQueues, type DeclaredQueuesLog, type QueueSetup } from './declared-queues.ts'
import { createLogger } from './log.ts'

const repo = resolve(import.meta.dirname, '..', '..')
const FLOW_QUEUES = ['billing', 'general', 'repair', 'sales']

interface LogLine { level: number; msg: string; queue?: string }

/** `hotline start` (createCenter + start) on the given store, with the repo's flows, left running; and what it logs. */
async function runCenter(t: Test, store: Store, dir: string, over: Record<string, unknown> = {}): Promise<{ lines: LogLine[]; center: Center; clock: FakeClock }> {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 2, 0, 0))
  const password = 'queues-secret'
  const sim = await startSimulator({ password, clock })
  t.teardown(() => sim.close())
  const loaded = loadConfig({ cwd: repo, env: {}, overrides: { esl: { password }, recording: { root: join(dir, 'rec') }, paths: { fax: join(dir, 'fax') }, ...over } })
  if (!loaded.ok) throw new Error(loaded.error.message)
  const lines: LogLine[] = []
  const sink = new Writable({ write: (c: Buffer, _e, done) => { for (const l of c.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine); done() } })
  const log = await createLogger({ level: 'info', pretty: false }, sink)
  const center = createCenter({ config: loaded.value, store, log, clock, esl: { host: sim.host, port: sim.port, password }, cwd: repo })
  await center.start()
  return { lines, center, clock }
}

/** `hotline start` then stop; returns what it logged. */
async function startCenter(t: Test, store: Store, dir: string, over: Record<string, unknown> = {}): Promise<{ lines: LogLine[]; admin: AcdAdmin }> {
  const { lines, center } = await runCenter(t, store, dir, over)
  await center.stop()
  return { lines, admin: center.acd.admin }
}

async function emptyStore(t: Test): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'declared-queues-'))
  const store = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  t.teardown(async () => { await closeStore(store); rmSync(dir, { recursive: true, force: true }) })
  await migrateLatest(store)
  return { store, dir }
}

const createdLines = (lines: readonly LogLine[]): LogLine[] => lines.filter((l) => /^acd: created queue /.test(l.msg))

t.test('a start on an empty database creates every queue the flows declare, with defaults, logging each', async (t) => {
  const { store, dir } = await emptyStore(t)
  const { lines, admin } = await startCenter(t, store, dir)
  t.same((await new KnexQueueRepository(store).list()).map((q) => q.id), FLOW_QUEUES, 'stored')
  t.same(admin.queues().map((q) => q.id), FLOW_QUEUES, 'live in the ACD')
  t.same(admin.queues().find((q) => q.id === 'billing'), queueConfig(queueId('billing')), 'the ACD defaults')
  t.same(createdLines(lines).map((l) => [l.level, l.queue]), FLOW_QUEUES.map((q) => [30, q]), 'one info line per queue created')
  t.notOk(lines.some((l) => l.level >= 50), 'no error: the overflow queue general now exists')
})

t.test('a second start creates nothing and keeps what an admin changed', async (t) => {
  const { store, dir } = await emptyStore(t)
  const first = await startCenter(t, store, dir)
  const tuned = { ...queueConfig(queueId('billing')), strategy: 'most-skilled' as const, ringTimeout: seconds(20), wrapUp: seconds(45) }
  t.ok((await first.admin.saveQueue(tuned)).ok)
  const second = await startCenter(t, store, dir)
  t.same(createdLines(second.lines), [], 'nothing created')
  t.same(second.admin.queues().find((q) => q.id === 'billing'), tuned, 'the edit survives the restart')
  t.same(await new KnexQueueRepository(store).get(queueId('billing')), tuned, 'and is still what is stored')
})

t.test('an overflow queue the flows do not declare and the ACD lacks is an error at start, naming it', async (t) => {
  const { store, dir } = await emptyStore(t)
  const { lines, admin } = await startCenter(t, store, dir, { ivr: { overflowQueue: 'night-desk' } })
  t.match(lines.filter((l) => l.level === 50), [{ queue: 'night-desk', msg: /overflow queue night-desk \(ivr\.overflowQueue\) does not exist/ }])
  t.same(admin.queues().map((q) => q.id), FLOW_QUEUES, 'it is not invented: only declared queues are created')
})

t.test('a queue a designer adds to the flows while Hotline runs is created at the reload, and no other queue is touched', async (t) => {
  const { store, dir } = await emptyStore(t)
  const scripts = join(dir, 'scripts')
  cpSync(join(repo, 'ivr-scripts'), scripts, { recursive: true })
  const { lines, center, clock } = await runCenter(t, store, dir, { ivr: { scriptsDir: scripts } })
  const admin = center.acd.admin
  const tuned = { ...queueConfig(queueId('billing')), strategy: 'most-skilled' as const, ringTimeout: seconds(20) }
  t.ok((await admin.saveQueue(tuned)).ok)
  const before = createdLines(lines).length

  const flowFile = join(scripts, 'hotline.yaml')
  const text = readFileSync(flowFile, 'utf8')
  const declared = '  sales:   { description: Installations and pay-per-view orders }\n'
  t.ok(text.includes(declared), 'the sample declares sales as expected')
  writeFileSync(flowFile, text.replace(declared, `${declared}  outages: { description: Area outage line }\n`))
  // What the directory watcher does on the save (its event timing is the kernel's, so it is not awaited here).
  center.flows.changed()
  clock.advance(300)
  await center.flows.settled()

  t.equal(center.flows.current()?.version, 2, 'the edited flows went live')
  t.ok(admin.queues().some((q) => q.id === 'outages'), 'the new queue is live in the ACD')
  t.same(await new KnexQueueRepository(store).get(queueId('outages')), queueConfig(queueId('outages')), 'stored, with the ACD defaults')
  t.same(createdLines(lines).slice(before).map((l) => [l.level, l.queue]), [[30, 'outages']], 'one info line, for the new queue only')
  t.same(admin.queues().find((q) => q.id === 'billing'), tuned, 'a queue an admin tuned is left as it was')
  t.notOk(lines.some((l) => l.level >= 50), 'no error')
  await center.stop()
})

/** An ACD admin in memory; `refuse` fails that queue's save, `appears` is added by "an admin" once the step has looked. */
function fakeAcd(existing: string[], o: { refuse?: string; appears?: string } = {}): QueueSetup & { saved: string[] } {
  const ids = [...existing]
  const saved: string[] = []
  let looked = 0
  return {
    saved,
    queues: () => {
      if (looked++ === 1 && o.appears !== undefined) ids.push(o.appears)
      return ids.map((id) => queueConfig(queueId(id)))
    },
    saveQueue: (q) => {
      if (q.id === o.refuse) return Promise.resolve({ ok: false, error: failure('queue-unknown', 'store refused') })
      saved.push(q.id)
      ids.push(q.id)
      return Promise.resolve(ok(q))
    },
  }
}

function memoryLog(): DeclaredQueuesLog & { lines: LogLine[] } {
  const lines: LogLine[] = []
  return { lines, info: (o, msg) => void lines.push({ ...o, level: 30, msg }), error: (o, msg) => void lines.push({ ...o, level: 50, msg }) }
}

t.test('only declared queues the ACD lacks are created, once each, in name order', (t) => {
  t.same(missingQueues(['sales', 'general', 'billing', 'sales'], ['general']), ['billing', 'sales'])
  t.same(missingQueues([], ['general']), [])
  t.end()
})

t.test('a queue that cannot be created is logged as an error and the others are still created', async (t) => {
  const acd = fakeAcd([], { refuse: 'billing' })
  const log = memoryLog()
  const r = await provideDeclaredQueues(acd, ['billing', 'general'], 'general', log)
  t.same(r, { created: ['general'], overflowMissing: undefined })
  t.match(log.lines, [{ level: 50, queue: 'billing', msg: /billing declared by the IVR flows could not be created: store refused/ }, { level: 30, queue: 'general' }])
})

t.test('flows that do not load create nothing, and the missing overflow queue is still reported', async (t) => {
  const acd = fakeAcd([])
  const log = memoryLog()
  t.same(await provideDeclaredQueues(acd, [], 'general', log), { created: [], overflowMissing: 'general' })
  t.same(acd.saved, [])
  t.match(log.lines, [{ level: 50, queue: 'general' }])
})

t.test('a queue an admin created while the step ran is left as the admin made it', async (t) => {
  const acd = fakeAcd(['general'], { appears: 'billing' })
  const r = await provideDeclaredQueues(acd, ['billing', 'general'], 'general', memoryLog())
  t.same(r.created, [])
  t.same(acd.saved, [], 'never written over')
})

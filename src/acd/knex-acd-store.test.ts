import t, { type Test } from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { agentId, queueId, seconds } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { queueConfig } from './core/index.ts'
import { KnexAgentRepository, KnexPresenceLog, KnexQueueRepository } from './knex-acd-store.ts'

async function store(t: Test) {
  const s = openStore({ client: 'better-sqlite3', filename: join(mkdtempSync(join(tmpdir(), 'acd-')), 'h.sqlite') })
  t.teardown(() => closeStore(s))
  await migrateLatest(s)
  return s
}

t.test('the presence log keeps every change and gives back the latest per agent', async (t) => {
  const log = new KnexPresenceLog(await store(t))
  await log.append({ agent: agentId('lin'), presence: 'ready', reason: undefined, activity: 'idle', at: 1000 })
  await log.append({ agent: agentId('mei'), presence: 'ready', reason: undefined, activity: 'idle', at: 1001 })
  await log.append({ agent: agentId('lin'), presence: 'not-ready', reason: 'lunch', activity: 'wrap-up', at: 2000 })
  const latest = await log.latest()
  t.same(latest.get(agentId('lin')), { agent: 'lin', presence: 'not-ready', reason: 'lunch', activity: 'wrap-up', at: 2000 })
  t.same(latest.get(agentId('mei'))?.presence, 'ready')
  t.equal((await log.history(agentId('lin'), 0, 5000)).length, 2, 'append-only: the history stays')
})

t.test('agents round-trip with contact, skills and queues; a second agent cannot take the same contact', async (t) => {
  const repo = new KnexAgentRepository(await store(t))
  await repo.save({ id: agentId('lin'), name: 'Lin', contact: { kind: 'sip', user: '1005' }, skills: new Map([['billing', 3]]), queues: [queueId('support')] })
  await repo.save({ id: agentId('far'), name: 'Far', contact: { kind: 'pstn', number: '+8613800000000' }, skills: new Map(), queues: [] })
  const lin = await repo.get(agentId('lin'))
  t.same(lin?.skills, new Map([['billing', 3]]))
  t.same(lin?.contact, { kind: 'sip', user: '1005' })
  t.same((await repo.list()).map((a) => a.id), ['far', 'lin'])
  await t.rejects(repo.save({ id: agentId('dup'), name: 'Dup', contact: { kind: 'sip', user: '1005' }, skills: new Map(), queues: [] }))
  t.equal(await repo.remove(agentId('far')), true)
  t.equal(await repo.remove(agentId('far')), false)
})

t.test('a queue round-trips its whole configuration, including escalation and its exit', async (t) => {
  const repo = new KnexQueueRepository(await store(t))
  const q = queueConfig(queueId('vip'), { strategy: 'most-skilled', escalation: [{ after: seconds(30), action: { kind: 'overflow', to: queueId('support') } }], maxWait: { after: seconds(300), exit: { kind: 'callback', otherwise: 'sorry.wav' } } })
  await repo.save(q)
  t.same(await repo.get(queueId('vip')), q)
  await repo.save({ ...q, strategy: 'ring-all' })
  t.equal((await repo.list()).length, 1, 'saving again updates')
  t.equal((await repo.get(queueId('vip')))?.strategy, 'ring-all')
})

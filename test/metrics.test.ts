/**
 * GET /metrics on the whole center (startCenter: the demo's composition over the simulator): a
 * supervisor (or the site's metrics token) reads the Prometheus text; after one caller reached an
 * agent the offer, its answer time and the caller's wait are counted, and the levels are read live.
 */
import t from 'tap'
import type { AcdNotice } from '../src/acd/index.ts'
import { startCenter } from './support/center.ts'

const center = await startCenter({ port: 0, sim: { agentPhones: { answerAfterMs: 500 } } })
t.teardown(() => center.stop())

async function get(path: string, token?: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${center.url}${path}`, { headers: { connection: 'close', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() }
}
async function login(username: string): Promise<string> {
  const res = await fetch(`${center.url}/api/v1/auth/login`, { method: 'POST', headers: { connection: 'close', 'content-type': 'application/json' }, body: JSON.stringify({ username, password: center.people.agent.password }) })
  return ((await res.json()) as { token: string }).token
}
/** The first ACD notice that matches, or a rejection after the deadline. */
function notice(pred: (n: AcdNotice) => boolean, what: string, ms = 30_000): Promise<AcdNotice> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no ${what} within ${ms} ms`))), ms)
    const off = center.center.acd.bus.subscribe((n) => {
      if (!pred(n)) return
      clearTimeout(timer)
      off()
      resolve(n)
    })
  })
}
const value = (body: string, series: string): number | undefined => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('only the metrics token or a supervisor\'s or admin\'s session reads /metrics', async (t) => {
  t.match(await get('/metrics'), { status: 401, body: /token-missing/ })
  t.match(await get('/metrics', 'not-a-real-token'), { status: 403 })
  t.match(await get('/metrics', await login(center.people.agent.username)), { status: 403, body: /forbidden/ }, 'an agent may not')
  const boss = await get('/metrics', await login(center.people.supervisor.username))
  t.equal(boss.status, 200)
  t.match(boss.type, /^text\/plain; version=0\.0\.4/)
  t.equal(value(boss.body, 'hotline_switch_up'), 1, 'the link to the switch is up')
  t.equal(value(boss.body, 'hotline_switch_state{state="connected"}'), 1)
  t.match(boss.body, /hotline_process_resident_memory_bytes \d+/, 'process metrics too')
})

t.test('one caller to an agent: offers, answer time, wait and the live levels', async (t) => {
  const token = await login(center.people.supervisor.username)
  const lin = center.people.agent.agentId
  center.center.acd.presence(lin as never, { state: 'ready' })
  const answered = notice((n) => n.event.kind === 'call-answered', 'call-answered')
  const caller = center.sim.call({ did: center.sample.did, caller: center.sample.caller })
  for (const keys of center.sample.keys) caller.press(keys)
  await answered
  const during = (await get('/metrics', token)).body
  t.equal(value(during, 'hotline_offers_made_total'), 1)
  t.equal(value(during, 'hotline_offers_total{outcome="answered"}'), 1)
  t.equal(value(during, 'hotline_offer_answer_seconds_count'), 1, 'how long the phone rang, observed once')
  t.match(during, /hotline_queue_wait_seconds_count\{queue="[a-z]+"\} 1/)
  t.equal(value(during, 'hotline_calls_with_agents'), 1)
  t.equal(value(during, `hotline_agents{presence="ready",activity="on-call"}`), 1)
  t.equal(value(during, 'hotline_store_up'), 1)
  const ended = notice((n) => n.event.kind === 'agent-state-changed' && n.event.agent === lin && n.event.activity.kind === 'wrap-up', 'wrap-up')
  caller.hangup()
  await ended
  const after = (await get('/metrics', token)).body
  t.equal(value(after, 'hotline_calls_with_agents'), 0, 'levels are read live')
  t.equal(value(after, `hotline_agents{presence="ready",activity="wrap-up"}`), 1)
})

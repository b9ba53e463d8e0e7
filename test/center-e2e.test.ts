/**
 * The whole center as `hotline start` composes it (createCenter), over the simulator on a fake
 * clock: a caller presses 0 in the IVR, waits in the general queue, the ready agent's SIP phone
 * rings, answers, and the two are bridged; the CDR says who answered.
 */
import t from 'tap'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { createCenter, createLogger, loadConfig } from '../src/app/index.ts'
import type { CallEvent } from '../src/calls/index.ts'
import { KnexCdrStore } from '../src/cdr/index.ts'
import { seedDemo } from '../src/cli/demo-seed.ts'
import { agentId, FakeClock } from '../src/shared/index.ts'
import { kitSwitch, startSimulator } from '../src/sim/index.ts'
import { closeStore, migrateLatest, openStore } from '../src/store/index.ts'
import { until } from './support/drive.ts'

const repo = resolve(import.meta.dirname, '..')
const quiet = new Writable({ write: (_c, _e, done) => done() })

t.test('IVR 0 → general queue → the ready agent\'s phone rings → answered → bridged, and the CDR shows it', async (t) => {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 2, 0, 0)) // Monday 10:00 in Shanghai
  const password = 'center-e2e-secret'
  // lin's desk phone in the demo seed, in the kit's domain (hotline.local): Hotline must dial it there, not at the ESL host.
  const sim = await startSimulator({ password, clock, domain: kitSwitch.domain, directory: kitSwitch.directory, phones: { '2001': { kind: 'auto-answer', afterMs: 2000 } } })
  t.teardown(() => sim.close())
  const dir = mkdtempSync(join(tmpdir(), 'center-e2e-'))
  const loaded = loadConfig({ cwd: repo, env: {}, overrides: { esl: { password }, recording: { root: join(dir, 'rec') }, paths: { fax: join(dir, 'fax') } } })
  if (!loaded.ok) throw new Error(loaded.error.message)
  const store = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const log = await createLogger({ level: 'silent', pretty: false }, quiet)
  const center = createCenter({ config: loaded.value, store, log, clock, esl: { host: sim.host, port: sim.port, password }, cwd: repo })
  await center.start()
  t.teardown(() => center.stop())
  await seedDemo(center, store)
  await until(clock, () => center.link.esl.state.kind === 'connected', 'connected')
  await until(clock, () => center.acd.state.agents.get(agentId('lin'))?.registered === true, 'lin\'s phone registered')
  center.acd.presence(agentId('lin'), { state: 'ready' })

  const seen: CallEvent[] = []
  center.link.callEvents.subscribe((e) => void seen.push(e))
  const recordings: string[] = []
  center.recording.events.subscribe((e) => void recordings.push(e.type))
  const caller = sim.call({ did: '96200', caller: '13800000001' })
  await until(clock, () => center.ivr.occupancy === 1, 'caller in the IVR')
  caller.press('0')
  await until(clock, () => seen.some((e) => e.type === 'call-bridged'), 'bridged to an agent', { maxMs: 120_000 })
  const bridged = seen.find((e) => e.type === 'call-bridged')
  if (bridged?.type !== 'call-bridged') throw new Error('unreachable')
  const agentLeg = sim.channels().find((c) => c.uuid === bridged.agentLeg)
  t.match(agentLeg?.variables, { hotline_agent: 'lin', hotline_call_id: bridged.callId })
  t.equal(center.acd.state.agents.get(agentId('lin'))?.activity.kind, 'on-call')

  await until(clock, () => recordings.includes('recording-started'), 'recording started')
  clock.advance(30_000) // they talk for half a minute
  caller.hangup()
  await until(clock, () => seen.some((e) => e.type === 'call-ended'), 'call ended')
  await center.link.cdr.flush()
  t.match(await new KnexCdrStore(store).get(bridged.callId), { queue: 'general', agentId: 'lin', outcome: 'answered', ivrPath: Array })

  // Every call that reaches an agent is recorded: the switch wrote the file, Hotline hashed it.
  await center.recording.service.flush()
  const rows: Array<{ status: string; file_path: string; sha256: string | null; agent_id: string | null }> = await store('recordings').where({ call_id: bridged.callId })
  t.equal(rows.length, 1, 'one recording for the agent segment')
  t.match(rows[0], { status: 'complete', agent_id: 'lin', queue: 'general', sha256: /^[0-9a-f]{64}$/ }, 'complete, hashed, with the agent')
  t.ok(existsSync(rows[0]!.file_path), 'the file is on disk')
})

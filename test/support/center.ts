/**
 * The whole center on the simulator for browser tests: the same composition as `hotline demo`
 * (createCenter + compose + the demo's seed) on a free port and a throwaway database, with the
 * simulator's time running faster so prompts and rings take a fraction of a second.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { compose, createCenter, createLogger, loadConfig, type Center } from '../../src/app/index.ts'
import { DEMO_OPENS_AT, DEMO_PHONES, seedDemo } from '../../src/cli/demo-seed.ts'
import { shiftedClock } from '../../src/shared/index.ts'
import { kitSwitch, startSimulator, type Simulator } from '../../src/sim/index.ts'
import { openStore } from '../../src/store/index.ts'

export interface TestCenter {
  readonly url: string
  readonly sim: Simulator
  /** The composed center itself: its buses to wait on (acd.bus), its metrics. */
  readonly center: Center
  stop(): Promise<void>
  readonly people: { agent: { username: string; password: string; agentId: string }; supervisor: { username: string; password: string } }
  readonly sample: { did: string; caller: string; account: string; keys: readonly string[] }
}

const repo = resolve(import.meta.dirname, '..', '..')
const quiet = new Writable({ write: (_c, _e, done) => done() })

export async function startCenter(o: { port: number; sim?: { agentPhones?: { answerAfterMs: number } } }): Promise<TestCenter> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-center-'))
  const password = randomBytes(12).toString('base64url')
  const loaded = loadConfig({ cwd: repo, env: {}, overrides: { esl: { password }, db: { filename: join(dir, 'h.sqlite') }, recording: { root: join(dir, 'recordings') }, paths: { fax: join(dir, 'fax') } } })
  if (!loaded.ok) throw new Error(loaded.error.message)
  const config = { ...loaded.value, http: { ...loaded.value.http, port: o.port } }
  const log = await createLogger({ level: 'silent', pretty: false }, quiet)
  const answerAfterMs = o.sim?.agentPhones?.answerAfterMs ?? 1500
  const phones = Object.fromEntries(DEMO_PHONES.map((u) => [u, { kind: 'auto-answer' as const, afterMs: answerAfterMs }]))
  // The demo's clock: agent hours are open whatever the hour the tests run.
  const clock = shiftedClock(DEMO_OPENS_AT)
  // The kit's switch: its phones live in the kit's domain (hotline.local), which Hotline dials.
  const sim = await startSimulator({ password, clock, speed: 10, phones, domain: kitSwitch.domain, directory: kitSwitch.directory })
  const store = openStore(config.db, repo)
  const center = createCenter({ config, store, log, clock, esl: { host: sim.host, port: sim.port, password }, cwd: repo })
  const hotline = compose(config, { store, log, switchStatus: () => center.switchStatus(), version: 'test', center })
  await hotline.start()
  const logins = await seedDemo(center, store)
  const at = hotline.address()
  if (!at) throw new Error('the center did not start listening')
  return {
    url: `http://${at.host}:${at.port}`,
    sim,
    center,
    async stop() {
      await hotline.stop()
      await sim.close()
      rmSync(dir, { recursive: true, force: true })
    },
    people: { agent: { username: 'lin', password: logins.password, agentId: 'lin' }, supervisor: { username: 'supervisor', password: logins.password } },
    // 13800000001 is a gold customer (account 1234567) in the sample book; 0 asks for an agent.
    sample: { did: '96200', caller: '13800000001', account: '1234567', keys: ['0'] },
  }
}

/**
 * `ivr-memory`: heap Hotline holds per caller waiting at the main menu, with 1,000 simulated
 * callers in IVR at once (the simulator, a real ESL connection, the call tracker, CDR recorder
 * and IVR runner with the sample cable-TV flows).
 *
 * The simulator runs in the same process, so its heap is measured alone first, in the same run:
 * the same 1,000 calls placed and parked with no Hotline connected. Hotline's share is
 * (heap growth with both − heap growth of the simulator alone) / 1,000. The simulator alone does
 * less per call (no answer, no playback, no stamped variables, no ESL session writing events),
 * so what it spends on being driven is counted as Hotline's: the figure is an upper bound.
 * Each growth is measured from the same set-up with no calls (connected, flows loaded) to 1,000
 * calls, after a full collection both times (gc is reached as the retention-sweep bench does).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createLogger, createSwitchLink, loadConfig } from '../src/app/index.ts'
import type { CallControl } from '../src/calls/index.ts'
import { FlowLoader, IvrRunner, samplePorts } from '../src/ivr/index.ts'
import { FakeClock } from '../src/shared/index.ts'
import { startSimulator, type ScriptedCall } from '../src/sim/index.ts'
import { closeStore, migrateLatest, openStore } from '../src/store/index.ts'
import { benchLine } from './measure.ts'

const CALLERS = 1_000
const PASSWORD = 'ivr-memory-bench'
const repo = resolve(import.meta.dirname, '..')
const start = Date.UTC(2026, 10, 23, 2, 0, 0) // 10:00 in Shanghai on a Monday: the center is open

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const turn = (): Promise<void> => new Promise((r) => setImmediate(r))

async function heapNow(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await turn()
    gc()
  }
  return process.memoryUsage().heapUsed
}

/** Lets socket I/O settle, then moves switch time on in small steps until cond() holds. */
async function drive(clock: FakeClock, cond: () => boolean, what: string): Promise<void> {
  for (let spent = 0; spent <= 60_000; spent += 100) {
    for (let i = 0; i < 50; i++) await turn()
    if (cond()) return
    clock.advance(100)
  }
  throw new Error(`ivr-memory: not reached in 60 s of switch time: ${what}`)
}

function place(sim: { call(r: { did: string; caller: string }): ScriptedCall }): ScriptedCall[] {
  // Callers not on file, so every one takes the same path to the menu.
  return Array.from({ length: CALLERS }, (_, i) => sim.call({ did: '96200', caller: `1590000${String(i).padStart(4, '0')}` }))
}

/** Heap growth of the simulator alone for 1,000 parked calls, in bytes. */
async function simAlone(): Promise<number> {
  const clock = new FakeClock(start)
  const sim = await startSimulator({ password: PASSWORD, clock })
  const before = await heapNow()
  const calls = place(sim)
  await drive(clock, () => sim.channels().filter((c) => c.parked).length >= CALLERS, 'all parked')
  const grown = (await heapNow()) - before
  calls.length = 0
  await sim.close()
  return grown
}

/** Counts collects asked of the switch: a caller is at the menu once its collect is issued. */
function countingCollects(inner: CallControl): { control: CallControl; collects: () => number } {
  let n = 0
  const control = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'collect') return (...a: Parameters<CallControl['collect']>) => { n++; return target.collect(...a) }
      const v: unknown = Reflect.get(target, prop, receiver)
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v
    },
  })
  return { control, collects: () => n }
}

/** Heap growth of simulator + Hotline for 1,000 callers at the menu, in bytes. */
async function withHotline(): Promise<number> {
  const clock = new FakeClock(start)
  const sim = await startSimulator({ password: PASSWORD, clock })
  const dir = mkdtempSync(join(tmpdir(), 'ivr-memory-'))
  const store = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  try {
    await migrateLatest(store)
    const cfg = loadConfig({ cwd: dir, env: {} })
    if (!cfg.ok) throw new Error(cfg.error.message)
    const log = await createLogger({ level: 'silent', pretty: false }, new Writable({ write: (_c, _e, done) => done() }))
    const link = createSwitchLink({ ...cfg.value.esl, host: sim.host, port: sim.port, password: PASSWORD }, store, clock, log)
    const loader = new FlowLoader({ scriptsDir: join(repo, 'ivr-scripts'), soundsDir: join(repo, 'sounds'), clock, log })
    if (!(await loader.reload()).ok) throw new Error('ivr-memory: the sample flows do not load')
    const spy = countingCollects(link.control)
    let left = 0
    const runner = new IvrRunner({
      control: spy.control, flows: () => loader.current() ?? undefined, ports: samplePorts(), soundsDir: join(repo, 'sounds'), messagesDir: join(dir, 'messages'), clock,
      maxPorts: CALLERS, overflow: { kind: 'queue', queue: 'general' }, enqueue: () => left++, ended: () => left++, log,
    })
    link.callEvents.subscribe((e) => runner.onCallEvent(e))
    link.start()
    await drive(clock, () => link.esl.state.kind === 'connected', 'connected')
    const before = await heapNow()
    const calls = place(sim)
    await drive(clock, () => spy.collects() >= CALLERS, 'every caller at the main menu')
    if (left > 0 || runner.occupancy !== CALLERS) throw new Error(`ivr-memory: ${left} callers left the IVR early; ${runner.occupancy} in IVR`)
    const grown = (await heapNow()) - before
    calls.length = 0
    await link.stop()
    return grown
  } finally {
    await sim.close()
    await closeStore(store)
    rmSync(dir, { recursive: true, force: true })
  }
}

export default async function ivrMemoryBench(): Promise<string[]> {
  const alone = (await simAlone()) / CALLERS / 1024
  const both = (await withHotline()) / CALLERS / 1024
  const hotline = both - alone
  return [benchLine('ivr-memory', hotline, 'KB per live IVR call', 'sim alone', alone, hotline / alone)]
}

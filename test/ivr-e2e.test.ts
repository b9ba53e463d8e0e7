/**
 * The IVR over real ESL bytes: the simulator parks callers of the sample cable-TV hotline, the
 * runner drives them with sendmsg/api, and each branch ends where the flow says.
 */
import t, { type Test } from 'tap'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { createLogger, createSwitchLink, loadConfig, type SwitchLink } from '../src/app/index.ts'
import { FlowLoader, IvrRunner, samplePorts, type EnqueueRequest, type IvrEnded, type Overflow } from '../src/ivr/index.ts'
import { FakeClock } from '../src/shared/index.ts'
import { startSimulator, type Simulator } from '../src/sim/index.ts'
import { closeStore, migrateLatest, openStore } from '../src/store/index.ts'
import { settle, until } from './support/drive.ts'
import { spyControl, type ControlLog } from './support/spy-control.ts'

const PASSWORD = 'ivr-e2e-secret'
const repo = resolve(import.meta.dirname, '..')
const quiet = new Writable({ write: (_c, _e, done) => done() })

interface Center {
  clock: FakeClock
  sim: Simulator
  link: SwitchLink
  runner: IvrRunner
  spy: ControlLog
  loader: FlowLoader
  queued: EnqueueRequest[]
  ended: IvrEnded[]
  recorded: string[]
  scriptsDir: string
}

async function center(t: Test, o: { maxPorts?: number; overflow?: Overflow; sim?: Simulator; clock?: FakeClock; scriptsDir?: string } = {}): Promise<Center> {
  const clock = o.clock ?? new FakeClock(Date.UTC(2026, 10, 23, 2, 0, 0)) // 10:00 in Shanghai, a Monday: open
  const sim = o.sim ?? (await startSimulator({ password: PASSWORD, clock }))
  if (!o.sim) t.teardown(() => sim.close())
  const dir = mkdtempSync(join(tmpdir(), 'ivr-e2e-'))
  const store = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const cfg = loadConfig({ cwd: dir, env: {} })
  if (!cfg.ok) throw new Error(cfg.error.message)
  const log = await createLogger({ level: 'silent', pretty: false }, quiet)
  const link = createSwitchLink({ ...cfg.value.esl, host: sim.host, port: sim.port, password: PASSWORD }, store, clock, log)
  t.teardown(() => link.stop())
  const scriptsDir = o.scriptsDir ?? join(repo, 'ivr-scripts')
  const loader = new FlowLoader({ scriptsDir, soundsDir: join(repo, 'sounds'), clock, log })
  const loaded = await loader.reload()
  if (!loaded.ok) throw new Error('sample flows do not load')
  const soundsDir = join(repo, 'sounds')
  const spy = spyControl(link.control, soundsDir)
  const queued: EnqueueRequest[] = []
  const ended: IvrEnded[] = []
  const recorded: string[] = []
  const runner = new IvrRunner({
    control: spy.control, flows: () => loader.current() ?? undefined, ports: samplePorts(), soundsDir, messagesDir: join(dir, 'messages'), clock,
    maxPorts: o.maxPorts ?? 30, overflow: o.overflow ?? { kind: 'queue', queue: 'general' },
    enqueue: (r) => queued.push(r), ended: (e) => ended.push(e), recordCall: (id) => recorded.push(id), log,
  })
  link.callEvents.subscribe((e) => runner.onCallEvent(e))
  link.start()
  await until(clock, () => link.esl.state.kind === 'connected', 'connected')
  return { clock, sim, link, runner, spy, loader, queued, ended, recorded, scriptsDir }
}

/** Waits until the caller is being asked for keys for the n-th time. */
const asked = (c: Center, n: number) => until(c.clock, () => c.spy.count('collect') >= n, `collect #${n}`)

t.test('2, fault report: account typed, repair order created, reference read back, goodbye', async (t) => {
  const c = await center(t)
  const caller = c.sim.call({ did: '96200', caller: '13800000009' })
  await asked(c, 1)
  t.match(c.spy.ops.slice(0, 3), ['answer', 'play zh/welcome.wav', 'collect zh/main-menu.wav zh/choose-language.wav'])
  caller.press('2')
  await asked(c, 2)
  caller.press('1234567#')
  await until(c.clock, () => c.ended.length === 1, 'IVR ended', { maxMs: 300_000 })
  t.ok(c.spy.ops.some((x) => x.startsWith('play zh/repair-reference.wav zh/num-2.wav')), 'the reference is read digit by digit')
  t.match(c.ended[0], { outcome: 'hung-up', facts: { account: '1234567', 'work-order': '2611001' } })
  t.ok(c.ended[0]!.path.includes('fault/report'))
  t.equal(c.runner.occupancy, 0, 'the IVR port is free again')
})

t.test('0, an agent: the caller is handed to the general queue with the IVR path', async (t) => {
  const c = await center(t)
  const caller = c.sim.call({ did: '96200', caller: '13800000009' })
  await asked(c, 1)
  caller.press('0')
  await until(c.clock, () => c.queued.length === 1, 'enqueued')
  t.match(c.queued[0], { queue: 'general', tier: 'standard', path: ['main/welcome', 'main/identify', 'main/main-menu', 'main/agent'] })
  t.equal(c.ended[0]?.outcome, 'enqueued')
})

t.test('no key at all: the menu retries with its prompts, then falls back to an agent', async (t) => {
  const c = await center(t)
  c.sim.call({ did: '96200', caller: '13800000009' })
  await until(c.clock, () => c.queued.length === 1, 'enqueued after timeouts', { maxMs: 300_000 })
  t.equal(c.spy.count('collect zh/no-input.wav'), 2, 'no-input prompt before each retry')
  t.equal(c.queued[0]?.queue, 'general')
})

t.test('an invalid key plays the invalid-entry prompt and asks again', async (t) => {
  const c = await center(t)
  const caller = c.sim.call({ did: '96200', caller: '13800000009' })
  await asked(c, 1)
  caller.press('7')
  await asked(c, 2)
  t.match(c.spy.ops.at(-1), /^collect zh\/invalid-entry\.wav zh\/main-menu\.wav/)
})

t.test('a caller who hangs up mid-prompt ends the session and frees the port', async (t) => {
  const c = await center(t)
  const caller = c.sim.call({ did: '96200', caller: '13800000009' })
  await until(c.clock, () => c.runner.occupancy === 1 && c.spy.count('play') === 1, 'welcome playing')
  caller.hangup()
  await until(c.clock, () => c.ended.length === 1, 'ended')
  t.equal(c.ended[0]?.outcome, 'caller-hung-up')
  t.equal(c.runner.occupancy, 0)
})

t.test('IVR ports full: the next caller goes straight to the queue, never to silence', async (t) => {
  const c = await center(t, { maxPorts: 1 })
  c.sim.call({ did: '96200', caller: '13800000009' })
  await until(c.clock, () => c.runner.occupancy === 1, 'first caller in IVR')
  c.sim.call({ did: '96200', caller: '13800000010' })
  await until(c.clock, () => c.queued.length === 1, 'second caller overflowed')
  t.match(c.queued[0], { queue: 'general', facts: { overflow: 'ivr-ports-full' } })
  t.equal(c.runner.occupancy, 1, 'the first caller is still in IVR')
})

t.test('hot reload: a broken change keeps the old flows live; a good one serves new callers while a caller in progress keeps the old', async (t) => {
  const scriptsDir = mkdtempSync(join(tmpdir(), 'flows-'))
  cpSync(join(repo, 'ivr-scripts'), scriptsDir, { recursive: true })
  const c = await center(t, { scriptsDir })
  const before = c.loader.current()
  writeFileSync(join(scriptsDir, 'main.yaml'), 'flows: [this is: not valid')
  const bad = await c.loader.reload()
  t.notOk(bad.ok, 'the broken change is refused')
  t.equal(c.loader.current(), before, 'the previous flows stay live')

  const first = c.sim.call({ did: '96200', caller: '13800000009' })
  await asked(c, 1)
  const main = readFileSync(join(repo, 'ivr-scripts', 'main.yaml'), 'utf8')
  writeFileSync(join(scriptsDir, 'main.yaml'), main.replace('"0": agent', '"0": agent, "5": agent'))
  t.ok((await c.loader.reload()).ok, 'the good change is taken')
  const second = c.sim.call({ did: '96200', caller: '13800000010' })
  await asked(c, 2)
  second.press('5')
  first.press('5')
  await until(c.clock, () => c.queued.length === 1, 'the new caller reached an agent with the new key')
  await asked(c, 3)
  t.equal(c.queued.length, 1, 'the caller in progress still has the old menu: 5 is invalid there')
})

t.test('Hotline restarted during the IVR: the caller is recovered where they were, not dropped', async (t) => {
  const c = await center(t)
  const caller = c.sim.call({ did: '96200', caller: '13800000009' })
  await asked(c, 1)
  caller.press('2')
  await asked(c, 2) // asking for the account now
  await settle()
  c.link.esl.close() // Hotline dies (no exit): the switch keeps the parked caller (capture 15)
  await c.link.stop()
  const again = await center(t, { sim: c.sim, clock: c.clock })
  await until(c.clock, () => again.runner.occupancy === 1, 'caller recovered into the IVR')
  await asked(again, 1)
  t.match(again.spy.ops[0], /^collect zh\/enter-account\.wav/, 'resumed at the account prompt, not the welcome')
  caller.press('1234567#')
  await until(c.clock, () => again.ended.length === 1, 'finished after the restart', { maxMs: 300_000 })
  t.match(again.ended[0], { outcome: 'hung-up', facts: { 'menu.main-menu': '2', account: '1234567' } })
})

t.test('a caller who types ahead during the welcome is taken at the menu, as on the real switch', async (t) => {
  const c = await center(t)
  const caller = c.sim.call({ did: '96200', caller: '13800000009' })
  await until(c.clock, () => c.spy.count('play zh/welcome.wav') === 1, 'welcome playing')
  caller.press('0')
  await until(c.clock, () => c.queued.length === 1, 'enqueued from the typed-ahead key')
  t.equal(c.spy.count('collect'), 1, `asked once, answered at once: ${c.spy.ops.join(' | ')}`)
  t.equal(c.queued[0]?.queue, 'general')
})

/** Each branch of the sample hotline's main menu, keys typed at each question, and what the caller hears last. */
const branches: ReadonlyArray<{ name: string; keys: readonly string[]; hears: RegExp; outcome: string; queue?: string }> = [
  { name: '1, balance and bill: the amount is said in yuan and jiao', keys: ['1', '1234567#'], hears: /^play zh\/your-balance-is\.wav zh\/num-1\.wav zh\/hundred\.wav/, outcome: 'hung-up' },
  { name: '3, installation: a slot is chosen and the booking reference read back', keys: ['3', '1234567#', '1'], hears: /^play zh\/install-booked\.wav zh\/num-2\.wav/, outcome: 'hung-up' },
  { name: '4, pay-per-view: the order is confirmed by a key press and recorded as proof', keys: ['4', '1234567#', '1', '1'], hears: /^play zh\/ppv-ordered\.wav/, outcome: 'hung-up' },
  { name: '9, repeat: the menu is played again, then 0 reaches an agent', keys: ['9', '0'], hears: /^play zh\/please-hold\.wav/, outcome: 'enqueued', queue: 'general' },
]

for (const b of branches) {
  t.test(`menu branch ${b.name}`, async (t) => {
    const c = await center(t)
    const caller = c.sim.call({ did: '96200', caller: '13800000009' })
    for (const [i, keys] of b.keys.entries()) {
      await asked(c, i + 1)
      caller.press(keys)
    }
    await until(c.clock, () => c.ended.length === 1 && (!b.queue || c.queued.length === 1), 'IVR ended', { maxMs: 300_000 })
    t.equal(c.ended[0]?.outcome, b.outcome)
    t.ok(c.spy.ops.some((op) => b.hears.test(op)), `heard ${String(b.hears)} in: ${c.spy.ops.join(' | ')}`)
    if (b.queue) t.equal(c.queued[0]?.queue, b.queue)
    if (b.name.startsWith('4')) t.same(c.recorded, [c.ended[0]?.callId], 'the order flow asked for the call to be recorded')
  })
}

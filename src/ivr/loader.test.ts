import t from 'tap'
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FakeClock } from '../shared/index.ts'
import { startSession } from './core/session.ts'
import { step } from './core/step.ts'
import { FlowLoader, type FlowLog } from './loader.ts'

const fixtures = fileURLToPath(new URL('../../test/fixtures/ivr', import.meta.url))

function setup(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-ivr-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  cpSync(join(fixtures, 'valid'), join(dir, 'scripts'), { recursive: true })
  cpSync(join(fixtures, 'sounds'), join(dir, 'sounds'), { recursive: true })
  const logged: { level: string; obj: object; msg: string }[] = []
  const log: FlowLog = {
    info: (obj, msg) => logged.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logged.push({ level: 'warn', obj, msg }),
  }
  const clock = new FakeClock()
  const loader = new FlowLoader({ scriptsDir: join(dir, 'scripts'), soundsDir: join(dir, 'sounds'), clock, log, debounceMs: 300 })
  const flowFile = join(dir, 'scripts', 'hotline.yaml')
  const edit = (from: string, to: string): void => writeFileSync(flowFile, readFileSync(flowFile, 'utf8').replace(from, to))
  return { loader, clock, logged, edit, flowFile }
}

t.test('a valid directory loads as version 1 and is reported ok', async (t) => {
  const { loader, logged } = setup(t)
  t.equal(loader.current(), null, 'nothing live before the first load')
  const r = await loader.reload()
  t.ok(r.ok)
  t.equal(loader.current()?.version, 1)
  t.match(loader.status(), { version: 1, lastAttempt: { ok: true, errors: [] } })
  t.match(logged, [{ level: 'info', msg: 'ivr flows loaded', obj: { version: 1 } }])
})

t.test('a broken change keeps the previous flows live and reports the errors', async (t) => {
  const { loader, logged, edit } = setup(t)
  await loader.reload()
  const before = loader.current()
  edit('queue: general }', 'queue: nowhere }')
  const r = await loader.reload()
  t.notOk(r.ok)
  t.equal(loader.current(), before, 'the very same flow set object stays live')
  const status = loader.status()
  t.equal(status.version, 1)
  t.equal(status.lastAttempt?.ok, false)
  t.match(status.lastAttempt?.errors, [/hotline\.yaml:15:31: unknown queue 'nowhere'/])
  t.match(logged.at(-1), { level: 'warn', msg: 'ivr flows rejected; previous flows stay live', obj: { liveVersion: 1 } })
})

t.test('a good change is swapped in, while a call in progress keeps the version it started with', async (t) => {
  const { loader, edit, clock } = setup(t)
  await loader.reload()
  const v1 = loader.current()!
  const started = startSession(v1, '96200', '13800138000', clock.now())
  if (!started.ok) throw new Error('no entry')
  const inCall = step(started.value, { kind: 'answered' }, clock.now())
  t.same(inCall.effects, [{ kind: 'play', files: ['zh/welcome.wav'] }])

  edit('welcome: { type: play, prompts: [welcome], next: menu }', 'welcome: { type: play, prompts: [goodbye], next: menu }')
  const r = await loader.reload()
  t.ok(r.ok)
  t.equal(loader.current()?.version, 2)

  const fresh = startSession(loader.current()!, '96200', '13800138001', clock.now())
  if (!fresh.ok) throw new Error('no entry')
  t.same(step(fresh.value, { kind: 'answered' }, clock.now()).effects, [{ kind: 'play', files: ['zh/goodbye.wav'] }], 'new calls get the new flow')
  const next = step(inCall.session, { kind: 'played' }, clock.now())
  t.equal(next.session.flows, v1, 'the call in progress still walks version 1')
  t.equal(next.session.node, 'menu')
})

t.test('a burst of file changes reloads once, after the debounce', async (t) => {
  const { loader, clock } = setup(t)
  loader.changed()
  clock.advance(200)
  loader.changed()
  clock.advance(200)
  loader.changed()
  clock.advance(299)
  await loader.settled()
  t.equal(loader.current(), null, 'still waiting for quiet')
  clock.advance(1)
  await loader.settled()
  t.equal(loader.current()?.version, 1)
  t.equal(clock.pendingTimers, 0)
})

t.test('versions only count successful loads, so the API shows which set is live', async (t) => {
  const { loader, edit } = setup(t)
  await loader.reload()
  edit('fallback: agent', 'fallback: 7nowhere')
  await loader.reload()
  edit('fallback: 7nowhere', 'fallback: agent')
  await loader.reload()
  t.equal(loader.current()?.version, 2)
})

t.test('listeners hear of every flow set that goes live, the first included, and of no rejected change', async (t) => {
  const { loader, clock, edit } = setup(t)
  const heard: number[] = []
  loader.onLoaded((flows) => void heard.push(flows.version))
  await loader.reload()
  t.same(heard, [1], 'the first load')
  edit('queue: general }', 'queue: nowhere }')
  loader.changed()
  clock.advance(300)
  await loader.settled()
  t.equal(loader.status().lastAttempt?.ok, false, 'the edit was rejected')
  t.same(heard, [1], 'nothing told: the old flows stay live')
  edit('queue: nowhere }', 'queue: general }')
  loader.changed()
  clock.advance(300)
  await loader.settled()
  t.same(heard, [1, 2], 'the repaired set is told once, with its version')
})

t.test('reload resolves only after the listeners are done, so a caller can rely on what they did', async (t) => {
  const { loader } = setup(t)
  const done: string[] = []
  loader.onLoaded(async () => {
    await new Promise((r) => setImmediate(r)) // a real write (a queue saved) takes a turn of the event loop
    done.push('queues created')
  })
  const r = await loader.reload()
  t.ok(r.ok)
  t.same(done, ['queues created'])
})

t.test('an unsubscribed listener is told nothing more', async (t) => {
  const { loader } = setup(t)
  const heard: number[] = []
  const stop = loader.onLoaded((flows) => void heard.push(flows.version))
  await loader.reload()
  stop()
  await loader.reload()
  t.same(heard, [1])
  t.equal(loader.current()?.version, 2, 'the reload itself still happened')
})

t.test('a failing listener is logged and the others are still told; the flows stay live', async (t) => {
  const { loader, logged } = setup(t)
  const heard: number[] = []
  loader.onLoaded(() => Promise.reject(new Error('queue store down')))
  loader.onLoaded((flows) => void heard.push(flows.version))
  const r = await loader.reload()
  t.ok(r.ok)
  t.equal(loader.current()?.version, 1)
  t.same(heard, [1])
  t.match(logged.at(-1), { level: 'warn', msg: 'ivr flows listener failed', obj: { version: 1, err: /queue store down/ } })
})

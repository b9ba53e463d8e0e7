/**
 * The link to the switch goes down under a caller's menu (Hotline stopping, the ESL connection
 * cut): the caller stays where they were — no retries burnt, no fallback to an agent, no end —
 * and after the reconnect the same menu starts again. Seen on the real switch before the fix: a
 * SIGTERM walked every IVR caller to the agent queue in milliseconds (their CDRs `abandoned`).
 */
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { parseFlowSet } from './core/parse.ts'
import { readFlowFiles, readSoundCatalog } from './sources.ts'
import { samplePorts } from './sample-customers.ts'
import { IvrRunner, type EnqueueRequest, type IvrEnded } from './runner.ts'
import type { Call, CallControl } from '../calls/index.ts'
import { callId, channelUuid, FakeClock, ok, err } from '../shared/index.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

t.test('a menu cut by the lost link neither times out nor falls back; the reconnect plays it again', async (t) => {
  const parsed = parseFlowSet(await readFlowFiles(`${root}/ivr-scripts`), await readSoundCatalog(`${root}/sounds`), 1)
  if (!parsed.ok) throw new Error('sample flows invalid')
  const menus: string[][] = []
  let settle: (() => void) | undefined
  const control = {
    answer: () => Promise.resolve(ok(undefined)),
    breakMedia: () => Promise.resolve(ok(undefined)),
    setVars: () => Promise.resolve(ok(undefined)),
    play: () => Promise.resolve(ok('played' as const)),
    collect: (_leg: unknown, spec: { prompts: readonly string[] }) => {
      menus.push(spec.prompts.map((p) => p.replace(/^.*\/sounds\//, '')))
      // The first menu waits until the link drops, which fails it as EslClient fails a command
      // with no connection; the menu after the reconnect waits for the caller (for ever, here).
      if (menus.length > 1) return new Promise(() => undefined)
      return new Promise((resolve) => { settle = () => resolve(err({ code: 'switch-unreachable' as const, message: 'not connected (closed)' })) })
    },
  } as unknown as CallControl
  const enqueued: EnqueueRequest[] = []
  const ended: IvrEnded[] = []
  const logged: string[] = []
  const runner = new IvrRunner({
    control, flows: () => parsed.value, ports: samplePorts(), soundsDir: `${root}/sounds`, messagesDir: '/tmp', clock: new FakeClock(Date.UTC(2026, 10, 2, 2, 0)),
    maxPorts: 30, overflow: { kind: 'announcement', prompt: 'busy' }, enqueue: (r) => void enqueued.push(r), ended: (e) => void ended.push(e),
    log: { info: (_o, m) => void logged.push(m), warn: (_o, m) => void logged.push(m) },
  })
  const call: Call = { id: callId('c1'), customerLeg: channelUuid('leg-1'), entry: '96200', did: '96200', region: undefined, caller: { number: '075586001234', name: '' }, arrivedAt: 0, answeredAt: undefined, agentLeg: undefined, ended: undefined, vars: {} }
  runner.onCallEvent({ type: 'call-arrived', call, recovered: false })
  for (let i = 0; i < 200 && !settle; i++) await new Promise((r) => setImmediate(r))
  if (!settle) throw new Error(`no menu; log: ${logged.join(" / ")}`)
  settle()
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
  t.equal(menus.length, 1, 'no retry while the link is down')
  t.same(enqueued, [], 'not sent to an agent')
  t.same(ended, [], 'not ended')
  t.match(logged, ['ivr: caller entered', 'ivr: the link to the switch is down; the caller waits here until it is back'])
  runner.resumeStalled()
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
  t.equal(menus.length, 2, 'the menu again after the reconnect')
  t.same(menus[1], menus[0], 'the same menu, from its start')
  t.equal(runner.occupancy, 1, 'still in the IVR, on its port')
})

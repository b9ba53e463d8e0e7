import t from 'tap'
import type { SoundCatalog } from './check.ts'
import { formatFlowError } from './locate.ts'
import { parseFlowSet } from './parse.ts'
import { sayPrompts } from './say.ts'
import { startSession, type IvrInput, type IvrSession, type StepResult } from './session.ts'
import { step } from './step.ts'
import type { FlowSet } from './flow.ts'

const prompts = ['hello', 'menu', 'oops', 'silence', 'bye', 'enter', 'hold', 'closed', 'beep']
const catalog: SoundCatalog = {
  dir: 'sounds',
  prompts: new Map([
    ['zh', new Map([...prompts, ...sayPrompts('zh')].map((p) => [p, null]))],
    ['en', new Map([...prompts, ...sayPrompts('en')].map((p) => [p, null]))],
  ]),
}

function flows(yaml: string): FlowSet {
  const r = parseFlowSet([{ file: 'test.yaml', text: `entries: { "100": main }\nqueues: { general: {} }\n${yaml}` }], catalog, 1)
  if (!r.ok) throw new Error(r.error.map(formatFlowError).join('\n'))
  return r.value
}

const at = Date.UTC(2026, 10, 2, 2, 0) // Monday 10:00 in Beijing
function answered(set: FlowSet, caller = '13800138000', now = at): StepResult {
  const s = startSession(set, '100', caller, now)
  if (!s.ok) throw new Error(s.error.message)
  return step(s.value, { kind: 'answered' }, now)
}
const feed = (r: StepResult, ...inputs: IvrInput[]): StepResult =>
  inputs.reduce((acc, i) => step(acc.session, i, at), r)
const digits = (d: string): IvrInput => ({ kind: 'digits', digits: d })

const menuFlow = flows(`
flows:
  main:
    start: menu
    nodes:
      menu:
        type: menu
        prompts: [menu]
        options: { "1": bye, "0": agent }
        invalid: [oops]
        no-input: [silence]
        retries: 2
        timeout: 4
        into: choice
        fallback: agent
      bye: { type: hangup, prompts: [bye] }
      agent: { type: enqueue, queue: general, skills: { billing: 2 }, prompts: [hold] }
`)

t.test('a menu plays its prompts and waits for one key within its timeout', (t) => {
  const r = answered(menuFlow)
  t.same(r.effects, [{ kind: 'collect', files: ['zh/menu.wav'], min: 1, max: 1, terminator: '', timeoutMs: 4000 }])
  t.equal(r.session.waiting, 'digits')
  t.end()
})

t.test('a valid key goes to its option and records the choice as a fact', (t) => {
  const r = feed(answered(menuFlow), digits('1'))
  t.same(r.effects, [{ kind: 'play', files: ['zh/bye.wav'] }, { kind: 'hangup' }])
  t.same(r.session.outcome, { kind: 'hung-up' })
  t.equal(r.session.facts.choice, '1')
  t.equal(r.session.facts['menu.menu'], '1')
  t.same(r.session.path, ['main/menu', 'main/bye'])
  t.end()
})

t.test('an invalid key replays the menu after the invalid-entry prompt', (t) => {
  const r = feed(answered(menuFlow), digits('7'))
  t.same(r.effects, [{ kind: 'collect', files: ['zh/oops.wav', 'zh/menu.wav'], min: 1, max: 1, terminator: '', timeoutMs: 4000 }])
  t.match(r.events, [{ kind: 'input-invalid', node: 'menu', digits: '7' }])
  t.end()
})

t.test('a timeout replays the menu after the no-input prompt', (t) => {
  const r = feed(answered(menuFlow), { kind: 'timeout' })
  t.same(r.effects, [{ kind: 'collect', files: ['zh/silence.wav', 'zh/menu.wav'], min: 1, max: 1, terminator: '', timeoutMs: 4000 }])
  t.match(r.events, [{ kind: 'input-timeout', node: 'menu' }])
  t.end()
})

t.test('when retries are exhausted the caller goes to the fallback', (t) => {
  const r = feed(answered(menuFlow), digits('7'), { kind: 'timeout' }, digits('5'))
  t.match(r.events, [{ kind: 'input-invalid' }, { kind: 'retries-exhausted', node: 'menu' }, { kind: 'node-entered', node: 'agent' }])
  t.same(r.session.outcome, { kind: 'enqueued', queue: 'general' })
  t.end()
})

t.test('enqueue carries queue, skills, the customer tier, language, facts and path to the ACD', (t) => {
  const s = answered(menuFlow)
  const withTier = { ...s, session: { ...s.session, facts: { ...s.session.facts, 'customer.tier': 'diamond' } } }
  const r = feed(withTier, digits('0'))
  t.same(r.effects[0], { kind: 'play', files: ['zh/hold.wav'] })
  t.match(r.effects[1], { kind: 'enqueue', queue: 'general', skills: { billing: 2 }, tier: 'diamond', lang: 'zh', path: ['main/menu', 'main/agent'] })
  const plain = feed(answered(menuFlow), digits('0'))
  t.match(plain.effects[1], { kind: 'enqueue', tier: 'standard' }, 'no customer record: standard tier')
  t.end()
})

t.test('a hangup mid-prompt ends the session, and later inputs change nothing', (t) => {
  const r = feed(answered(menuFlow), { kind: 'hangup' })
  t.same(r.session.outcome, { kind: 'caller-hung-up' })
  t.same(r.effects, [])
  const later = step(r.session, digits('1'), at)
  t.equal(later.session, r.session)
  t.same(later.effects, [])
  t.end()
})

t.test('an input the session is not waiting for is stale and ignored', (t) => {
  const r = answered(menuFlow)
  const stale = step(r.session, { kind: 'played' }, at)
  t.equal(stale.session, r.session)
  t.same(stale.effects, [])
  t.end()
})

const collectFlow = flows(`
flows:
  main:
    start: ask
    nodes:
      ask:
        type: collect
        prompts: [enter]
        into: account
        min: 7
        max: 7
        pattern: "[1-9][0-9]{6}"
        retries: 1
        invalid: [oops]
        next: lookup
        fallback: bye
      lookup: { type: lookup-customer, by: account, account: account, found: greet, missing: bye }
      greet: { type: say, as: money, value: customer.balance, before: [hello], next: bye }
      bye: { type: hangup, prompts: [bye] }
`)

t.test('collected digits lose their terminator, must match length and pattern, and become a fact', (t) => {
  const r = answered(collectFlow)
  t.same(r.effects, [{ kind: 'collect', files: ['zh/enter.wav'], min: 7, max: 7, terminator: '#', timeoutMs: 5000 }])
  const bad = feed(r, digits('0123456#'))
  t.match(bad.events, [{ kind: 'input-invalid', digits: '0123456' }])
  const good = feed(bad, digits('1234567#'))
  t.equal(good.session.facts.account, '1234567')
  t.same(good.effects, [{ kind: 'lookup', query: { kind: 'customer-by-account', account: '1234567' } }])
  t.end()
})

t.test('a found customer becomes facts the flow can say', (t) => {
  const r = feed(answered(collectFlow), digits('1234567'), {
    kind: 'customer', customer: { account: '1234567', name: 'Li', tier: 'gold', area: 'north', balanceFen: 305 },
  })
  t.equal(r.session.facts['customer.tier'], 'gold')
  t.same(r.effects, [{ kind: 'play', files: ['zh/hello.wav', 'zh/num-3.wav', 'zh/yuan.wav', 'zh/num-0.wav', 'zh/num-5.wav', 'zh/fen.wav'] }])
  t.end()
})

t.test('an amount that cannot be said is skipped with an event, the call goes on', (t) => {
  const r = feed(answered(collectFlow), digits('1234567'), {
    kind: 'customer', customer: { account: '1234567', name: 'Li', tier: 'gold', area: 'north', balanceFen: -5 },
  })
  t.match(r.events, [{ kind: 'fact-set' }, { kind: 'fact-set' }, { kind: 'fact-set' }, { kind: 'fact-set' }, { kind: 'fact-set' }, { kind: 'fact-set' }, { kind: 'fact-set' }, { kind: 'node-entered', node: 'greet' }, { kind: 'say-failed', node: 'greet' }])
  t.same(r.effects, [{ kind: 'play', files: ['zh/bye.wav'] }, { kind: 'hangup' }])
  t.end()
})

const languageFlow = flows(`
flows:
  main:
    start: english
    nodes:
      english: { type: language, lang: en, next: hello }
      hello: { type: play, prompts: [hello], next: bye }
      bye: { type: hangup, prompts: [bye] }
`)

t.test('a language switch makes every later prompt come from the other language', (t) => {
  const r = answered(languageFlow)
  t.same(r.effects, [{ kind: 'set-language', lang: 'en' }, { kind: 'play', files: ['en/hello.wav'] }])
  t.equal(r.session.lang, 'en')
  t.same(feed(r, { kind: 'played' }).effects, [{ kind: 'play', files: ['en/bye.wav'] }, { kind: 'hangup' }])
  t.end()
})

const hoursFlow = flows(`
calendars:
  desk:
    timezone: Asia/Shanghai
    hours: { mon: "08:00-20:00", sat: ["09:00-12:00", "13:00-17:00"] }
    holidays: ["2026-10-01"]
flows:
  main:
    start: hours
    nodes:
      hours: { type: hours, calendar: desk, open: agent, closed: closed, holiday: bye }
      agent: { type: enqueue, queue: general }
      closed: { type: record, mode: message, prompts: [closed, beep], into: voicemail, next: bye }
      bye: { type: hangup }
`)

t.test('business hours are read in the calendar timezone', (t) => {
  t.same(answered(hoursFlow, 'x', Date.UTC(2026, 10, 2, 2, 0)).session.outcome, { kind: 'enqueued', queue: 'general' }, 'Monday 10:00 Beijing')
  const night = answered(hoursFlow, 'x', Date.UTC(2026, 10, 2, 13, 0)) // Monday 21:00 Beijing
  t.same(night.effects, [{ kind: 'record', mode: 'message', files: ['zh/closed.wav', 'zh/beep.wav'], maxSeconds: 60 }])
  t.equal(answered(hoursFlow, 'x', Date.UTC(2026, 10, 1, 2, 0)).session.node, 'closed', 'Sunday has no hours')
  t.same(answered(hoursFlow, 'x', Date.UTC(2026, 10, 7, 4, 30)).session.node, 'closed', 'Saturday lunch break 12:30')
  t.same(answered(hoursFlow, 'x', Date.UTC(2026, 9, 1, 2, 0)).session.outcome, { kind: 'hung-up' }, 'holiday')
  t.end()
})

t.test('a recorded message becomes a fact before the flow goes on', (t) => {
  const r = feed(answered(hoursFlow, 'x', Date.UTC(2026, 10, 2, 13, 0)), { kind: 'recorded', file: 'r/1.wav' })
  t.equal(r.session.facts.voicemail, 'r/1.wav')
  t.same(r.session.outcome, { kind: 'hung-up' })
  t.end()
})

t.test('a flow that loops without waiting for the caller is cut off, not spun forever', (t) => {
  const loop = flows(`
flows:
  main:
    start: a
    nodes:
      a: { type: set, facts: { n: 1 }, next: b }
      b: { type: branch, cases: [{ if: "n == 1", next: a }], else: c }
      c: { type: hangup }
`)
  const r = answered(loop)
  t.same(r.session.outcome, { kind: 'failed', code: 'ivr-loop' })
  t.same(r.effects, [{ kind: 'hangup' }])
  t.end()
})

t.test('a caller looping in a menu does not grow the session path without bound', (t) => {
  let r: StepResult = answered(flows(`
flows:
  main:
    start: m
    nodes:
      m: { type: menu, prompts: [menu], options: { "9": m }, fallback: bye }
      bye: { type: hangup }
`))
  for (let i = 0; i < 500; i++) r = feed(r, digits('9'))
  const s: IvrSession = r.session
  t.equal(s.path.length, 200)
  t.end()
})

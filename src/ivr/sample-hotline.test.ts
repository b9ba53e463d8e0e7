import t from 'tap'
import { fileURLToPath } from 'node:url'
import type { FlowSet } from './core/flow.ts'
import { parseFlowSet } from './core/parse.ts'
import { startSession, type IvrEffect } from './core/session.ts'
import { dryRun, type DryRun } from './ivr-try.ts'
import { samplePorts } from './sample-customers.ts'
import { readFlowFiles, readSoundCatalog } from './sources.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const knownGold = '13800138000' // Li Wei, account 1234567, area north, 128.50 yuan
const knownDiamond = '13900139000' // Wang Fang, area east, where an outage is active
const stranger = '075586001234'
const morning = Date.UTC(2026, 10, 2, 2, 0) // Monday 10:00 Beijing
const night = Date.UTC(2026, 10, 2, 14, 0) // Monday 22:00 Beijing

let hotline: FlowSet
t.before(async () => {
  const r = parseFlowSet(await readFlowFiles(`${root}/ivr-scripts`), await readSoundCatalog(`${root}/sounds`), 1)
  if (!r.ok) throw new Error('sample hotline invalid')
  hotline = r.value
})

async function call(caller: string, digits: string, now = morning): Promise<DryRun & { created: unknown[] }> {
  const s = startSession(hotline, '96200', caller, now)
  if (!s.ok) throw new Error(s.error.message)
  const ports = samplePorts()
  const r = await dryRun(s.value, digits.split(' ').filter(Boolean), ports, now)
  return { ...r, created: ports.created }
}
const plays = (effects: readonly IvrEffect[]): string[][] => effects.flatMap((e) => (e.kind === 'play' || e.kind === 'collect' ? [[...e.files]] : []))
const kinds = (effects: readonly IvrEffect[]): string[] => effects.map((e) => e.kind)
const mainMenu = (lang: string): string[] => [`${lang}/main-menu.wav`, `${lang}/choose-language.wav`]

t.test('96200 welcomes the caller, looks the caller number up and offers the main menu in Mandarin', async (t) => {
  const r = await call(knownGold, '')
  t.same(r.effects.slice(0, 3), [
    { kind: 'play', files: ['zh/welcome.wav'] },
    { kind: 'lookup', query: { kind: 'customer-by-caller', caller: knownGold } },
    { kind: 'collect', files: mainMenu('zh'), min: 1, max: 1, terminator: '', timeoutMs: 6000 },
  ])
})

t.test('1: a known caller hears balance, bill and due date spoken from prompt files', async (t) => {
  const r = await call(knownGold, '1')
  t.same(plays(r.effects).slice(2, 5), [
    ['zh/your-balance-is.wav', 'zh/num-1.wav', 'zh/hundred.wav', 'zh/num-2.wav', 'zh/num-10.wav', 'zh/num-8.wav', 'zh/yuan.wav', 'zh/num-5.wav', 'zh/jiao.wav'],
    ['zh/your-bill-is.wav', 'zh/num-5.wav', 'zh/num-10.wav', 'zh/num-8.wav', 'zh/yuan.wav'],
    ['zh/due-on.wav', 'zh/num-2.wav', 'zh/num-0.wav', 'zh/num-2.wav', 'zh/num-6.wav', 'zh/year.wav', 'zh/num-10.wav', 'zh/num-1.wav', 'zh/month.wav', 'zh/num-10.wav', 'zh/num-5.wav', 'zh/day.wav'],
  ])
})

t.test('8 switches to English: the balance is then said in English', async (t) => {
  const r = await call(knownGold, '8 1')
  t.same(plays(r.effects)[2], mainMenu('en'))
  t.same(plays(r.effects)[3], ['en/your-balance-is.wav', 'en/num-1.wav', 'en/hundred.wav', 'en/num-20.wav', 'en/num-8.wav', 'en/yuan.wav', 'en/and.wav', 'en/num-50.wav', 'en/cents.wav'])
  t.equal(r.session.lang, 'en')
})

t.test('2: a stranger types an account, gets a repair work order, its reference by voice and SMS', async (t) => {
  const r = await call(stranger, '2 1234567#')
  t.same(r.created, [{ type: 'repair', account: '1234567', caller: stranger, details: { area: 'north', outage: false } }])
  t.same(r.effects.find((e) => e.kind === 'sms'), { kind: 'sms', to: stranger, text: '您的报修单号：2611001' })
  t.ok(plays(r.effects).some((f) => f[0] === 'zh/repair-reference.wav' && f.slice(1).join() === ['2', '6', '1', '1', '0', '0', '1'].map((d) => `zh/num-${d}.wav`).join()))
  t.equal(r.session.facts['work-order'], '2611001')
  t.same(r.session.outcome, { kind: 'hung-up' })
})

t.test('2: a caller in an outage area hears the notice first, then can still report and reach a repair agent', async (t) => {
  const r = await call(knownDiamond, '2 1 0')
  t.ok(plays(r.effects).some((f) => f.join() === 'zh/outage-notice.wav'))
  t.match(r.created, [{ type: 'repair', details: { area: 'east', outage: true } }])
  t.match(r.effects.at(-1), { kind: 'enqueue', queue: 'repair', tier: 'diamond', skills: { repair: 1 } })
})

t.test('3: the caller picks an installation slot and is told the booking reference', async (t) => {
  const r = await call(knownGold, '3 2')
  t.match(r.created, [{ type: 'installation', account: '1234567', details: { slot: '2' } }])
  t.ok(plays(r.effects).some((f) => f[0] === 'zh/install-booked.wav'))
  t.same(r.session.outcome, { kind: 'hung-up' })
})

t.test('4: a pay-per-view order is confirmed by key press while the call is recorded as proof', async (t) => {
  const r = await call(knownGold, '4 1 1')
  const k = kinds(r.effects)
  t.ok(k.indexOf('record') < k.lastIndexOf('collect'), 'recording starts before the confirmation prompt')
  t.match(r.effects.find((e) => e.kind === 'record'), { mode: 'call' })
  t.match(r.created, [{ type: 'ppv-order', details: { event: '1', 'price-fen': 1000 } }])
  t.equal(r.session.facts.confirmation, '1')
  t.same(r.effects.at(-2), { kind: 'play', files: ['zh/ppv-ordered.wav', 'zh/goodbye.wav'] })
})

t.test('4: declining the confirmation creates no order and returns to the main menu', async (t) => {
  const r = await call(knownGold, '4 1 2')
  t.same(r.created, [])
  t.ok(r.session.path.includes('ppv/cancelled'))
  t.ok(r.session.path.lastIndexOf('main/main-menu') > r.session.path.indexOf('ppv/cancelled'))
})

t.test('9 repeats the main menu', async (t) => {
  const r = await call(knownGold, '9')
  t.same(plays(r.effects).slice(1, 3), [mainMenu('zh'), mainMenu('zh')])
})

t.test('0 during agent hours queues the caller in general with the gold tier from the customer record', async (t) => {
  const r = await call(knownGold, '0')
  t.same(r.effects.at(-2), { kind: 'play', files: ['zh/please-hold.wav'] })
  t.match(r.effects.at(-1), { kind: 'enqueue', queue: 'general', tier: 'gold', skills: { general: 1 }, lang: 'zh', facts: { 'customer.account': '1234567' } })
})

t.test('0 outside agent hours lets the caller leave a message instead', async (t) => {
  const r = await call(knownGold, '0', night)
  t.same(r.effects.find((e) => e.kind === 'record'), { kind: 'record', mode: 'message', files: ['zh/closed.wav', 'zh/leave-message.wav'], maxSeconds: 90 })
  t.same(r.session.outcome, { kind: 'hung-up' })
})

t.test('three invalid keys in the main menu end with an agent, never a dead end', async (t) => {
  const r = await call(knownGold, '7 7 7')
  t.same(plays(r.effects)[2], ['zh/invalid-entry.wav', ...mainMenu('zh')])
  t.same(r.session.outcome, { kind: 'enqueued', queue: 'general' })
})

t.test('an account that does not exist is told so and handed to an agent', async (t) => {
  const r = await call(stranger, '1 7777777#')
  t.ok(plays(r.effects).some((f) => f.join() === 'zh/account-unknown.wav'))
  t.same(r.session.outcome, { kind: 'enqueued', queue: 'billing' })
})

t.test('a fault caller who wants an agent may be called back instead of holding: the callback keeps the repair queue place', async (t) => {
  const hold = await call(stranger, '2 1234567# 0 1')
  t.match(hold.effects.at(-1), { kind: 'enqueue', queue: 'repair', skills: { repair: 1 } })
  t.notOk((hold.effects.at(-1) as { callback?: true }).callback, '1 waits on hold')
  const back = await call(stranger, '2 1234567# 0 2')
  t.ok(plays(back.effects).some((f) => f.join() === 'zh/wait-or-callback.wav'), 'the choice is offered')
  t.match(back.effects.at(-1), { kind: 'enqueue', queue: 'repair', tier: 'gold', callback: true })
  t.same(back.session.outcome, { kind: 'enqueued', queue: 'repair' })
})

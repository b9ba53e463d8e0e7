import t from 'tap'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ivrTry, parseAt } from './ivr-try.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dirs = { scriptsDir: `${root}/ivr-scripts`, soundsDir: `${root}/sounds` }
const at = Date.UTC(2026, 10, 2, 2, 0) // Monday 10:00 Beijing

t.test('ivr try prints each prompt, each lookup and where the call ends', async (t) => {
  const r = await ivrTry({ ...dirs, at, caller: '075586001234', digits: '2 1234567#' })
  t.equal(r.exitCode, 0)
  t.same(r.output.split('\n').slice(0, 12), [
    'call to 96200 from 075586001234 (language zh)',
    '  play zh/welcome.wav',
    '  lookup customer-by-caller 075586001234: not found',
    '  play zh/main-menu.wav zh/choose-language.wav and collect 1-1 digits: "2"',
    '  play zh/enter-account.wav and collect 7-7 digits: "1234567#"',
    '  lookup customer-by-account 1234567: 1234567 Li Wei (gold, area north)',
    '  lookup outage north: no outage',
    '  create repair work order for 1234567 {"area":"north","outage":false}: 2611001',
    '  sms to 075586001234: 您的报修单号：2611001',
    '  play zh/repair-reference.wav zh/num-2.wav zh/num-6.wav zh/num-1.wav zh/num-1.wav zh/num-0.wav zh/num-0.wav zh/num-1.wav',
    '  play zh/offer-agent.wav and collect 1-1 digits: (no input, 5 s timeout)',
    '  play zh/goodbye.wav',
  ])
  t.match(r.output, /\nended: the IVR hung up\npath: main\/welcome → main\/identify → main\/main-menu → main\/services → account\/known → account\/ask/)
})

t.test('ivr try shows the queue and tier a call reaches', async (t) => {
  const r = await ivrTry({ ...dirs, at, caller: '13900139000', digits: '0' })
  t.match(r.output, /enqueue general tier diamond skills \{"general":1\} lang zh\nended: queued for an agent in 'general'/)
})

t.test('ivr try refuses invalid flows and shows their errors', async (t) => {
  const F = fileURLToPath(new URL('../../test/fixtures/ivr', import.meta.url))
  const r = await ivrTry({ scriptsDir: `${F}/unknown-queue`, soundsDir: `${F}/sounds`, at })
  t.equal(r.exitCode, 1)
  t.equal(r.output, `${relative(process.cwd(), F)}/unknown-queue/hotline.yaml:15:31: unknown queue 'billing' (declare it under queues:)\nflows are invalid; run ivr check`)
})

t.test('--at: a time of day today in UTC+8, or a date-time with its offset; anything else is a clear refusal', (t) => {
  const now = Date.UTC(2026, 11, 7, 20, 0) // 04:00 on 8 December in Nanjing
  t.same(parseAt('23:30', now), { ok: true, value: Date.UTC(2026, 11, 8, 15, 30) }, "23:30 on Nanjing's today")
  t.same(parseAt('08:05', now), { ok: true, value: Date.UTC(2026, 11, 8, 0, 5) })
  t.same(parseAt('2026-12-25T09:30+08:00', now), { ok: true, value: Date.UTC(2026, 11, 25, 1, 30) })
  for (const bad of ['tomorrow', '25:00', '2026-12-25', '2026-12-25T09:30']) t.match(parseAt(bad, now), { ok: false, error: /expected HH:MM/ }, bad)
  t.end()
})

t.test('--at after hours takes the closed branch; an unknown entry lists the entries there are', async (t) => {
  const evening = await ivrTry({ ...dirs, at: Date.UTC(2026, 10, 2, 15, 30), caller: '075586001234', digits: '0' }) // Monday 23:30
  t.match(evening.output, /agent\/hours → agent\/closed/)
  const unknown = await ivrTry({ ...dirs, at, entry: '12345' })
  t.equal(unknown.exitCode, 1)
  t.match(unknown.output, /no flow for entry 12345; the entries are: 96200, 96296/)
})

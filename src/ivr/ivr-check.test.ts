import t from 'tap'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ivrCheck } from './ivr-check.ts'

// Errors name files as the designer would type them: relative to the working directory.
const F = relative(process.cwd(), fileURLToPath(new URL('../../test/fixtures/ivr', import.meta.url)))
const sounds = `${F}/sounds`
const check = (fixture: string, soundsDir = sounds) => ivrCheck(`${F}/${fixture}`, soundsDir)

t.test('valid flows pass with a summary and exit code 0', async (t) => {
  const r = await check('valid')
  t.equal(r.exitCode, 0)
  t.equal(r.output, `${F}/valid: ok, 1 flow, 4 nodes, entries 96200 → main, queues general; ${sounds}: 2 zh + 2 en prompts, all 8000 Hz mono 16-bit`)
})

const broken: [string, string][] = [
  ['bad-yaml', 'hotline.yaml:8:7: Flow map in block collection must be sufficiently indented and end with a }'],
  ['unknown-type', 'hotline.yaml:15:16: unknown node type "enqueu" (expected one of play, say, menu, collect, lookup-customer, set, branch, hours, outage, work-order, enqueue, callback, transfer, record, sms, hangup, goto, language)'],
  ['missing-prompt', `hotline.yaml:16:38: prompt 'good-bye' is missing: no ${sounds}/zh/good-bye.wav, ${sounds}/en/good-bye.wav`],
  ['unknown-queue', "hotline.yaml:15:31: unknown queue 'billing' (declare it under queues:)"],
  ['duplicate-key', "hotline.yaml:13:42: duplicate DTMF key '1' in menu 'menu' (first at line 13)"],
  ['unreachable', "hotline.yaml:16:7: node 'bye' is unreachable in flow 'main'"],
]
for (const [fixture, message] of broken) {
  t.test(`a flow with ${fixture} is rejected with file:line:col and the reason`, async (t) => {
    const r = await check(fixture)
    t.equal(r.exitCode, 1)
    t.equal(r.output, `${F}/${fixture}/${message}\n1 error`)
  })
}

t.test('a 44.1 kHz prompt is rejected with its file and actual format', async (t) => {
  const r = await check('valid', `${F}/sounds-44k`)
  t.equal(r.exitCode, 1)
  t.equal(r.output, `${F}/sounds-44k/en/welcome.wav: 44100 Hz, expected 8000 Hz mono 16-bit\n1 error`)
})

t.test('all errors of all files are reported at once, in file and line order', async (t) => {
  const r = await check('many-errors')
  t.equal(r.exitCode, 1)
  t.same(r.output.split('\n'), [
    `${F}/many-errors/a-entries.yaml:3:3: entry 96201 goes to unknown flow 'nowhere'`,
    `${F}/many-errors/b-main.yaml:9:44: key 'x': a menu key is one of 0-9 * #`,
    `${F}/many-errors/b-main.yaml:10:9: unknown field 'timout'`,
    `${F}/many-errors/b-main.yaml:15:15: condition ends too early (at character 10)`,
    `${F}/many-errors/b-main.yaml:17:28: unknown flow 'elsewhere'`,
    `${F}/many-errors/b-main.yaml:18:7: missing 'type' (expected one of play, say, menu, collect, lookup-customer, set, branch, hours, outage, work-order, enqueue, callback, transfer, record, sms, hangup, goto, language)`,
    '6 errors',
  ])
})

t.test('an empty or missing flow directory is an error, not a silent pass', async (t) => {
  const r = await check('does-not-exist')
  t.equal(r.exitCode, 1)
  t.equal(r.output, `${F}/does-not-exist: no flow files (*.yaml)`)
})

t.test('the shipped cable-TV hotline and its generated prompts pass the check', async (t) => {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const r = await ivrCheck(`${root}/ivr-scripts`, `${root}/sounds`)
  t.equal(r.exitCode, 0, r.output)
  t.match(r.output, /ok, 7 flows, \d+ nodes, entries 96200 → main/)
})

import t from 'tap'
import { Writable } from 'node:stream'
import { createLogger } from './log.ts'
import { loadConfig } from './config.ts'

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'))
      done()
    },
  })
  return { stream, text: () => chunks.join('') }
}

t.test('a logged config never shows the ESL password or the database URL', async (t) => {
  const r = loadConfig({
    cwd: t.testdir({}),
    env: { HOTLINE_ESL_PASSWORD: 'hunter2-esl', HOTLINE_DB_CLIENT: 'pg', HOTLINE_DB_URL: 'postgres://u:pgpass77@db/x' },
  })
  if (!r.ok) throw new Error(r.error.message)
  const out = capture()
  const log = await createLogger({ level: 'info', pretty: false }, out.stream)
  log.info(r.value, 'config as the merging object')
  log.info({ config: r.value }, 'config under a key')
  log.info({ req: { headers: { authorization: 'Bearer tok-abc' } }, token: 'tok-def' }, 'request')
  const text = out.text()
  t.notMatch(text, 'hunter2-esl')
  t.notMatch(text, 'pgpass77')
  t.notMatch(text, 'tok-abc')
  t.notMatch(text, 'tok-def')
  t.match(text, '[redacted]')
  t.match(text, '"host":"127.0.0.1"', 'the rest of the config is still logged')
})

t.test('the level from config filters lower levels out', async (t) => {
  const out = capture()
  const log = await createLogger({ level: 'warn', pretty: false }, out.stream)
  log.info('quiet')
  log.warn('loud')
  t.notMatch(out.text(), 'quiet')
  t.match(out.text(), 'loud')
})

t.test('pretty logging prints readable lines, still without secrets', async (t) => {
  const out = capture()
  const log = await createLogger({ level: 'info', pretty: true }, out.stream)
  log.info({ esl: { password: 'pretty-secret' } }, 'hello pretty')
  log.flush()
  await new Promise<void>((resolve) => setImmediate(resolve))
  t.match(out.text(), 'hello pretty')
  t.notMatch(out.text(), 'pretty-secret')
  t.notMatch(out.text(), /^\{/, 'not a JSON line')
})

import t, { type Test } from 'tap'
import { createServer } from 'node:net'
import { Writable } from 'node:stream'
import { runCli, type CliIo, type Command } from './index.ts'

interface Captured {
  io: CliIo
  out: () => string
  err: () => string
  logs: () => string
  /** Resolves with the first log line whose msg is `msg`. */
  logged: (msg: string) => Promise<Record<string, unknown>>
  stop: (signal: string) => void
}

function captured(cwd: string): Captured {
  let out = ''
  let err = ''
  let logs = ''
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = []
  let stop: (signal: string) => void = () => undefined
  const stopped = new Promise<string>((resolve) => { stop = resolve })
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString('utf8')
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line) as Record<string, unknown>
        for (const w of waiters.filter((w) => w.msg === parsed['msg'])) w.resolve(parsed)
      }
      done()
    },
  })
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      cwd,
      stopRequested: () => stopped,
      logDestination,
    },
    out: () => out,
    err: () => err,
    logs: () => logs,
    logged: (msg) => new Promise((resolve) => waiters.push({ msg, resolve })),
    stop: (signal) => stop(signal),
  }
}

async function freePort(t: Test): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as { port: number }
  await new Promise<void>((resolve) => s.close(() => resolve()))
  t.comment(`using port ${port}`)
  return port
}

t.test('help lists every command with its summary on stdout and exits 0', async (t) => {
  for (const arg of ['help', '--help', '-h']) {
    const c = captured(t.testdirName)
    t.equal(await runCli([arg], {}, c.io), 0, arg)
    for (const name of ['start', 'demo', 'doctor', 'ivr check [dir]', 'ivr try [entry]', 'help']) t.match(c.out(), `  ${name}`, `${arg} lists ${name}`)
    t.equal(c.err(), '')
  }
})

t.test('an unknown command prints usage on stderr and exits 2', async (t) => {
  const c = captured(t.testdirName)
  t.equal(await runCli(['strat'], {}, c.io), 2)
  t.match(c.err(), 'hotline: unknown command "strat"')
  t.match(c.err(), 'Usage: hotline <command>')
  t.equal(c.out(), '')
  const bare = captured(t.testdirName)
  t.equal(await runCli([], {}, bare.io), 2, 'no command at all is a usage error too')
  t.match(bare.err(), 'Usage: hotline <command>')
})

t.test('an unknown option is a usage error naming the option, exit 2', async (t) => {
  const c = captured(t.testdirName)
  t.equal(await runCli(['start', '--prot', '80'], {}, c.io), 2)
  t.match(c.err(), /hotline start: .*--prot/)
  t.match(c.err(), 'Usage: hotline start')
})

t.test('two-word commands are found and receive their options and positionals', async (t) => {
  const seen: unknown[] = []
  const table: Command[] = [{
    name: 'ivr try', summary: 's', options: { caller: { type: 'string' }, digits: { type: 'string' } },
    run: (args) => { seen.push(args); return Promise.resolve(0) },
  }]
  const c = captured(t.testdirName)
  t.equal(await runCli(['ivr', 'try', 'sales', '--caller', '+33102030405', '--digits', '12#'], {}, c.io, table), 0)
  t.same(seen, [{ positionals: ['sales'], values: { caller: '+33102030405', digits: '12#' } }])
})

t.test('ivr check passes the sample hotline and fails a broken flow with file:line', async (t) => {
  const repo = new URL('../..', import.meta.url).pathname
  const good = captured(repo)
  t.equal(await runCli(['ivr', 'check'], {}, good.io), 0)
  const bad = captured(repo)
  t.equal(await runCli(['ivr', 'check', 'test/fixtures/ivr/duplicate-key'], {}, bad.io), 1)
  t.match(bad.err(), /\.yaml:\d+:\d+: /)
})

t.test('ivr try walks the sample hotline from the terminal: 2 then an account is a fault report', async (t) => {
  const repo = new URL('../..', import.meta.url).pathname
  const c = captured(repo)
  t.equal(await runCli(['ivr', 'try', '--caller', '13800000009', '--digits', '2 1234567#'], {}, c.io), 0)
  t.match(c.out(), 'create repair work order for 1234567')
})

t.test('start with an invalid config exits 1 naming the key, without a stack trace', async (t) => {
  const c = captured(t.testdir({ 'hotline.yaml': 'http:\n  port: abc\n' }))
  t.equal(await runCli(['start'], { HOTLINE_ESL_PASSWORD: 'x9' }, c.io), 1)
  t.match(c.err(), 'http.port: expected a number from 1 to 65535, got "abc"')
  t.notMatch(c.err(), /\bat .*\.ts:\d+/, 'no stack trace')
})

t.test('start with db.filename where no database can be made exits 1 naming db.filename and why, without a stack trace', async (t) => {
  const dir = t.testdir({ 'a-file': 'not a folder' })
  const c = captured(dir)
  t.equal(await runCli(['start'], { HOTLINE_ESL_PASSWORD: 'x9-long-enough', HOTLINE_DB_FILENAME: 'a-file/hotline.sqlite' }, c.io), 1)
  t.match(c.err(), /hotline start: db\.filename .*a-file\/hotline\.sqlite: cannot create its folder .*\(a file is in the way of the folder\)/)
  t.notMatch(c.err(), /\bat .*\.ts:\d+/, 'no stack trace')
})

t.test('start without an ESL password refuses to run and says where to set it', async (t) => {
  const c = captured(t.testdir({}))
  t.equal(await runCli(['start'], {}, c.io), 1)
  t.match(c.err(), 'esl.password: required to connect to FreeSWITCH')
})

t.test('start serves health until asked to stop, then exits 0 having closed everything', async (t) => {
  const dir = t.testdir({ 'conf.yaml': 'db:\n  filename: ./data/h.sqlite\n' })
  const c = captured(dir)
  const port = await freePort(t)
  const env = { HOTLINE_ESL_PASSWORD: 'x9', HOTLINE_HTTP_PORT: String(port), HOTLINE_ESL_PORT: String(await freePort(t)) }
  const exit = runCli(['start', '--config', 'conf.yaml'], env, c.io)
  const listening = await c.logged('listening')
  t.equal(listening['url'], `http://127.0.0.1:${port}`)
  const health = (await (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).json()) as { status: string; switch: { state: string }; store: unknown }
  t.equal(health.status, 'degraded', 'no FreeSWITCH answers on the configured ESL port')
  t.match(health.store, { state: 'ok', heldWrites: 0, disk: { path: String, freeBytes: Number, low: false } }, "the store takes writes and its folder's free space is watched")
  t.match(health.switch.state, /^(connecting|reconnecting)$/, 'and Hotline keeps trying')
  c.stop('SIGTERM')
  t.equal(await exit, 0)
  t.match(c.logs(), '"msg":"stopping"')
  t.match(c.logs(), '"msg":"stopped"')
  t.notMatch(c.logs(), 'x9', 'the password is never logged')
  await t.rejects(fetch(`http://127.0.0.1:${port}/api/v1/health`), 'the port is released')
})

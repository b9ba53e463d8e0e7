/**
 * `npm run demo` as a newcomer sees it: `hotline demo` as its own process, on a free port and a
 * throwaway database. Its start-up ends with the URLs, the password and the simulator's ESL
 * address; then plain narrated lines, never raw JSON log lines; Ctrl-C stops it cleanly.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')

t.test('the demo starts, tells where to go and what happens, and stops on Ctrl-C', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-demo-'))
  // http.port must be a real port (1-65535): a free one, asked of the kernel.
  const port = await new Promise<number>((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => ok(p)) }) })
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const child = spawn(process.execPath, [join(repo, 'bin', 'hotline.js'), 'demo'], {
    cwd: repo, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOTLINE_HTTP_PORT: String(port), HOTLINE_DB_FILENAME: join(dir, 'demo.sqlite'), HOTLINE_LOG_LEVEL: '', HOTLINE_RECORDING_ROOT: join(dir, 'rec') },
  })
  let out = ''
  let err = ''
  const waiters: Array<() => void> = []
  child.stdout.on('data', (b: Buffer) => { out += b.toString('utf8'); for (const w of waiters.splice(0)) w() })
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const seen = (re: RegExp, what: string, ms = 30_000): Promise<void> => new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no ${what} within ${ms} ms; stdout so far:\n${out}\nstderr:\n${err}`)), ms)
    void exited.then((code) => (clearTimeout(timer), fail(new Error(`the demo exited (${code}) before ${what}; stderr:\n${err}`))))
    const check = (): void => {
      if (re.test(out)) return (clearTimeout(timer), ok())
      waiters.push(check)
    }
    check()
  })
  t.teardown(() => void child.kill('SIGKILL'))
  await seen(/switch \(the simulator's ESL\): 127\.0\.0\.1:\d+, password \S+/, 'the start-up block')
  t.match(out, /console: +http:\/\/127\.0\.0\.1:\d+\/console\//, 'the console URL')
  t.match(out, /password for every demo user this run: \S{8,}/, 'the password')
  t.match(out, /agents are scripted/, 'says the agents are scripted')
  await seen(/\d\d:\d\d:\d\d {2}call [0-9a-f]{8} {2}13\d{9}( \([^)]+\))? dials 96200/, 'a narrated sample caller')
  child.kill('SIGINT')
  t.equal(await exited, 0, 'Ctrl-C stops it cleanly')
  t.match(out, /demo: stopping \(SIGINT\) after \d+ sample callers/)
  t.notMatch(out, /^\{"level"/m, 'no raw JSON log lines')
  t.notMatch(err, /"level":[45]0|ERROR|WARN/, `no warnings or errors: ${err}`)
})

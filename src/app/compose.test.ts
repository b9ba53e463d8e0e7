import t, { type Test } from 'tap'
import { createServer } from 'node:net'
import { Writable } from 'node:stream'
import { openStore, readMeta } from '../store/index.ts'
import { compose, createLogger, loadConfig, type Config } from './index.ts'
import type { SwitchStatus } from '../api/index.ts'

const quiet = new Writable({ write: (_c, _e, done) => done() })
const disconnected = (): SwitchStatus => ({ state: 'disconnected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 })

async function assemble(t: Test, http: { port: number }) {
  const dir = t.testdir({})
  const r = loadConfig({ cwd: dir, env: {} })
  if (!r.ok) throw new Error(r.error.message)
  // Port 0 (any free port) is not a valid configured port, so tests set it after validation.
  const config: Config = { ...r.value, http: { ...r.value.http, port: http.port } }
  const store = openStore(config.db, dir)
  const log = await createLogger({ level: 'silent', pretty: false }, quiet)
  const hotline = compose(config, { store, log, switchStatus: disconnected, version: '1.2.3' })
  t.teardown(() => hotline.stop())
  return { hotline, store }
}

t.test('started, the API answers health from a migrated store; stopped, both are closed', async (t) => {
  const { hotline, store } = await assemble(t, { port: 0 })
  await hotline.start()
  const at = hotline.address()
  if (!at) throw new Error('no address after start')
  const res = await fetch(`http://${at.host}:${at.port}/api/v1/health`)
  t.match(await res.json(), { status: 'degraded', switch: { state: 'disconnected' }, version: '1.2.3' })
  t.equal(await readMeta(store, 'anything'), undefined, 'migrations ran: hotline_meta exists')
  for (const path of ['/', '/console/', '/console/missing.js', '/api/v1/health']) {
    const r = await fetch(`http://${at.host}:${at.port}${path}`, { redirect: 'manual' })
    t.equal(r.headers.get('x-content-type-options'), 'nosniff', `${path}: nosniff`)
    await r.arrayBuffer()
  }

  await hotline.stop()
  await hotline.stop()
  await t.rejects(fetch(`http://${at.host}:${at.port}/api/v1/health`), 'no longer listening')
  await t.rejects(readMeta(store, 'anything'), 'store closed')
})

t.test('a port already in use fails start with a message naming http.port', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
  const taken = (blocker.address() as { port: number }).port
  const { hotline } = await assemble(t, { port: taken })
  await t.rejects(hotline.start(), { message: `cannot listen on 127.0.0.1:${taken} (http.host/http.port): the port is already in use` })
})

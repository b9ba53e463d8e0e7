import t from 'tap'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KnexQueueRepository, queueConfig } from '../acd/index.ts'
import { queueId } from '../shared/index.ts'
import { kitSwitch, startSimulator } from '../sim/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { overflowQueueCheck, type OverflowQueueSite } from './doctor-queues.ts'
import { runCli } from './run.ts'
import { captured, DB, site } from './site.test-support.ts'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const flows = { scriptsDir: `${REPO}ivr-scripts`, soundsDir: `${REPO}sounds`, db: DB }
const check = (cwd: string, queue: string, o: Partial<OverflowQueueSite> = {}) => overflowQueueCheck({ ...flows, queue, cwd, ...o })()

t.test('on a fresh site (no database yet) the default overflow queue passes: the flows declare general', async (t) => {
  t.match(await check(t.testdir({}), 'general'), { status: 'pass', detail: /^general: declared in the IVR flows/ })
})

t.test('an overflow queue only an admin created passes once it is in the database', async (t) => {
  const dir = t.testdir({})
  const store = openStore(DB, dir)
  await migrateLatest(store)
  await new KnexQueueRepository(store).save(queueConfig(queueId('night-desk')))
  await closeStore(store)
  t.same(await check(dir, 'night-desk'), { status: 'pass', detail: 'night-desk: an ACD queue' })
})

t.test('an overflow queue in neither fails, naming it; broken flows count for nothing', async (t) => {
  const dir = t.testdir({ site: {}, broken: { 'hotline.yaml': 'entries: [' } })
  t.match(await check(join(dir, 'site'), 'night-desk'), { status: 'fail', detail: /^ivr\.overflowQueue night-desk is no ACD queue/, hint: /one of billing, general, repair, sales\.$/ })
  t.match(await check(join(dir, 'site'), 'general', { scriptsDir: join(dir, 'broken') }), { status: 'fail', detail: /the flows do not load/ })
})

t.test('hotline doctor fails the overflow-queue check on a missing overflow queue, naming it, and exits 1', async (t) => {
  const dir = site(t, `ivr:\n  scriptsDir: ${REPO}ivr-scripts\n  soundsDir: ${REPO}sounds\n  overflowQueue: night-desk\nrecording:\n  root: ./var/rec\npaths:\n  fax: ./var/fax\n`)
  const sim = await startSimulator({ password: 'doctor-secret', ...kitSwitch })
  t.teardown(() => sim.close())
  const run = async (...extra: string[]) => {
    const c = captured(dir)
    const code = await runCli(['doctor', ...extra, '--esl-port', String(sim.port), '--esl-password', 'doctor-secret'], {}, c.io)
    return { code, out: c.out() }
  }
  const text = await run()
  t.match(text.out, /^FAIL +IVR overflow queue exists: ivr\.overflowQueue night-desk is no ACD queue .*-> Declare night-desk under queues:/m)
  t.equal(text.code, 1)
  const checks = (JSON.parse((await run('--json')).out) as { checks: Array<{ id: string; status: string }> }).checks
  t.match(checks.find((c) => c.id === 'overflow-queue'), { status: 'fail' })
})

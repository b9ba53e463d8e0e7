import t, { type Test } from 'tap'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { call, serveRouter } from '../crm/api-harness.test-support.ts'
import { KnexCdrStore, cdrRoutes, csvCell } from './index.ts'

const T0 = Date.UTC(2026, 11, 7, 1, 0) // 09:00 in Nanjing

/** Three calls: lin answered one in repair, one caller left the billing queue, one was served by the IVR. */
async function api(t: Test) {
  const db = openStore({ client: 'better-sqlite3', filename: 'c.sqlite' }, t.testdir({}))
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const cdrs = new KnexCdrStore(db)
  const open = (id: string, at: number, caller: string, name = '') => cdrs.open({ callId: id, entry: '96200', did: '96200', region: 'gulou', callerNumber: caller, callerName: name, arrivedAt: at })
  await open('c1', T0, '13800000001', '王芳')
  await cdrs.patch('c1', { queue: 'repair', queuedAt: T0 + 20_000, answeredAt: T0 + 35_000, agentId: 'lin', disposition: 'resolved' })
  await cdrs.close('c1', { endedAt: T0 + 215_000, hangupCause: 'NORMAL_CLEARING' })
  await open('c2', T0 + 60_000, '13800000002', '=HYPERLINK("http://x","点我")')
  await cdrs.patch('c2', { queue: 'billing', queuedAt: T0 + 70_000 })
  await cdrs.close('c2', { endedAt: T0 + 160_000, hangupCause: 'ORIGINATOR_CANCEL' })
  await open('c3', T0 + 120_000, '13800000003')
  await cdrs.close('c3', { endedAt: T0 + 150_000, hangupCause: 'NORMAL_CLEARING' })
  return serveRouter(t, cdrRoutes({ cdrs }))
}

t.test('a supervisor lists calls newest first with times, waits and talk time, and filters them', async (t) => {
  const base = await api(t)
  const all = await call(base, 'GET', '/cdrs', { role: 'supervisor' })
  t.equal(all.status, 200)
  t.same(all.body.cdrs.map((c: { callId: string }) => c.callId), ['c3', 'c2', 'c1'])
  t.match(all.body.cdrs[2], { agent: 'lin', queue: 'repair', outcome: 'answered', arrivedAt: '2026-12-07T01:00:00.000Z', waitSeconds: 15, talkSeconds: 180, durationSeconds: 215, callerName: '王芳' })
  t.match(all.body.cdrs[1], { outcome: 'abandoned', waitSeconds: 90, talkSeconds: null })
  t.match(all.body.cdrs[0], { outcome: 'self-service', waitSeconds: null, queue: null })
  t.same((await call(base, 'GET', '/cdrs?outcome=abandoned', { role: 'supervisor' })).body.cdrs.map((c: { callId: string }) => c.callId), ['c2'])
  t.same((await call(base, 'GET', '/cdrs?queue=repair&agent=lin', { role: 'supervisor' })).body.cdrs.map((c: { callId: string }) => c.callId), ['c1'])
  t.same((await call(base, 'GET', `/cdrs?from=${T0 + 60_000}&to=2026-12-07T01:02:00Z`, { role: 'supervisor' })).body.cdrs.map((c: { callId: string }) => c.callId), ['c2'])
  t.same((await call(base, 'GET', '/cdrs?caller=13800000003', { role: 'supervisor' })).body.cdrs.map((c: { callId: string }) => c.callId), ['c3'])
})

t.test('pages follow on with before=', async (t) => {
  const base = await api(t)
  const first = await call(base, 'GET', '/cdrs?limit=2', { role: 'supervisor' })
  t.same(first.body.cdrs.map((c: { callId: string }) => c.callId), ['c3', 'c2'])
  t.same(first.body.next, { before: T0 + 60_000 })
  const second = await call(base, 'GET', `/cdrs?limit=2&before=${String(first.body.next.before)}`, { role: 'supervisor' })
  t.same(second.body.cdrs.map((c: { callId: string }) => c.callId), ['c1'])
  t.equal(second.body.next, null, 'the last page says so')
})

t.test('an agent sees only the calls they took; asking for another agent\'s is refused', async (t) => {
  const base = await api(t)
  t.same((await call(base, 'GET', '/cdrs', { role: 'agent', agent: 'lin' })).body.cdrs.map((c: { callId: string }) => c.callId), ['c1'])
  t.same((await call(base, 'GET', '/cdrs', { role: 'agent', agent: 'chen' })).body.cdrs, [])
  t.match(await call(base, 'GET', '/cdrs?agent=chen', { role: 'agent', agent: 'lin' }), { status: 403, body: { error: { code: 'forbidden' } } })
  t.match(await call(base, 'GET', '/cdrs', { role: 'agent' }), { status: 403 }, 'a user linked to no agent has no calls')
  t.match(await call(base, 'GET', '/cdrs'), { status: 401 })
})

t.test('bad filters are a clear 400', async (t) => {
  const base = await api(t)
  t.match(await call(base, 'GET', '/cdrs?outcome=lost', { role: 'supervisor' }), { status: 400, body: { error: { code: 'body-invalid', message: /outcome/ } } })
  t.match(await call(base, 'GET', '/cdrs?from=yesterday', { role: 'supervisor' }), { status: 400, body: { error: { message: /from/ } } })
  t.match(await call(base, 'GET', '/cdrs?limit=0', { role: 'supervisor' }), { status: 400 })
  t.match(await call(base, 'GET', '/cdrs?queue=a%20b', { role: 'supervisor' }), { status: 400 })
})

t.test('the CSV export: the same rows for Excel (BOM, CRLF), a formula-like caller name defused', async (t) => {
  const base = await api(t)
  const res = await fetch(`${base}/cdrs.csv?from=${T0}`, { headers: { 'x-test-role': 'supervisor' } })
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/)
  t.match(res.headers.get('content-disposition'), /attachment; filename="hotline-cdrs-\d{4}-\d{2}-\d{2}\.csv"/)
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
  t.ok(text.startsWith('\uFEFFcallId,arrivedAt,endedAt,callerNumber,callerName,'), 'BOM and header')
  const lines = text.slice(1).trimEnd().split('\r\n')
  t.equal(lines.length, 4, 'header and three calls')
  t.match(lines[3], /^c1,2026-12-07T01:00:00\.000Z,2026-12-07T01:03:35\.000Z,13800000001,王芳,96200,96200,gulou,repair,,lin,answered,15,180,215,resolved,,NORMAL_CLEARING$/)
  t.match(lines[2], /,"'=HYPERLINK\(""http:\/\/x"",""点我""\)",/, 'the name cannot run as a formula')
  const agent = await fetch(`${base}/cdrs.csv`, { headers: { 'x-test-role': 'agent', 'x-test-agent': 'lin' } })
  t.equal((await agent.text()).trimEnd().split('\r\n').length, 2, 'an agent exports only their own calls')
})

t.test('csvCell quotes what must be quoted and leaves numbers alone', (t) => {
  t.equal(csvCell('+8613800000000'), '+8613800000000')
  t.equal(csvCell('-12'), '-12')
  t.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
  t.equal(csvCell('-cmd|x'), "'-cmd|x")
  t.equal(csvCell('a,b'), '"a,b"')
  t.equal(csvCell(null), '')
  t.equal(csvCell(42), '42')
  t.end()
})

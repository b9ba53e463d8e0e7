import t, { type Test } from 'tap'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import { Bus } from '../shared/index.ts'
import { diskRecordingFiles, KnexQualityStore, recordingRoutes, RetentionSweeper } from './index.ts'
import { bridged, ended, recordingSetup } from './recording.test-support.ts'

/** Stands in for the bearer-token layer: the principal comes from test headers. */
const principalFromHeaders: RequestHandler = (req, _res, next) => {
  const role = req.header('x-role')
  if (role === 'agent' || role === 'supervisor' || role === 'admin') {
    const agent = req.header('x-agent')
    Object.assign(req, { principal: { userId: `u-${req.header('x-user') ?? 'x'}`, username: req.header('x-user') ?? 'x', role, ...(agent ? { agentId: agent } : {}) } })
  }
  next()
}

async function serve(t: Test) {
  const contexts = { 'c1/leg-lin': { agentId: 'lin', queue: 'billing', customer: 'A-1', callerNumber: '138001' }, 'c2/leg-mei': { agentId: 'mei', queue: 'faults', customer: 'A-2', callerNumber: '138002' }, 'c3/leg-lin': { agentId: 'lin', queue: 'billing' } }
  const s = await recordingSetup(t, { contexts })
  const quality = new KnexQualityStore(s.db)
  const sweeper = new RetentionSweeper({ store: s.store, files: diskRecordingFiles, clock: s.clock, log: { info: () => undefined, warn: () => undefined, error: () => undefined }, events: new Bus() }, { root: s.root, freeSpaceAlarmBytes: 0 })
  const app = express()
  app.use(express.json())
  app.use(principalFromHeaders)
  app.use('/api/v1', recordingRoutes({ store: s.store, quality, service: s.service, sweeper, clock: s.clock, log: { info: () => undefined, warn: () => undefined, error: () => undefined } }))
  app.use(((error, _req, res, _next) => void res.status(500).json({ error: String(error) })) as ErrorRequestHandler)
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const base = `${origin}/api/v1`
  // c1 (lin) and c2 (mei) are complete; c3 (lin) is still running.
  for (const [id, leg] of [['c1', 'leg-lin'], ['c2', 'leg-mei'], ['c3', 'leg-lin']] as const) s.service.onCallEvent(bridged(id, leg))
  await s.service.flush()
  s.clock.advance(10_000)
  s.service.onCallEvent(ended('c1', s.clock.now()))
  s.service.onCallEvent(ended('c2', s.clock.now()))
  await s.service.flush()
  const as = (role: string, user: string, agent?: string) => ({ 'x-role': role, 'x-user': user, ...(agent ? { 'x-agent': agent } : {}) })
  const lin = as('agent', 'lin', 'lin')
  const mei = as('agent', 'mei', 'mei')
  const sup = as('supervisor', 'wang')
  const call = (path: string, headers: Record<string, string>, init: { method?: string; body?: unknown; range?: string } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...headers, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.range ? { range: init.range } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
  return { ...s, call, lin, mei, sup, origin, file: (await s.store.get('c1-1'))!.file }
}

t.test('playback answers the whole file with Accept-Ranges, and 206 partial content for ranges', async (t) => {
  const { call, lin, file } = await serve(t)
  const bytes = readFileSync(file)
  const whole = await call('/recordings/c1-1/audio', lin)
  t.equal(whole.status, 200)
  t.equal(whole.headers.get('accept-ranges'), 'bytes')
  t.equal(whole.headers.get('content-type'), 'audio/wav')
  t.equal(Number(whole.headers.get('content-length')), bytes.length)
  t.same(Buffer.from(await whole.arrayBuffer()), bytes)
  for (const [range, start, end] of [['bytes=0-99', 0, 99], ['bytes=1000-1999', 1000, 1999], ['bytes=-500', bytes.length - 500, bytes.length - 1]] as const) {
    const res = await call('/recordings/c1-1/audio', lin, { range })
    t.equal(res.status, 206, range)
    t.equal(res.headers.get('content-range'), `bytes ${start}-${end}/${bytes.length}`, range)
    t.same(Buffer.from(await res.arrayBuffer()), bytes.subarray(start, end + 1), range)
  }
  const bad = await call('/recordings/c1-1/audio', lin, { range: `bytes=${bytes.length}-` })
  t.equal(bad.status, 416)
  t.equal(bad.headers.get('content-range'), `bytes */${bytes.length}`)
  t.match(await bad.json(), { error: { code: 'range-not-satisfiable' } })
})

t.test('download names the file; every playback and download is logged with who and which range', async (t) => {
  const { call, lin, sup } = await serve(t)
  const dl = await call('/recordings/c1-1/audio?download=1', sup)
  t.equal(dl.headers.get('content-disposition'), 'attachment; filename="c1-1.wav"')
  await dl.arrayBuffer()
  await (await call('/recordings/c1-1/audio', lin, { range: 'bytes=0-9' })).arrayBuffer()
  const access = (await (await call('/recordings/c1-1/access', sup)).json()) as { access: unknown[] }
  t.match(access.access, [{ username: 'wang', role: 'supervisor', action: 'download', range: undefined }, { username: 'lin', role: 'agent', action: 'play', range: 'bytes=0-9' }])
  t.equal((await call('/recordings/c1-1/access', lin)).status, 403, 'agents do not read the access log')
})

t.test("the wrong agent, the wrong role and no principal are denied; another agent's recording answers exactly as a missing one", async (t) => {
  const { call, mei, lin } = await serve(t)
  const other = await call('/recordings/c1-1/audio', mei)
  t.equal(other.status, 404)
  const missing = await call('/recordings/no-such/audio', mei)
  const [a, b] = [await other.json(), await missing.json()] as Array<{ error: { code: string; message: string } }>
  t.equal(a!.error.code, 'recording-not-found')
  t.equal(a!.error.message.replace('c1-1', 'X'), b!.error.message.replace('no-such', 'X'), 'same code and message as an id that does not exist')
  t.equal((await call('/recordings/c1-1', mei)).status, 404)
  t.equal((await call('/recordings/c1-1/pause', mei, { method: 'POST' })).status, 404, 'pausing another agent\'s recording: as if it did not exist')
  t.equal((await call('/score-sheets', lin, { method: 'POST', body: { name: 'x', criteria: [] } })).status, 403)
  t.equal((await call('/recordings/c1-1/legal-hold', lin, { method: 'PUT', body: { hold: true } })).status, 403)
  const anon = await call('/recordings/c1-1/audio', {})
  t.equal(anon.status, 401)
  t.match(await anon.json(), { error: { code: 'token-missing' } })
  t.equal((await call('/recordings?agent=mei', lin)).status, 403)
  t.equal((await call('/recordings/nope/audio', lin)).status, 404)
})

t.test('search: agents see only their own; supervisors filter by time, agent, queue, caller, customer and disposition', async (t) => {
  const { call, lin, sup, db, clock } = await serve(t)
  const ids = async (path: string, h: Record<string, string>) => ((await (await call(path, h)).json()) as { recordings: Array<{ id: string }> }).recordings.map((r) => r.id).sort()
  t.same(await ids('/recordings', lin), ['c1-1', 'c3-1'])
  t.same(await ids('/recordings', sup), ['c1-1', 'c2-1', 'c3-1'])
  t.same(await ids('/recordings?agent=mei', sup), ['c2-1'])
  t.same(await ids('/recordings?queue=billing&status=complete', sup), ['c1-1'])
  t.same(await ids('/recordings?caller=138002', sup), ['c2-1'])
  t.same(await ids('/recordings?customer=A-1', sup), ['c1-1'])
  t.same(await ids(`/recordings?from=${new Date(clock.now()).toISOString()}`, sup), [])
  t.same(await ids(`/recordings?to=${clock.now()}`, sup), ['c1-1', 'c2-1', 'c3-1'])
  await db('cdr').insert({ call_id: 'c2', entry: '96200', did: '96200', caller_number: '138002', arrived_at: 1, disposition: 'repair-booked' })
  t.same(await ids('/recordings?disposition=repair-booked', sup), ['c2-1'])
  const bad = await call('/recordings?from=yesterday', sup)
  t.equal(bad.status, 400)
  t.match(await bad.json(), { error: { code: 'body-invalid', message: /query.from: expected epoch milliseconds or an ISO 8601/ } })
})

t.test('pause and resume over HTTP: the owning agent or a supervisor; a finished recording cannot be paused', async (t) => {
  const { call, lin, sup, store } = await serve(t)
  const paused = await call('/recordings/c3-1/pause', lin, { method: 'POST' })
  t.equal(paused.status, 200)
  t.match(await paused.json(), { id: 'c3-1', pauses: [{ startMs: 10_000 }] })
  t.equal((await call('/recordings/c3-1/pause', lin, { method: 'POST' })).status, 409)
  t.equal((await call('/recordings/c3-1/resume', sup, { method: 'POST' })).status, 200)
  t.match(await store.get('c3-1'), { pauses: [{ startMs: 10_000, endMs: 10_000 }] })
  const done = await call('/recordings/c1-1/pause', lin, { method: 'POST' })
  t.equal(done.status, 409)
  t.match(await done.json(), { error: { code: 'recording-not-active' } })
})

t.test('legal hold is set by a supervisor and checked; a recording without its file answers recording-file-missing', async (t) => {
  const { call, sup, lin, file } = await serve(t)
  const held = await call('/recordings/c1-1/legal-hold', sup, { method: 'PUT', body: { hold: true, reason: 'dispute' } })
  t.match(await held.json(), { legalHold: true, holdReason: 'dispute' })
  const bad = await call('/recordings/c1-1/legal-hold', sup, { method: 'PUT', body: { hold: 'yes' } })
  t.equal(bad.status, 400)
  t.match(await bad.json(), { error: { code: 'body-invalid', message: /body.hold/ } })
  rmSync(file)
  const gone = await call('/recordings/c1-1/audio', lin)
  t.equal(gone.status, 404)
  t.match(await gone.json(), { error: { code: 'recording-file-missing' } })
  t.equal((await call('/recordings/c3-1/audio', lin)).status, 404, 'a running recording is not played')
  t.match(await (await call('/recordings/disk-usage', sup)).json(), { files: 2, alarm: false })
})

t.test('quality: sheets whose weights sum to 100, evaluations with a weighted total, agent and queue averages', async (t) => {
  const { call, sup, lin } = await serve(t)
  const criteria = [{ key: 'greeting', label: 'Greeting', weight: 30, max: 5 }, { key: 'resolution', label: 'Resolution', weight: 70, max: 10 }]
  const created = await call('/score-sheets', sup, { method: 'POST', body: { name: 'Standard', criteria } })
  t.equal(created.status, 201)
  const sheet = (await created.json()) as { id: string }
  t.equal((await call('/score-sheets', sup, { method: 'POST', body: { name: 'Standard', criteria } })).status, 409)
  const uneven = await call('/score-sheets', sup, { method: 'POST', body: { name: 'Bad', criteria: criteria.slice(0, 1) } })
  t.match(await uneven.json(), { error: { code: 'score-sheet-invalid', message: /sum to 100, not 30/ } })
  const e1 = await call('/recordings/c1-1/evaluations', sup, { method: 'POST', body: { sheetId: sheet.id, scores: { greeting: 5, resolution: 5 }, comment: 'ok' } })
  t.equal(e1.status, 201)
  t.match(await e1.json(), { total: 65, agentId: 'lin', queue: 'billing', evaluator: 'wang' })
  await call('/recordings/c3-1/evaluations', sup, { method: 'POST', body: { sheetId: sheet.id, scores: { greeting: 5, resolution: 10 } } })
  await call('/recordings/c2-1/evaluations', sup, { method: 'POST', body: { sheetId: sheet.id, scores: { greeting: 0, resolution: 5 } } })
  const over = await call('/recordings/c1-1/evaluations', sup, { method: 'POST', body: { sheetId: sheet.id, scores: { greeting: 9, resolution: 5 } } })
  t.match(await over.json(), { error: { code: 'evaluation-invalid', message: /outside 0..5/ } })
  t.match(await (await call('/recordings/c1-1/evaluations', sup, { method: 'POST', body: { sheetId: 'nope', scores: {} } })).json(), { error: { code: 'evaluation-invalid' } })
  t.match(await (await call('/recordings/c1-1/evaluations', lin)).json(), { evaluations: [{ total: 65, comment: 'ok' }] })
  t.same(await (await call('/quality/averages', sup)).json(), {
    agents: [{ key: 'lin', evaluations: 2, average: 82.5 }, { key: 'mei', evaluations: 1, average: 35 }],
    queues: [{ key: 'billing', evaluations: 2, average: 82.5 }, { key: 'faults', evaluations: 1, average: 35 }],
  })
  t.equal((await call('/quality/averages', lin)).status, 403)
})

t.test('metadata of one recording: who, which call and queue, how long, and the size and hash of the file served', async (t) => {
  const { call, lin, sup, file, clock } = await serve(t)
  const bytes = readFileSync(file)
  const own = await call('/recordings/c1-1', lin)
  t.equal(own.status, 200)
  t.match(own.headers.get('content-type'), /^application\/json/)
  const meta = (await own.json()) as Record<string, unknown>
  t.match(meta, {
    id: 'c1-1', callId: 'c1', segment: 1, agentId: 'lin', queue: 'billing', customer: 'A-1', callerNumber: '138001',
    status: 'complete', format: 'wav', channels: 1, startedAt: clock.now() - 10_000, endedAt: clock.now(), durationMs: 10_000,
    sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), legalHold: false, pauses: [],
  })
  const audio = await call('/recordings/c1-1/audio', lin)
  t.equal(Number(audio.headers.get('content-length')), meta.sizeBytes, 'the size given is the size played')
  t.equal(createHash('sha256').update(Buffer.from(await audio.arrayBuffer())).digest('hex'), meta.sha256, 'and so is the hash')
  t.same(await (await call('/recordings/c1-1', sup)).json(), meta, 'a supervisor sees the same')
  const running = await call('/recordings/c3-1', lin)
  t.equal(running.status, 200)
  t.match(await running.json(), { id: 'c3-1', callId: 'c3', agentId: 'lin', status: 'recording', legalHold: false })
  t.match(await (await call('/recordings/nope', sup)).json(), { error: { code: 'recording-not-found' } })
})

t.test('a seek to the middle (bytes=a-) or a range past the end plays from there to the last byte', async (t) => {
  const { call, sup, file } = await serve(t)
  const bytes = readFileSync(file)
  const last = bytes.length - 1
  for (const [range, start] of [['bytes=44-', 44], [`bytes=${last - 9}-${last + 5000}`, last - 9]] as const) {
    const res = await call('/recordings/c1-1/audio', sup, { range })
    t.equal(res.status, 206, range)
    t.equal(res.headers.get('content-range'), `bytes ${start}-${last}/${bytes.length}`, range)
    t.equal(Number(res.headers.get('content-length')), bytes.length - start, range)
    t.same(Buffer.from(await res.arrayBuffer()), bytes.subarray(start), range)
  }
})

t.test('no answer carries a server path: metadata, search, pause and legal hold give an audio link instead, and the link plays the file', async (t) => {
  const { call, lin, sup, origin, file, root, store } = await serve(t)
  const noPath = (text: string, what: string) => {
    t.notMatch(text, root, `${what}: no server path`)
    t.notMatch(text, '"file"', `${what}: no file field`)
  }
  const metaText = await (await call('/recordings/c1-1', lin)).text()
  noPath(metaText, 'metadata')
  const meta = JSON.parse(metaText) as { audio: string }
  t.equal(meta.audio, '/api/v1/recordings/c1-1/audio')
  const played = await fetch(`${origin}${meta.audio}`, { headers: lin })
  t.equal(played.status, 200)
  t.same(Buffer.from(await played.arrayBuffer()), readFileSync(file), 'the link serves the recorded bytes')
  for (const h of [lin, sup]) {
    const text = await (await call('/recordings', h)).text()
    noPath(text, `search as ${h['x-role']}`)
    const list = (JSON.parse(text) as { recordings: Array<{ id: string; audio: string | null }> }).recordings
    t.match(list.find((r) => r.id === 'c1-1'), { audio: '/api/v1/recordings/c1-1/audio' })
    t.match(list.find((r) => r.id === 'c3-1'), { audio: null }, 'a running recording has nothing to play yet')
  }
  noPath(await (await call('/recordings/c3-1/pause', lin, { method: 'POST' })).text(), 'pause')
  noPath(await (await call('/recordings/c3-1/resume', lin, { method: 'POST' })).text(), 'resume')
  noPath(await (await call('/recordings/c1-1/legal-hold', sup, { method: 'PUT', body: { hold: true, reason: 'dispute' } })).text(), 'legal hold')
  t.equal((await store.get('c1-1'))?.file, file, 'the store keeps the path for playback and the sweeper')
})

t.test('a recording whose file never reached the disk says so without naming the server path, and has no audio link', async (t) => {
  const { call, lin, root, sw, service, clock, store } = await serve(t)
  sw.writesFiles = false
  service.onCallEvent(bridged('c4', 'leg-lin'))
  await service.flush()
  clock.advance(2000)
  service.onCallEvent(ended('c4', clock.now()))
  await service.flush()
  t.match((await store.get('c4-1'))?.problem, root, 'the stored problem (and the log) keep the path for the engineer')
  const text = await (await call('/recordings/c4-1', lin)).text()
  t.notMatch(text, root)
  t.match(JSON.parse(text), { status: 'missing-file', audio: null, problem: /success-maxtime, but the file is not on disk/ })
})

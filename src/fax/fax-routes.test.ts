import t, { type Test } from 'tap'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createApi, type Principal } from '../api/index.ts'
import { capturedFaxResults, forLeg } from './fax-captures.test-support.ts'
import { faxCall, faxHarness } from './fax-service.test-support.ts'
import { faxRoutes } from './index.ts'

async function serve(t: Test) {
  const h = await faxHarness(t)
  const agent: Principal = { userId: 'u1', username: 'lin', role: 'agent' }
  const app = createApi({
    switchStatus: () => ({ state: 'connected', since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 }), version: 'test', log: { error: () => undefined },
    tokens: { verify: (tok) => Promise.resolve(tok === 'agent-token' ? agent : undefined) },
    routers: [faxRoutes({ fax: h.service })],
  })
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`
  const call = async (path: string, init: RequestInit = {}, token = 'agent-token') => {
    const headers = new Headers(init.headers)
    if (token) headers.set('authorization', `Bearer ${token}`)
    const res = await fetch(`${base}${path}`, { ...init, headers })
    const type = res.headers.get('content-type') ?? ''
    return { status: res.status, type, body: type.includes('json') ? ((await res.json()) as Record<string, unknown>) : Buffer.from(await res.arrayBuffer()) }
  }
  const postJson = (body: unknown) => call('/fax-jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { h, call, postJson }
}

const pdf = Buffer.from('%PDF-1.4\n% a fax\n')
const errorCode = (r: { body: unknown }): unknown => (r.body as { error?: { code?: string } }).error?.code

t.test('an agent submits a PDF as base64 JSON and reads the job back with its attempts', async (t) => {
  const { h, call, postJson } = await serve(t)
  const r = await postJson({ destination: '02588881234', document: pdf.toString('base64') })
  t.equal(r.status, 202)
  t.match(r.body, { destination: '02588881234', status: 'queued', pages: 2, submittedBy: 'lin' })
  t.notOk('tiffPath' in (r.body as object), 'server paths stay on the server')
  await h.until(() => h.port.sent.length === 1)
  h.port.failSend('USER_BUSY')
  await h.service.flush()
  const job = await call(`/fax-jobs/${String((r.body as { id: string }).id)}`)
  t.match(job.body, { status: 'retrying', attemptLog: [{ attempt: 1, outcome: 'busy', cause: 'USER_BUSY' }] })
  t.match((await call('/fax-jobs')).body, { jobs: [{ destination: '02588881234' }] })
})

t.test('a raw application/pdf or image/tiff body with ?destination= is accepted too', async (t) => {
  const { call } = await serve(t)
  const r = await call('/fax-jobs?destination=02588881234', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })
  t.equal(r.status, 202)
  t.match(r.body, { sourceKind: 'pdf' })
  const tiff = await call('/fax-jobs?destination=02588881234', { method: 'POST', headers: { 'content-type': 'image/tiff' }, body: Buffer.from([0x49, 0x49, 0x2a, 0, 1, 2]) })
  t.match(tiff, { status: 202, body: { sourceKind: 'tiff' } })
})

t.test('bad fax submissions get a 400 with a code that says what is wrong', async (t) => {
  const { call, postJson } = await serve(t)
  const b64 = pdf.toString('base64')
  const cases: Array<[string, Promise<{ status: number; body: unknown }>, string]> = [
    ['no destination', postJson({ document: b64 }), 'fax-destination-missing'],
    ['destination not digits', postJson({ destination: 'call me', document: b64 }), 'fax-destination-invalid'],
    ['destination not a string', postJson({ destination: 2588881234, document: b64 }), 'fax-destination-invalid'],
    ['no document', postJson({ destination: '02588881234' }), 'fax-document-missing'],
    ['document not base64', postJson({ destination: '02588881234', document: 'not base64!' }), 'fax-document-not-base64'],
    ['empty document', postJson({ destination: '02588881234', document: '' }), 'fax-document-empty'],
    ['neither PDF nor TIFF', postJson({ destination: '02588881234', document: Buffer.from('hello world').toString('base64') }), 'fax-document-unsupported'],
    ['a content type we do not take', call('/fax-jobs?destination=02588881234', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }), 'fax-document-missing'],
  ]
  for (const [name, p, code] of cases) {
    const r = await p
    t.equal(r.status, 400, name)
    t.equal(errorCode(r), code, name)
  }
  const raw = await call('/fax-jobs', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })
  t.equal(errorCode(raw), 'fax-destination-missing', 'a raw body without ?destination=')
})

t.test('received faxes are listed without server paths, and a received one opens as PDF', async (t) => {
  const { h, call } = await serve(t)
  const pdfFile = join(h.config.faxDir, 'one.pdf')
  mkdirSync(h.config.faxDir, { recursive: true })
  writeFileSync(pdfFile, '%PDF-1.4 received')
  await h.store.insertReceived({ id: 'f1', leg: 'l1', callerNumber: '13800000061', did: '96300', status: 'receiving', startedAt: 1000 })
  await h.store.finishReceived('f1', { status: 'received', endedAt: 2000, pages: 2, resultCode: 0, resultText: 'OK', tiffPath: '/x/one.tif', pdfPath: pdfFile })
  await h.store.insertReceived({ id: 'f2', leg: 'l2', callerNumber: '13800000063', did: '96300', status: 'receiving', startedAt: 3000 })
  await h.store.finishReceived('f2', { status: 'failed', endedAt: 4000, pages: 0, resultCode: 49, resultText: 'The call dropped prematurely' })
  const list = await call('/faxes')
  t.match(list.body, { faxes: [{ id: 'f2', status: 'failed', pdf: null, resultCode: 49 }, { id: 'f1', status: 'received', pdf: '/api/v1/faxes/f1/pdf', pages: 2 }] })
  t.notMatch(JSON.stringify(list.body), /one\.tif|one\.pdf/)
  const file = await call('/faxes/f1/pdf')
  t.equal(file.status, 200)
  t.equal(file.type, 'application/pdf')
  t.equal((file.body as Buffer).toString(), '%PDF-1.4 received')
  rmSync(pdfFile)
  const gone = await call('/faxes/f1/pdf')
  t.match(gone, { status: 404, body: { error: { code: 'fax-pdf-missing', message: /no longer on the server/ } } }, 'a PDF deleted on disk is a 404, not a 500')
  t.notMatch(JSON.stringify(gone.body), /one\.pdf/, 'without the server path')
  const none = await call('/faxes/f2/pdf')
  t.match(none, { status: 404, body: { error: { code: 'fax-pdf-missing', message: /dropped prematurely/ } } })
  t.equal(errorCode(await call('/faxes/nope')), 'fax-not-found')
  t.equal(errorCode(await call('/fax-jobs/nope')), 'fax-job-not-found')
})

t.test('fax routes need a signed-in user', async (t) => {
  const { call } = await serve(t)
  const r = await call('/faxes', {}, '')
  t.equal(r.status, 401)
  t.equal(errorCode(r), 'token-missing')
})

t.test('one received fax: the result of the real capture, no server paths, and a PDF link that serves the converted file', async (t) => {
  const { h, call } = await serve(t)
  const arrived = h.clock.now()
  h.service.onCallArrived(faxCall('leg-a'))
  await h.until(() => h.port.received.length === 1)
  const tiff = h.port.received[0]!.tiffPath
  writeFileSync(tiff, 'II*\0two pages') // what rxfax writes
  h.clock.advance(40_000)
  h.service.onFaxResult(forLeg(capturedFaxResults().rxOk, 'leg-a'))
  h.port.finishReceive('leg-a')
  await h.service.flush()
  const one = await call('/faxes/id-1')
  t.equal(one.status, 200)
  t.match(one.body, {
    id: 'id-1', callId: 'call-leg-a', callerNumber: '13800000061', did: '96300', status: 'received', pages: 2, totalPages: 2,
    resultCode: 0, resultText: 'OK', transferRate: 14400, ecm: true, remoteStationId: 'fslab fax', pdf: '/api/v1/faxes/id-1/pdf',
    startedAt: arrived, endedAt: arrived + 40_000,
  })
  t.notOk('tiffPath' in (one.body as object) || 'pdfPath' in (one.body as object), 'server paths stay on the server')
  t.notMatch(JSON.stringify(one.body), /\/fax\/in\//)
  const file = await call(String((one.body as { pdf: string }).pdf).replace('/api/v1', ''))
  t.equal(file.status, 200)
  t.equal(file.type, 'application/pdf')
  t.equal((file.body as Buffer).toString(), `%PDF-1.4 from ${tiff}`, 'the PDF made from the received TIFF')
})

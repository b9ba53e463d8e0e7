import t from 'tap'
import { writeFileSync } from 'node:fs'
import { capturedFaxResults, forLeg } from './fax-captures.test-support.ts'
import { faxCall, faxHarness } from './fax-service.test-support.ts'
import { defaultFaxConfig } from './index.ts'

const cap = capturedFaxResults()
const h0 = defaultFaxConfig('/unused')

t.test('a received 2-page fax is stored by date with its result, a PDF, and the leg hung up', async (t) => {
  const h = await faxHarness(t)
  t.equal(h.service.onCallArrived(faxCall('leg-a')), true)
  await h.until(() => h.port.received.length === 1)
  const tiff = h.port.received[0]!.tiffPath
  t.match(tiff, /\/fax\/in\/2026\/11\/02\/id-1\.tif$/)
  t.same(h.varsSet, [{ fax_enable_t38: 'true', fax_ident: 'HOTLINE 96200' }], 'T.38 allowed on this DID')
  t.same(h.service.schedule().receiving, ['leg-a'], 'the fax holds a channel')
  writeFileSync(tiff, 'II*\0two pages') // what rxfax writes
  h.service.onFaxResult(forLeg(cap.rxOk, 'leg-a'))
  h.port.finishReceive('leg-a')
  await h.service.flush()
  const [fax] = await h.service.listReceived({})
  t.match(fax, {
    id: 'id-1', callId: 'call-leg-a', callerNumber: '13800000061', did: '96300', status: 'received', pages: 2, totalPages: 2,
    resultCode: 0, resultText: 'OK', transferRate: 14400, ecm: true, remoteStationId: 'fslab fax', tiffPath: tiff, pdfPath: tiff.replace(/\.tif$/, '.pdf'),
  })
  t.same(h.hungUp, ['leg-a'], 'the leg stays parked after rxfax, so it is hung up')
  t.same(h.service.schedule().receiving, [], 'the channel is free again')
})

t.test('a fax whose sender hangs up mid-fax is recorded as failed with code 49 and no file', async (t) => {
  const h = await faxHarness(t)
  h.service.onCallArrived(faxCall('leg-b'))
  await h.until(() => h.port.received.length === 1)
  h.service.onFaxResult(forLeg(cap.rxDropped, 'leg-b'))
  h.port.finishReceive('leg-b')
  await h.service.flush()
  const fax = await h.service.getReceived('id-1')
  t.match(fax, { status: 'failed', resultCode: 49, resultText: 'The call dropped prematurely', pages: 0 })
  t.equal(fax?.tiffPath, undefined, 'no file is claimed')
  t.equal(fax?.pdfPath, undefined)
})

t.test('a fax whose result event never comes is recorded as failed after the grace period', async (t) => {
  const h = await faxHarness(t)
  h.service.onCallArrived(faxCall('leg-c'))
  await h.until(() => h.port.received.length === 1)
  h.port.finishReceive('leg-c', { ok: false, error: { code: 'switch-unreachable', message: 'esl-disconnected' } })
  await h.until(() => h.clock.pendingTimers > 0)
  t.match(await h.service.getReceived('id-1'), { status: 'receiving' }, 'not yet: the result may be late')
  h.clock.advance(h.config.resultGraceMs)
  await h.service.flush()
  t.match(await h.service.getReceived('id-1'), { status: 'failed', resultText: /rxfax did not run to the end: esl-disconnected/ })
})

t.test('a late result for a fax already filed changes nothing', async (t) => {
  const h = await faxHarness(t)
  h.service.onCallArrived(faxCall('leg-d'))
  await h.until(() => h.port.received.length === 1)
  h.service.onFaxResult(forLeg(cap.rxDropped, 'leg-d'))
  h.port.finishReceive('leg-d')
  await h.service.flush()
  h.service.onFaxResult(forLeg(cap.rxOk, 'leg-d'))
  await h.service.flush()
  t.match(await h.service.getReceived('id-1'), { status: 'failed', resultCode: 49 })
})

t.test('only fax calls are taken: the dialplan flag, the fax entry or a configured fax DID', async (t) => {
  const h = await faxHarness(t, { faxDids: ['96301'], noT38Dids: ['96301'], policy: { ...h0.policy, channels: 3 } })
  t.equal(h.service.onCallArrived(faxCall('voice', { entry: 'main', did: '96200', vars: { hotline_entry: 'main' } })), false)
  t.equal(h.service.onCallArrived(faxCall('flagged', { entry: 'main', did: '96200', vars: { hotline_fax: 'true' } })), true)
  t.equal(h.service.onCallArrived(faxCall('by-entry', { vars: {} })), true)
  t.equal(h.service.onCallArrived(faxCall('by-did', { entry: '96301', did: '96301', vars: {} })), true)
  await h.until(() => h.port.received.length === 3)
  t.same(h.varsSet.map((v) => v['fax_enable_t38']), ['true', 'true', 'false'], 'a DID configured without T.38 gets G.711')
  for (const r of h.port.received) {
    h.service.onFaxResult(forLeg(cap.rxDropped, r.leg))
    h.port.finishReceive(r.leg)
  }
  await h.service.flush()
})

t.test('a fax left receiving by a previous run is recorded as failed on start', async (t) => {
  const h = await faxHarness(t)
  await h.store.insertReceived({ id: 'old', leg: 'l', callerNumber: '1', did: '96300', status: 'receiving', startedAt: 1 })
  await h.service.start()
  t.match(await h.service.getReceived('old'), { status: 'failed', resultText: /restarted/ })
})

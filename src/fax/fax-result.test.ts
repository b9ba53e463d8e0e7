import t from 'tap'
import { outcomeOfDialFailure, outcomeOfSend, parseFaxResult } from './core/index.ts'
import { capturedFaxResults } from './fax-captures.test-support.ts'

const cap = capturedFaxResults()

t.test('a received 2-page fax reads as success with pages, rate, ECM and the remote station', (t) => {
  t.same(parseFaxResult(cap.rxOk), {
    direction: 'rx', leg: '22e48f64-be4a-49a4-9ea2-0ea57c139e0e', success: true, code: 0, text: 'OK', pages: 2, totalPages: 2,
    transferRate: 14400, ecm: true, t38: 'off', badRows: 0, imageResolution: '8040x7700', localStationId: 'fslab fax', remoteStationId: 'fslab fax',
  })
  t.end()
})

t.test('a sender hanging up mid-fax reads as failure code 49 with 0 pages and no remote station', (t) => {
  t.match(parseFaxResult(cap.rxDropped), { direction: 'rx', success: false, code: 49, text: 'The call dropped prematurely', pages: 0, remoteStationId: undefined })
  t.end()
})

t.test('a txfax result becomes the outcome of an outbound attempt', (t) => {
  const ok = parseFaxResult(cap.txOk)
  const dropped = parseFaxResult(cap.txDropped)
  t.same(ok && outcomeOfSend(ok), { kind: 'sent', pages: 2 })
  t.same(dropped && outcomeOfSend(dropped), { kind: 'fax-failed', code: 49, text: 'The call dropped prematurely', pages: 0 })
  t.end()
})

t.test('events that are not spandsp results, or name no leg, are not fax results', (t) => {
  t.equal(parseFaxResult({ 'Event-Subclass': 'sofia::register', 'Unique-ID': 'x' }), undefined)
  t.equal(parseFaxResult({ ...cap.rxOk, 'Unique-ID': '' }), undefined)
  t.end()
})

t.test('a result with garbled or missing numbers is still read rather than dropped', (t) => {
  t.match(parseFaxResult({ ...cap.rxOk, 'fax-success': '1', 'fax-result-code': 'x', 'fax-document-transferred-pages': '' }), { success: true, code: undefined, pages: 0 })
  t.match(parseFaxResult({ 'Event-Subclass': 'spandsp::rxfaxresult', 'Unique-ID': 'l' }), { success: false, text: 'no result text', pages: 0 })
  t.end()
})

t.test('dial failures are sorted into busy, no answer, wrong number and other', (t) => {
  t.same(['USER_BUSY', 'NO_ANSWER', 'UNALLOCATED_NUMBER', 'NO_ROUTE_DESTINATION', 'NORMAL_TEMPORARY_FAILURE', ''].map((c) => outcomeOfDialFailure(c).kind),
    ['busy', 'no-answer', 'number-rejected', 'number-rejected', 'dial-failed', 'dial-failed'])
  t.end()
})

import t from 'tap'
import { minutes, seconds } from '../shared/index.ts'
import { capturedFaxResults, forLeg } from './fax-captures.test-support.ts'
import { faxCall, faxHarness } from './fax-service.test-support.ts'

const cap = capturedFaxResults()
const pdf = Buffer.from('%PDF-1.4\n% a fax\n')

t.test('a job whose first call is not answered is retried after 1 minute and then sent', async (t) => {
  const h = await faxHarness(t)
  const job = await h.service.submitJob({ document: pdf, destination: '025 8888-1234', submittedBy: 'lin' })
  if (!job.ok) return t.fail(job.error.message)
  t.match(job.value, { destination: '02588881234', status: 'queued', pages: 2, sourceKind: 'pdf' })
  await h.until(() => h.port.sent.length === 1)
  t.match(h.port.sent[0], { dial: 'sofia/gateway/e1-span-1/02588881234', vars: { hotline_fax_job: job.value.id, originate_timeout: '60', fax_enable_t38: 'true', origination_caller_id_number: '02596200', fax_ident: 'HOTLINE 96200' } })
  t.same(h.seats, [h.port.sent[0]?.vars['origination_uuid']], 'the trunk seat is taken before dialling')
  h.port.failSend('NO_ANSWER')
  await h.service.flush()
  const start = h.clock.now()
  t.match(await h.service.getJob(job.value.id), { status: 'retrying', attempts: 1, nextAttemptAt: start + minutes(1) })
  h.clock.advance(minutes(1) - 1)
  await h.service.flush()
  t.equal(h.port.sent.length, 1, 'no second call before the backoff is over')
  h.clock.advance(1)
  await h.until(() => h.port.sent.length === 2)
  const leg = h.port.answerSend()
  h.service.onFaxResult(forLeg(cap.txOk, leg))
  await h.service.flush()
  const done = await h.service.getJob(job.value.id)
  t.match(done, { status: 'sent', attempts: 2, finalReason: 'sent 2 page(s)', submittedBy: 'lin' })
  t.match(done?.attemptLog, [
    { attempt: 1, trunk: 'e1-span-1', outcome: 'no-answer', cause: 'NO_ANSWER' },
    { attempt: 2, leg, outcome: 'sent', resultCode: 0, resultText: 'OK', pages: 2, transferRate: 14400 },
  ])
})

t.test('a fax that drops mid-transfer is retried and the failure kept in the attempt log', async (t) => {
  const h = await faxHarness(t)
  const job = await h.service.submitJob({ document: pdf, destination: '02588881234' })
  await h.until(() => h.port.sent.length === 1)
  h.service.onFaxResult(forLeg(cap.txDropped, h.port.answerSend()))
  await h.service.flush()
  h.clock.advance(minutes(1))
  await h.until(() => h.port.sent.length === 2)
  h.service.onFaxResult(forLeg(cap.txOk, h.port.answerSend()))
  await h.service.flush()
  const done = job.ok ? await h.service.getJob(job.value.id) : undefined
  t.match(done, { status: 'sent', attempts: 2 })
  t.match(done?.attemptLog[0], { outcome: 'fax-failed', resultCode: 49, resultText: 'The call dropped prematurely', pages: 0 })
})

t.test('a job that fails every allowed attempt ends failed with the last reason', async (t) => {
  const h = await faxHarness(t)
  const job = await h.service.submitJob({ document: pdf, destination: '02588881234' })
  for (const [i, wait] of [[1, minutes(1)], [2, minutes(5)], [3, 0]] as const) {
    await h.until(() => h.port.sent.length === i)
    h.port.failSend('USER_BUSY')
    await h.service.flush()
    h.clock.advance(wait)
  }
  await h.service.flush()
  t.match(job.ok && (await h.service.getJob(job.value.id)), { status: 'failed', attempts: 3, finalReason: 'busy (USER_BUSY)' })
  t.equal(h.port.sent.length, 3)
})

t.test('with one fax channel a second job waits for the first to finish', async (t) => {
  const h = await faxHarness(t)
  await h.service.submitJob({ document: pdf, destination: '02500000001' })
  await h.service.submitJob({ document: pdf, destination: '02500000002' })
  await h.until(() => h.port.sent.length === 1)
  await h.service.flush()
  t.equal(h.port.sent.length, 1)
  t.equal(h.service.schedule().waiting.length, 1)
  h.service.onFaxResult(forLeg(cap.txOk, h.port.answerSend()))
  await h.until(() => h.port.sent.length === 2)
  t.match(h.port.sent[1], { dial: 'sofia/gateway/e1-span-1/02500000002' })
})

t.test('an inbound fax goes before a waiting job, and is answered even when outbound holds the channel', async (t) => {
  const h = await faxHarness(t)
  await h.service.submitJob({ document: pdf, destination: '02500000001' })
  await h.until(() => h.port.sent.length === 1)
  await h.service.submitJob({ document: pdf, destination: '02500000002' })
  h.service.onCallArrived(faxCall('in-1'))
  await h.until(() => h.port.received.length === 1)
  t.pass('the inbound fax is answered while outbound holds the only channel')
  h.service.onFaxResult(forLeg(cap.txOk, h.port.answerSend()))
  await h.service.flush()
  t.equal(h.port.sent.length, 1, 'the waiting job does not start while the inbound fax runs')
  h.service.onFaxResult(forLeg(cap.rxOk, 'in-1'))
  h.port.finishReceive('in-1')
  await h.until(() => h.port.sent.length === 2)
  t.match(h.port.sent[1], { dial: 'sofia/gateway/e1-span-1/02500000002' })
})

t.test('when every trunk is full the job is held, not failed, and dialled once a trunk frees up', async (t) => {
  const h = await faxHarness(t)
  h.trunk.choice = { kind: 'hold', reason: 'all-trunks-full' }
  const job = await h.service.submitJob({ document: pdf, destination: '02588881234' })
  await h.service.flush()
  t.match(job.ok && (await h.service.getJob(job.value.id)), { status: 'held', attempts: 0 })
  t.equal(h.port.sent.length, 0)
  h.trunk.choice = { kind: 'use-trunk', trunk: 'carrier' }
  h.clock.advance(seconds(30))
  await h.until(() => h.port.sent.length === 1)
  t.match(h.port.sent[0], { dial: 'sofia/gateway/carrier/02588881234' })
})

t.test('an answered fax with no result before the attempt deadline counts as a failed attempt', async (t) => {
  const h = await faxHarness(t)
  const job = await h.service.submitJob({ document: pdf, destination: '02588881234' })
  await h.until(() => h.port.sent.length === 1)
  h.port.answerSend()
  await h.service.flush()
  h.clock.advance(h.config.attemptTimeoutMs)
  await h.service.flush()
  t.match(job.ok && (await h.service.getJob(job.value.id)), { status: 'retrying', attemptLog: [{ outcome: 'fax-failed', resultText: /no fax result/ }] })
})

t.test('bad submissions are refused with a clear code and queue nothing', async (t) => {
  const h = await faxHarness(t)
  t.match(await h.service.submitJob({ document: pdf, destination: 'call me' }), { ok: false, error: { code: 'fax-destination-invalid' } })
  t.match(await h.service.submitJob({ document: Buffer.from('hello'), destination: '02588881234' }), { ok: false, error: { code: 'fax-document-unsupported' } })
  t.match(await h.service.submitJob({ document: Buffer.alloc(0), destination: '02588881234' }), { ok: false, error: { code: 'fax-document-empty' } })
  t.same(await h.service.listJobs({}), [])
})

t.test('after a restart an unfinished job resumes, its interrupted attempt counted', async (t) => {
  const h = await faxHarness(t)
  const now = h.clock.now()
  await h.store.insertJob({ id: 'j-old', destination: '02588881234', status: 'sending', createdAt: now, updatedAt: now, sourceKind: 'pdf', tiffPath: '/x.tif', pages: 1, attempts: 1 })
  await h.store.startAttempt({ jobId: 'j-old', attempt: 1, startedAt: now })
  await h.service.start()
  await h.until(() => h.port.sent.length === 1)
  await h.service.flush()
  t.match(await h.service.getJob('j-old'), { status: 'sending', attempts: 2, attemptLog: [{ attempt: 1, outcome: 'dial-failed', cause: 'HOTLINE_RESTARTED' }, { attempt: 2 }] })
})

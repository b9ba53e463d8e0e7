import t from 'tap'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { type Failure, ok, type Result } from '../shared/index.ts'
import { EslRecorder } from './index.ts'
import { bridged, DAY, ended, recordingSetup, unbridged } from './recording.test-support.ts'

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')


t.test('an agent call produces a recording row and a file, complete with size, duration and sha256 at hangup', async (t) => {
  const { store, clock, service, sw, root, logs } = await recordingSetup(t)
  service.onCallEvent(bridged('c1'))
  await service.flush()
  t.match(await store.get('c1-1'), { status: 'recording', agentId: 'lin', queue: 'general', customer: 'A-1001', callerNumber: '13800000021', channels: 1 })
  t.same(sw.commands, [`uuid_record leg-c1 start ${root}/2026/11/02/c1-1.wav`])
  clock.advance(5000)
  service.onCallEvent(ended('c1', clock.now()))
  await service.flush()
  const rec = await store.get('c1-1')
  t.match(rec, { status: 'complete', durationMs: 5000, sizeBytes: 44 + 5 * 16000, format: 'wav', retentionClass: 'standard', legalHold: false, keepUntil: rec!.startedAt + 31 * DAY })
  t.ok(existsSync(rec!.file))
  t.equal(rec!.sha256, sha(rec!.file))
  t.same(logs.filter((l) => l.level === 'error'), [])
})

t.test('stereo sets RECORD_STEREO on the leg before the start and stores two channels', async (t) => {
  const { store, service, sw } = await recordingSetup(t, { stereo: true })
  service.onCallEvent(bridged('c1'))
  await service.flush()
  t.match(sw.commands, ['uuid_setvar leg-c1 RECORD_STEREO true', /^uuid_record leg-c1 start /])
  t.match(await store.get('c1-1'), { channels: 2 })
})

t.test('a caller hanging up mid-recording completes the recording (FreeSWITCH stops it itself)', async (t) => {
  const { store, clock, service, sw, logs } = await recordingSetup(t)
  service.onCallEvent(bridged('c1'))
  await service.flush()
  clock.advance(2000)
  sw.hangup('leg-c1') // RECORD_STOP success-silence comes before our unbridge (fact 14)
  service.onCallEvent(unbridged('c1'))
  service.onCallEvent(ended('c1', clock.now()))
  await service.flush()
  t.match(await store.get('c1-1'), { status: 'complete', durationMs: 2000, sizeBytes: 44 + 2 * 16000 })
  t.same(logs.filter((l) => l.level === 'error'), [])
  t.ok(logs.some((l) => /stop refused/.test(l.msg)), 'the refused stop is noted, not an error')
})

t.test('a start FreeSWITCH refuses is flagged failed, logged and announced, and nothing is stopped later', async (t) => {
  const { store, clock, service, sw, logs, events } = await recordingSetup(t)
  sw.refuseStart = true
  service.onCallEvent(bridged('c1'))
  service.onCallEvent(ended('c1', clock.now()))
  await service.flush()
  t.match(await store.get('c1-1'), { status: 'failed', problem: /-ERR Cannot record session/ })
  t.ok(logs.some((l) => l.level === 'error' && /refused to start/.test(l.msg)))
  t.match(events, [{ type: 'recording-failed', id: 'c1-1', status: 'failed' }])
  t.notOk(sw.commands.some((c) => c.includes(' stop ')))
})

t.test('a RECORD_STOP whose file is not on disk is flagged missing-file and logged, never lost', async (t) => {
  const { store, clock, service, sw, logs, events } = await recordingSetup(t)
  sw.writesFiles = false
  service.onCallEvent(bridged('c1'))
  await service.flush()
  clock.advance(3000)
  service.onCallEvent(ended('c1', clock.now()))
  await service.flush()
  t.match(await store.get('c1-1'), { status: 'missing-file', durationMs: 3000, problem: /RECORD_STOP success-maxtime, but .*c1-1\.wav is not on disk/ })
  t.ok(logs.some((l) => l.level === 'error' && /not on disk/.test(l.msg)))
  t.match(events.at(-1), { type: 'recording-failed', status: 'missing-file' })
})

t.test('pause and resume mask the recording and are stored as spans; wrong sequences are refused', async (t) => {
  const { store, clock, service, sw } = await recordingSetup(t)
  service.onCallEvent(bridged('c1'))
  await service.flush()
  clock.advance(2000)
  t.match(await service.pause('c1-1'), { ok: true, value: { pauses: [{ startMs: 2000 }] } })
  t.match(await service.pause('c1-1'), { ok: false, error: { code: 'recording-already-paused' } })
  clock.advance(2000)
  t.match(await service.resume('c1-1'), { ok: true, value: { pauses: [{ startMs: 2000, endMs: 4000 }] } })
  t.match(await service.resume('c1-1'), { ok: false, error: { code: 'recording-not-paused' } })
  clock.advance(1000)
  t.ok((await service.pause('c1-1')).ok)
  clock.advance(1000)
  service.onCallEvent(ended('c1', clock.now()))
  await service.flush()
  t.match(await store.get('c1-1'), { status: 'complete', pauses: [{ startMs: 2000, endMs: 4000 }, { startMs: 5000, endMs: 6000 }] })
  t.match(sw.commands.filter((c) => / (un)?mask /.test(c)), [/ mask /, / unmask /, / mask /])
  t.match(await service.pause('c1-1'), { ok: false, error: { code: 'recording-not-active' } })
  t.match(await service.pause('nope'), { ok: false, error: { code: 'recording-not-found' } })
})

t.test('a transfer gives one recording per agent segment, all linked to the call', async (t) => {
  const contexts = { 'c1/leg-lin': { agentId: 'lin' }, 'c1/leg-mei': { agentId: 'mei' } }
  const { store, clock, service } = await recordingSetup(t, { contexts })
  service.onCallEvent(bridged('c1', 'leg-lin'))
  await service.flush()
  clock.advance(4000)
  service.onCallEvent(bridged('c1', 'leg-mei'))
  await service.flush()
  clock.advance(6000)
  service.onCallEvent(ended('c1', clock.now()))
  await service.flush()
  t.match(await store.listByCall('c1'), [{ id: 'c1-1', agentId: 'lin', status: 'complete', durationMs: 4000 }, { id: 'c1-2', agentId: 'mei', status: 'complete', durationMs: 6000 }])
})

t.test('when no RECORD_STOP comes, the file on disk closes the recording after the grace period', async (t) => {
  const { store, clock, service, sw } = await recordingSetup(t)
  sw.firesStop = false
  service.onCallEvent(bridged('c1'))
  await service.flush()
  clock.advance(3000)
  service.onCallEvent(ended('c1', clock.now()))
  await service.flush()
  t.match(await store.get('c1-1'), { status: 'recording' })
  clock.advance(60_000)
  await service.flush()
  t.match(await store.get('c1-1'), { status: 'complete', durationMs: 3000, sizeBytes: 44 + 3 * 16000 })
})

t.test('a call flagged as an order keeps its recordings a year', async (t) => {
  const { store, service } = await recordingSetup(t)
  service.onCallEvent(bridged('c1'))
  service.markOrder('c1')
  await service.flush()
  const rec = await store.get('c1-1')
  t.match(rec, { retentionClass: 'order', keepUntil: rec!.startedAt + 365 * DAY })
})

t.test('unusable record events are logged and dropped; a stop of a file not ours changes nothing', async (t) => {
  const { service, logs, store } = await recordingSetup(t)
  service.onRecordEvent({ 'Event-Name': 'RECORD_STOP', 'Unique-ID': 'x' })
  service.onRecordEvent({ 'Event-Name': 'RECORD_STOP', 'Unique-ID': 'x', 'Record-File-Path': '/elsewhere/voicemail.wav' })
  service.onRecordEvent({ 'Event-Name': 'HEARTBEAT' })
  await service.flush()
  t.match(logs, [{ level: 'warn', o: { problem: 'RECORD_STOP without Record-File-Path' } }])
  t.same(await store.search({}), [])
})

t.test('the ESL recorder sends RECORD_STEREO before uuid_record and turns -ERR into switch-refused', async (t) => {
  const sent: string[] = []
  const replies: Record<string, Result<string, Failure>> = { mask: ok('-ERR Cannot mask recording session!\n') }
  const rec = new EslRecorder((cmd) => {
    sent.push(cmd)
    return Promise.resolve(replies[cmd.split(' ')[2] ?? ''] ?? ok(cmd.startsWith('uuid_setvar') ? '+OK\n' : '+OK Success\n'))
  })
  t.same(await rec.start('u1', '/r/a.wav', { stereo: true }), { ok: true, value: undefined })
  t.same(await rec.stop('u1', '/r/a.wav'), { ok: true, value: undefined })
  t.match(await rec.mask('u1', '/r/a.wav'), { ok: false, error: { code: 'switch-refused', message: /Cannot mask recording session/ } })
  t.same(sent, ['uuid_setvar u1 RECORD_STEREO true', 'uuid_record u1 start /r/a.wav', 'uuid_record u1 stop /r/a.wav', 'uuid_record u1 mask /r/a.wav'])
  const down = new EslRecorder(() => Promise.resolve({ ok: false, error: { code: 'esl-timeout', message: 'no reply in 5000 ms' } }))
  t.match(await down.unmask('u1', '/r/a.wav'), { ok: false, error: { code: 'switch-unreachable', message: /uuid_record: no reply/ } })
})

import t, { type Test } from 'tap'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Bus, FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import {
  defaultRecordingPolicy, defaultRetention, diskRecordingFiles, keepUntil, KnexRecordingStore, recordingPath, RetentionSweeper,
  type RecordingEvent, type RecordingFiles,
} from './index.ts'

const DAY = 86_400_000

async function setup(t: Test, files: RecordingFiles = diskRecordingFiles, freeSpaceAlarmBytes = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-'))
  const db = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const store = new KnexRecordingStore(db)
  const clock = new FakeClock()
  const root = join(dir, 'recordings')
  mkdirSync(root)
  const logs: Array<{ level: string; o: object; msg: string }> = []
  const log = { info: (o: object, msg: string) => logs.push({ level: 'info', o, msg }), warn: (o: object, msg: string) => logs.push({ level: 'warn', o, msg }), error: (o: object, msg: string) => logs.push({ level: 'error', o, msg }) }
  const events: RecordingEvent[] = []
  const bus = new Bus<RecordingEvent>()
  bus.subscribe((e) => void events.push(e))
  const sweeper = new RetentionSweeper({ store, files, clock, log, events: bus }, { root, freeSpaceAlarmBytes })
  const t0 = clock.now()
  /** A complete recording started at t0, with its file on disk. */
  async function recorded(callId: string, retentionClass = 'standard') {
    const file = recordingPath(defaultRecordingPolicy(root), callId, 1, 'agent', t0)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, Buffer.alloc(1000, 1))
    await store.insert({
      id: `${callId}-1`, callId, segment: 1, kind: 'agent', leg: 'l', agentId: 'lin', queue: 'general', customer: undefined, callerNumber: undefined,
      file, format: 'wav', channels: 1, retentionClass, startedAt: t0, keepUntil: keepUntil(t0, retentionClass, defaultRetention),
    })
    await store.finish(`${callId}-1`, { status: 'complete', endedAt: t0 + 1000, durationMs: 1000, sizeBytes: 1000, sha256: 'x', pauses: [], problem: undefined })
    return file
  }
  return { store, clock, sweeper, logs, events, recorded, root, t0 }
}

t.test('a recording is kept on day 30 and deleted on day 32, with one audit row and a log line', async (t) => {
  const { store, clock, sweeper, recorded, logs, events } = await setup(t)
  const file = await recorded('c1')
  clock.advance(30 * DAY)
  t.match(await sweeper.sweep(), { deleted: 0 })
  t.ok(existsSync(file))
  clock.advance(2 * DAY)
  t.match(await sweeper.sweep(), { deleted: 1 })
  t.notOk(existsSync(file))
  t.match(await store.get('c1-1'), { status: 'deleted' })
  t.match(await store.deletions(), [{ recordingId: 'c1-1', filePath: file, fileWasPresent: true, deletedAt: clock.now() }])
  t.ok(logs.some((l) => l.msg === 'recording: deleted after retention' && (l.o as { recording: string }).recording === 'c1-1'))
  t.match(events, [{ type: 'recording-deleted', id: 'c1-1' }])
  t.match(await sweeper.sweep(), { deleted: 0, alreadyGone: 0 }, 'sweeping again changes nothing')
  t.equal((await store.deletions()).length, 1)
})

t.test('a recording on legal hold is never deleted, and is once the hold is lifted', async (t) => {
  const { store, clock, sweeper, recorded } = await setup(t)
  const file = await recorded('c1')
  t.ok(await store.setLegalHold('c1-1', true, 'complaint 2026-118'))
  clock.advance(400 * DAY)
  await sweeper.sweep()
  t.ok(existsSync(file))
  t.match(await store.get('c1-1'), { status: 'complete', legalHold: true, holdReason: 'complaint 2026-118' })
  await store.setLegalHold('c1-1', false, undefined)
  t.match(await sweeper.sweep(), { deleted: 1 })
})

t.test('an order recording is kept a year and deleted after 366 days', async (t) => {
  const { clock, sweeper, recorded } = await setup(t)
  const file = await recorded('c1', 'order')
  clock.advance(364 * DAY)
  await sweeper.sweep()
  t.ok(existsSync(file))
  clock.advance(2 * DAY)
  t.match(await sweeper.sweep(), { deleted: 1 })
  t.notOk(existsSync(file))
})

t.test('a sweep interrupted after claiming is finished by a later sweep, whether or not it removed the file', async (t) => {
  const { store, clock, sweeper, recorded } = await setup(t)
  const kept = await recorded('c1')
  const gone = await recorded('c2')
  clock.advance(32 * DAY)
  // The dead sweep claimed both and removed one file before it died.
  t.equal((await store.claimDue(clock.now(), 'dead-sweep', 10)).length, 2)
  rmSync(gone)
  t.match(await sweeper.sweep(), { deleted: 0, alreadyGone: 0 }, 'a fresh claim may belong to a sweep still running: left alone')
  clock.advance(DAY)
  t.match(await sweeper.sweep(), { deleted: 1, alreadyGone: 1 })
  t.notOk(existsSync(kept))
  t.match(await store.deletions(), [{ recordingId: 'c1-1', fileWasPresent: true }, { recordingId: 'c2-1', fileWasPresent: false }].sort((a, b) => a.recordingId.localeCompare(b.recordingId)))
  t.match(await store.listByCall('c2'), [{ status: 'deleted' }])
})

t.test('two sweeps at once delete each file once and log each deletion once', async (t) => {
  const removed: string[] = []
  const counting: RecordingFiles = { ...diskRecordingFiles, remove: async (f) => { removed.push(f); return diskRecordingFiles.remove(f) } }
  const { clock, sweeper, recorded, store } = await setup(t, counting)
  for (let i = 0; i < 20; i++) await recorded(`c${i}`)
  clock.advance(32 * DAY)
  const [a, b] = await Promise.all([sweeper.sweep(), sweeper.sweep()])
  t.equal(a.deleted + b.deleted, 20)
  t.equal(removed.length, 20)
  t.equal(new Set(removed).size, 20)
  t.equal((await store.deletions()).length, 20)
})

t.test('a file that cannot be removed stays complete and is retried by the next sweep', async (t) => {
  let broken = true
  const flaky: RecordingFiles = { ...diskRecordingFiles, remove: (f) => (broken ? Promise.reject(new Error('EACCES: permission denied')) : diskRecordingFiles.remove(f)) }
  const { clock, sweeper, recorded, store, logs } = await setup(t, flaky)
  await recorded('c1')
  clock.advance(32 * DAY)
  t.match(await sweeper.sweep(), { deleted: 0, failed: 1 })
  t.match(await store.get('c1-1'), { status: 'complete' })
  t.ok(logs.some((l) => l.level === 'error' && /could not delete/.test(l.msg)))
  broken = false
  t.match(await sweeper.sweep(), { deleted: 1 })
})

t.test('the sweeper runs daily on the clock and stops when told', async (t) => {
  const { clock, sweeper, recorded, store } = await setup(t)
  await recorded('c1')
  sweeper.start()
  clock.advance(30 * DAY)
  await sweeper.idle()
  t.match(await store.get('c1-1'), { status: 'complete' })
  clock.advance(2 * DAY)
  await sweeper.idle()
  t.match(await store.get('c1-1'), { status: 'deleted' })
  sweeper.stop()
  t.equal(clock.pendingTimers, 0)
})

t.test('disk usage counts the bytes under the root and raises an alarm below the free-space threshold', async (t) => {
  const { sweeper, recorded, events, logs } = await setup(t)
  await recorded('c1')
  await recorded('c2')
  const report = await sweeper.disk()
  t.match(report, { usedBytes: 2000, files: 2, alarm: false })
  t.ok(report.freeBytes > 0 && report.totalBytes >= report.freeBytes)
  const tight = await setup(t, { ...diskRecordingFiles, disk: () => Promise.resolve({ usedBytes: 9, files: 1, freeBytes: 100, totalBytes: 1000 }) }, 1024)
  t.match(await tight.sweeper.disk(), { alarm: true, freeBytes: 100, thresholdBytes: 1024 })
  t.match(tight.events, [{ type: 'recording-disk-low', freeBytes: 100, thresholdBytes: 1024 }])
  t.ok(tight.logs.some((l) => l.level === 'error' && /free space/.test(l.msg)))
  t.same(events, [])
  t.same(logs.filter((l) => l.level === 'error'), [])
})

/** A recording service on a temp SQLite store, a FakeClock and a fake switch. Test support only. */
import type { Test } from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Call, CallEvent } from '../calls/index.ts'
import { callId, channelUuid, FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { FakeRecorderSwitch } from './fake-switch.test-support.ts'
import {
  defaultRecordingPolicy, defaultRetention, diskRecordingFiles, KnexRecordingStore, RecordingService,
  type CallContext, type RecordingEvent,
} from './index.ts'

export const DAY = 86_400_000

export async function recordingSetup(t: Test, o: { stereo?: boolean; contexts?: Record<string, CallContext> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rec-'))
  const db = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  t.teardown(() => closeStore(db))
  await migrateLatest(db)
  const store = new KnexRecordingStore(db)
  const clock = new FakeClock()
  const sw = new FakeRecorderSwitch(clock)
  const logs: Array<{ level: string; o: object; msg: string }> = []
  const log = { info: (o: object, msg: string) => logs.push({ level: 'info', o, msg }), warn: (o: object, msg: string) => logs.push({ level: 'warn', o, msg }), error: (o: object, msg: string) => logs.push({ level: 'error', o, msg }) }
  const root = join(dir, 'recordings')
  const service = new RecordingService({
    store, recorder: sw, files: diskRecordingFiles, clock, log, policy: { ...defaultRecordingPolicy(root), stereo: o.stereo ?? false }, retention: defaultRetention,
    contextOf: (id, agentLeg) => o.contexts?.[`${id}/${agentLeg}`] ?? { agentId: 'lin', queue: 'general', customer: 'A-1001', callerNumber: '13800000021' },
  })
  sw.emit = (h) => service.onRecordEvent(h)
  const events: RecordingEvent[] = []
  service.events.subscribe((e) => void events.push(e))
  return { db, store, clock, sw, service, logs, events, root }
}

export const bridged = (id: string, agentLeg = 'leg-a'): CallEvent => ({ type: 'call-bridged', callId: callId(id), customerLeg: channelUuid(`leg-${id}`), agentLeg: channelUuid(agentLeg) })
export const unbridged = (id: string): CallEvent => ({ type: 'call-unbridged', callId: callId(id), customerLeg: channelUuid(`leg-${id}`), agentLeg: undefined })
export const ended = (id: string, at: number): CallEvent => {
  const call: Call = {
    id: callId(id), customerLeg: channelUuid(`leg-${id}`), entry: '96200', did: '96200', region: undefined, caller: { number: '13800000021', name: 'x' },
    arrivedAt: at - 60_000, answeredAt: at - 50_000, agentLeg: undefined, ended: { at, cause: 'NORMAL_CLEARING' }, vars: {},
  }
  return { type: 'call-ended', call }
}


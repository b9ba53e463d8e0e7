import t from 'tap'
import {
  byteRange, checkPathPattern, checkScoreSheet, closePauses, decideSegment, defaultRecordingPolicy, defaultRetention, keepUntil,
  newCallRecordings, parseRecordEvent, pauseAt, recordingPath, resumeAt, scoreTotal, shouldRecordAgentCall, wavDurationMs,
  type SegmentConfig,
} from './index.ts'
import { capturedRecordEvents } from '../record-events.test-support.ts'

const DAY = 86_400_000
const at = Date.UTC(2026, 10, 2, 23, 30, 0) // 07:30 on 3 Nov in China
const cfg = (over: Partial<SegmentConfig['policy']> = {}): SegmentConfig => ({ policy: { ...defaultRecordingPolicy('/rec'), ...over }, retention: defaultRetention })

t.test('every agent call is recorded unless an agent override, then a queue override, says otherwise', (t) => {
  const p = { ...defaultRecordingPolicy('/rec'), queues: { vip: false, sales: true }, agents: { lin: true, mei: false } }
  t.equal(shouldRecordAgentCall(p, { agentId: 'zhao', queue: 'general' }), true)
  t.equal(shouldRecordAgentCall(p, { agentId: 'zhao', queue: 'vip' }), false)
  t.equal(shouldRecordAgentCall(p, { agentId: 'lin', queue: 'vip' }), true, 'the agent override beats the queue')
  t.equal(shouldRecordAgentCall(p, { agentId: 'mei', queue: 'sales' }), false)
  t.equal(shouldRecordAgentCall({ ...p, recordAgentCalls: false }, { queue: 'sales' }), true)
  t.end()
})

t.test('files are laid out by date in the center’s local time, configurable, and safe for uuid_record', (t) => {
  t.equal(recordingPath(defaultRecordingPolicy('/rec/'), 'c1', 2, 'agent', at), '/rec/2026/11/02/c1-2.wav')
  t.equal(recordingPath({ ...defaultRecordingPolicy('/rec'), utcOffsetMinutes: 480 }, 'c1', 1, 'agent', at), '/rec/2026/11/03/c1-1.wav')
  const custom = { ...defaultRecordingPolicy('/rec'), pathPattern: '{yyyy}{mm}/{kind}/{callId}_{segment}.{ext}', format: 'mp3' as const }
  t.equal(recordingPath(custom, 'c 1/../x', 1, 'consent', at), '/rec/202611/consent/c_1_.._x_1.mp3')
  t.equal(checkPathPattern('{yyyy}/{callId}-{segment}.{ext}'), undefined)
  t.match(checkPathPattern('{yyyy}/{callid}-{segment}.{ext}'), /unknown placeholder.*\{callid\}/)
  t.match(checkPathPattern('my recs/{callId}-{segment}.wav'), /spaces/)
  t.match(checkPathPattern('../{callId}-{segment}.wav'), /inside the recordings root/)
  t.match(checkPathPattern('{yyyy}/{mm}.wav'), /\{callId\} and \{segment\}/)
  t.end()
})

t.test('keep-until is the class minimum but never less than the 31-day floor', (t) => {
  t.equal(keepUntil(at, 'standard', defaultRetention), at + 31 * DAY)
  t.equal(keepUntil(at, 'order', defaultRetention), at + 365 * DAY)
  t.equal(keepUntil(at, 'short', { ...defaultRetention, classes: { short: { minimumDays: 7 } } }), at + 31 * DAY)
  t.equal(keepUntil(at, 'unknown-class', defaultRetention), at + 31 * DAY)
  t.end()
})

t.test('a bridge starts a recording of the customer leg with its retention, stereo when configured', (t) => {
  const r = decideSegment(newCallRecordings('c1'), { type: 'call-bridged', customerLeg: 'leg-c', context: { agentId: 'lin', queue: 'general', order: true } }, cfg({ stereo: true }), at)
  t.match(r.effects, [{ type: 'start-recording', stereo: true, recording: { id: 'c1-1', leg: 'leg-c', agentId: 'lin', channels: 2, retentionClass: 'order', keepUntil: at + 365 * DAY, file: '/rec/2026/11/02/c1-1.wav' } }])
  t.end()
})

t.test('a transfer ends one segment and starts the next, each with its own agent', (t) => {
  const one = decideSegment(newCallRecordings('c1'), { type: 'call-bridged', customerLeg: 'leg-c', context: { agentId: 'lin' } }, cfg(), at)
  const two = decideSegment(one.state, { type: 'call-bridged', customerLeg: 'leg-c', context: { agentId: 'mei' } }, cfg(), at + 60_000)
  t.match(two.effects, [{ type: 'stop-recording', recordingId: 'c1-1' }, { type: 'start-recording', recording: { id: 'c1-2', segment: 2, agentId: 'mei' } }])
  const ended = decideSegment(two.state, { type: 'call-ended' }, cfg(), at + 120_000)
  t.same(ended.effects, [{ type: 'stop-recording', recordingId: 'c1-2', leg: 'leg-c', file: '/rec/2026/11/02/c1-2.wav' }])
  t.same(decideSegment(ended.state, { type: 'call-ended' }, cfg(), at).effects, [], 'a repeated end stops nothing')
  t.end()
})

t.test('a consultation hold (unbridge) stops the segment and the re-bridge starts a new one', (t) => {
  const one = decideSegment(newCallRecordings('c1', 4), { type: 'call-bridged', customerLeg: 'leg-c', context: { agentId: 'lin' } }, cfg(), at)
  const held = decideSegment(one.state, { type: 'call-unbridged' }, cfg(), at)
  t.match(held.effects, [{ type: 'stop-recording', recordingId: 'c1-5' }], 'numbering continues from the store after a restart')
  t.match(decideSegment(held.state, { type: 'call-bridged', customerLeg: 'leg-c', context: { agentId: 'lin' } }, cfg(), at).effects, [{ type: 'start-recording', recording: { id: 'c1-6' } }])
  t.end()
})

t.test('an overridden queue records nothing, and a refused start leaves nothing to stop', (t) => {
  const off = decideSegment(newCallRecordings('c1'), { type: 'call-bridged', customerLeg: 'l', context: { queue: 'vip' } }, cfg({ queues: { vip: false } }), at)
  t.same(off.effects, [])
  const on = decideSegment(newCallRecordings('c1'), { type: 'call-bridged', customerLeg: 'l', context: {} }, cfg(), at)
  const failed = decideSegment(on.state, { type: 'start-failed', recordingId: 'c1-1' }, cfg(), at)
  t.same(decideSegment(failed.state, { type: 'call-ended' }, cfg(), at).effects, [])
  t.end()
})

t.test('a consent prompt is recorded when the flow asks, and stops at consent-done or at the bridge', (t) => {
  const c = decideSegment(newCallRecordings('c1'), { type: 'record-consent', leg: 'leg-c', context: {} }, cfg(), at)
  t.match(c.effects, [{ type: 'start-recording', recording: { kind: 'consent', id: 'c1-1' } }])
  t.match(decideSegment(c.state, { type: 'consent-done' }, cfg(), at).effects, [{ type: 'stop-recording', recordingId: 'c1-1' }])
  t.match(decideSegment(c.state, { type: 'call-bridged', customerLeg: 'leg-c', context: {} }, cfg(), at).effects, [{ type: 'stop-recording', recordingId: 'c1-1' }, { type: 'start-recording', recording: { kind: 'agent', id: 'c1-2' } }])
  t.end()
})

t.test('a call flagged as an order upgrades its retention once and its later segments', (t) => {
  const o = decideSegment(newCallRecordings('c1'), { type: 'call-is-order' }, cfg(), at)
  t.same(o.effects, [{ type: 'upgrade-retention', callId: 'c1', retentionClass: 'order' }])
  t.same(decideSegment(o.state, { type: 'call-is-order' }, cfg(), at).effects, [])
  t.match(decideSegment(o.state, { type: 'call-bridged', customerLeg: 'l', context: {} }, cfg(), at).effects, [{ recording: { retentionClass: 'order' } }])
  t.end()
})

t.test('pauses are spans with offsets; pausing twice or resuming unpaused is refused', (t) => {
  const p = pauseAt([], 2000)
  t.ok(p.ok)
  if (!p.ok) return t.end()
  t.same(pauseAt(p.value, 2500), { ok: false, error: 'recording-already-paused' })
  t.same(resumeAt(p.value, 4000), { ok: true, value: [{ startMs: 2000, endMs: 4000 }] })
  t.same(resumeAt([], 1), { ok: false, error: 'recording-not-paused' })
  t.same(closePauses(p.value, 6000), [{ startMs: 2000, endMs: 6000 }], 'a recording stopped while paused closes the span')
  t.end()
})

t.test('captured RECORD_START and RECORD_STOP events parse to the file, cause, size and duration', (t) => {
  const facts = capturedRecordEvents().map(parseRecordEvent)
  const stops = facts.flatMap((f) => (f?.ok && f.value.kind === 'stopped' ? [f.value] : []))
  t.equal(facts.filter((f) => f?.ok && f.value.kind === 'started').length, 7)
  t.equal(stops.length, 7)
  t.match(stops[0], { file: '/usr/local/freeswitch/recordings/hotline-mono-4d7eb8be-2fa7-4f07-b750-d8bdaa7aadfd.wav', cause: 'success-maxtime', durationMs: 3000, reportedSize: 48044 })
  t.ok(stops.some((s) => s.cause === 'success-silence' && s.durationMs === 2000), 'the hang-up stop is there')
  t.equal(parseRecordEvent({ 'Event-Name': 'CHANNEL_ANSWER' }), undefined)
  t.same(parseRecordEvent({ 'Event-Name': 'RECORD_STOP', 'Unique-ID': 'x' }), { ok: false, error: 'RECORD_STOP without Record-File-Path' })
  t.match(parseRecordEvent({ 'Event-Name': 'RECORD_STOP', 'Record-File-Path': '/f.wav', variable_record_ms: 'abc' }), { ok: true, value: { durationMs: undefined } })
  t.end()
})

t.test('a WAV header gives the duration; anything else gives none', (t) => {
  const h = new Uint8Array(44)
  h.set(new TextEncoder().encode('RIFF'), 0)
  h.set(new TextEncoder().encode('WAVEfmt '), 8)
  new DataView(h.buffer).setUint32(28, 32000, true) // stereo 8 kHz 16-bit
  t.equal(wavDurationMs(h, 192044), 6000, 'fact 15: 6 s stereo is 192044 bytes')
  t.equal(wavDurationMs(new Uint8Array(44), 1000), undefined)
  t.equal(wavDurationMs(h.subarray(0, 10), 1000), undefined)
  t.end()
})

t.test('byte ranges: first bytes, middle, open end, suffix, unsatisfiable, and ignored garbage', (t) => {
  t.same(byteRange(undefined, 1000), { kind: 'whole' })
  t.same(byteRange('bytes=0-99', 1000), { kind: 'partial', start: 0, end: 99 })
  t.same(byteRange('bytes=400-599', 1000), { kind: 'partial', start: 400, end: 599 })
  t.same(byteRange('bytes=900-', 1000), { kind: 'partial', start: 900, end: 999 })
  t.same(byteRange('bytes=900-5000', 1000), { kind: 'partial', start: 900, end: 999 })
  t.same(byteRange('bytes=-500', 1000), { kind: 'partial', start: 500, end: 999 })
  t.same(byteRange('bytes=-5000', 1000), { kind: 'partial', start: 0, end: 999 })
  t.same(byteRange('bytes=1000-', 1000), { kind: 'unsatisfiable' })
  t.same(byteRange('bytes=5-2', 1000), { kind: 'unsatisfiable' })
  t.same(byteRange('bytes=-0', 1000), { kind: 'unsatisfiable' })
  t.same(byteRange('bytes=0-1,5-9', 1000), { kind: 'whole' })
  t.same(byteRange('items=0-1', 1000), { kind: 'whole' })
  t.end()
})

t.test('a score sheet needs unique criteria whose weights sum to 100; the total is a weighted percentage', (t) => {
  const criteria = [{ key: 'greeting', label: 'Greeting', weight: 20, max: 5 }, { key: 'solution', label: 'Solved it', weight: 80, max: 10 }]
  t.same(checkScoreSheet(criteria), { ok: true, value: undefined })
  t.match(checkScoreSheet([{ key: 'a', label: 'A', weight: 60, max: 5 }]), { ok: false, error: /sum to 100, not 60/ })
  t.match(checkScoreSheet([...criteria, { key: 'greeting', label: 'again', weight: 0, max: 1 }]), { ok: false, error: /unique/ })
  t.match(checkScoreSheet([]), { ok: false })
  const sheet = { id: 's', name: 'n', criteria }
  t.same(scoreTotal(sheet, { greeting: 5, solution: 5 }), { ok: true, value: 60 })
  t.match(scoreTotal(sheet, { greeting: 6, solution: 5 }), { ok: false, error: /outside 0..5/ })
  t.match(scoreTotal(sheet, { greeting: 5 }), { ok: false, error: /solution is not scored/ })
  t.match(scoreTotal(sheet, { greeting: 5, solution: 1, extra: 1 }), { ok: false, error: /unknown criteria: extra/ })
  t.end()
})

/**
 * Forty trunk callers at once against the default thirty IVR ports (ivr.maxPorts 30): thirty hear
 * the welcome, ten get the overflow treatment (ivr.overflowQueue, `general`: hold music in the
 * queue), nobody hears silence (a prompt or hold music within a short deadline of arriving, read
 * off the PBX), and the switch refuses nobody (no `Throttle Error`: vars.xml sessions_per_second).
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { EslEvent } from '../../src/esl/index.ts'
import { labUnavailable } from './support/freeswitch-instance.ts'
import type { LogLine } from './support/hotline-process.ts'
import { placeTrunkCall, startLab } from './support/lab.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(300_000)

const CALLERS = 40
const PORTS = 30
/** How long a caller may wait for the first sound after the PBX sees the call. */
const FIRST_SOUND_MS = 8_000

t.test(`${CALLERS} callers at once with ${PORTS} IVR ports: ${CALLERS - PORTS} overflow to the queue, none hears silence, the switch refuses none`, { skip }, async (t) => {
  const lab = await startLab(t)
  const w = lab.pbxWatch
  const since = w.mark
  const numbers = Array.from({ length: CALLERS }, (_, i) => `1370000${String(i).padStart(4, '0')}`)
  const placed = await Promise.allSettled(numbers.map((from) => placeTrunkCall(lab, { from })))
  const refused = placed.filter((p) => p.status === 'rejected').map((p) => String((p).reason))
  t.same(refused, [], 'every call was put through by the switch')
  const calls = placed.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []))

  const sound = (e: EslEvent): 'prompt' | 'hold' | undefined => {
    if (e.name === 'PLAYBACK_START') return (e.header('Playback-File-Path') ?? '').includes('local_stream://') ? 'hold' : 'prompt'
    if (e.name === 'CHANNEL_EXECUTE' && (e.header('Application-Data') ?? '').includes('local_stream://moh')) return 'hold'
    return undefined
  }
  const heard = await Promise.allSettled(calls.map(async (c) => {
    const created = w.events.slice(since).find((e) => e.name === 'CHANNEL_CREATE' && e.header('Unique-ID') === c.leg)
    const first = await w.next((e) => e.header('Unique-ID') === c.leg && sound(e) !== undefined, `a first sound for ${c.leg}`, { since, timeoutMs: 30_000 })
    const waitedMs = Number(first.header('Event-Date-Timestamp')) / 1000 - Number(created?.header('Event-Date-Timestamp') ?? 0) / 1000
    const welcome = (first.header('Playback-File-Path') ?? '').includes('welcome.wav')
    return { leg: c.leg, kind: sound(first), welcome, waitedMs }
  }))
  const got = heard.flatMap((h) => (h.status === 'fulfilled' ? [h.value] : []))
  t.same(heard.filter((h) => h.status === 'rejected').map((h) => String((h).reason)), [], 'every caller heard something')
  const slow = got.filter((g) => g.waitedMs > FIRST_SOUND_MS)
  t.same(slow, [], `nobody waited in silence more than ${FIRST_SOUND_MS} ms`)
  t.equal(got.filter((g) => g.welcome).length, PORTS, `${PORTS} callers in the IVR hear the welcome`)
  // The overflow treatment is the queue: each of them gets hold music on the switch.
  const held = await Promise.allSettled(calls.filter((c) => !got.find((g) => g.leg === c.leg)?.welcome).map((c) =>
    w.next((e) => e.header('Unique-ID') === c.leg && sound(e) === 'hold', `hold music for ${c.leg}`, { since, timeoutMs: 20_000 })))
  t.equal(held.filter((h) => h.status === 'fulfilled').length, CALLERS - PORTS, 'the overflowed callers hear hold music in the queue')
  // Hotline's log is written asynchronously (pino): its lines may reach the test after the
  // switch's events, so they are awaited, with a deadline, not read at once.
  const overflowLines = (): LogLine[] => lab.hotline.lines.filter((l) => l.msg === 'ivr: caller overflowed')
  await lab.hotline.waitLog(() => overflowLines().length >= CALLERS - PORTS, 'the overflow lines', { timeoutMs: 10_000 }).catch(() => undefined)
  const overflowed = overflowLines()
  t.equal(overflowed.length, CALLERS - PORTS, `${CALLERS - PORTS} overflowed`)
  t.ok(overflowed.every((l) => l['reason'] === 'ivr-ports-full'), 'because the ports were full')
  t.comment(`first sound after ${Math.max(...got.map((g) => g.waitedMs)).toFixed(0)} ms at most`)

  const gone = calls.map((c) => w.next((e) => e.header('Unique-ID') === c.leg && e.name === 'CHANNEL_HANGUP_COMPLETE', 'hangup', { since, timeoutMs: 60_000 }))
  await lab.carrierWatch.api('hupall NORMAL_CLEARING')
  await Promise.allSettled(gone)
  const log = readFileSync(lab.pbx.logFile, 'utf8')
  t.notMatch(log, /Throttle Error/, 'the PBX throttled no call (vars.xml sessions_per_second)')
})

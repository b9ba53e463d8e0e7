/**
 * Messages left in the IVR, end to end: the whole center as `hotline start` composes it, over the
 * simulator on real ESL bytes. After agent hours the sample hotline's `agent` flow records a
 * message (record node `closed`, fact `voicemail`); the switch writes the WAV where Hotline told
 * it, which must be under `paths.messages`, and the call's CDR must point at that file.
 */
import t, { type Test } from 'tap'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { createCenter, createLogger, loadConfig, type Center } from '../src/app/index.ts'
import type { CallEvent } from '../src/calls/index.ts'
import { KnexCdrStore } from '../src/cdr/index.ts'
import { readWavFormat } from '../src/ivr/index.ts'
import { FakeClock } from '../src/shared/index.ts'
import { startSimulator, type ScriptedCall, type Simulator } from '../src/sim/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../src/store/index.ts'
import { until } from './support/drive.ts'

const repo = resolve(import.meta.dirname, '..')
const quiet = new Writable({ write: (_c, _e, done) => done() })
const PASSWORD = 'ivr-messages-secret'

interface Rig {
  readonly clock: FakeClock
  readonly sim: Simulator
  readonly center: Center
  readonly store: Store
  /** paths.messages as configured: a folder that does not exist yet. */
  readonly messagesDir: string
  readonly seen: CallEvent[]
}

async function rig(t: Test): Promise<Rig> {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 14, 0, 0)) // Monday 22:00 in Shanghai: agents are off duty
  const sim = await startSimulator({ password: PASSWORD, clock })
  t.teardown(() => sim.close())
  const dir = mkdtempSync(join(tmpdir(), 'ivr-messages-e2e-'))
  const messagesDir = join(dir, 'spool', 'messages')
  const loaded = loadConfig({
    cwd: repo, env: {},
    overrides: { esl: { password: PASSWORD }, recording: { root: join(dir, 'rec') }, paths: { fax: join(dir, 'fax'), messages: messagesDir } },
  })
  if (!loaded.ok) throw new Error(loaded.error.message)
  const store = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  t.teardown(() => closeStore(store))
  await migrateLatest(store)
  const log = await createLogger({ level: 'silent', pretty: false }, quiet)
  const center = createCenter({ config: loaded.value, store, log, clock, esl: { host: sim.host, port: sim.port, password: PASSWORD }, cwd: repo })
  await center.start()
  t.teardown(() => center.stop())
  await until(clock, () => center.link.esl.state.kind === 'connected', 'connected')
  const seen: CallEvent[] = []
  center.link.callEvents.subscribe((e) => void seen.push(e))
  return { clock, sim, center, store, messagesDir, seen }
}

/** The caller asks for an agent after hours and is put through to the message recorder. */
async function leavingAMessage(r: Rig): Promise<{ caller: ScriptedCall; file: () => string | undefined }> {
  const caller = r.sim.call({ did: '96200', caller: '13800000009' })
  await until(r.clock, () => r.center.ivr.occupancy === 1, 'caller in the IVR')
  caller.press('0')
  const recording = (): string | undefined => {
    const ch = r.sim.channels().find((c) => c.variables['current_application'] === 'record')
    return ch?.variables['current_application_data']?.split(' ')[0]
  }
  await until(r.clock, () => recording() !== undefined, 'the switch is recording the message', { maxMs: 60_000 })
  return { caller, file: recording }
}

async function cdrFacts(r: Rig): Promise<Readonly<Record<string, unknown>> | undefined> {
  const ended = r.seen.find((e) => e.type === 'call-ended')
  if (ended?.type !== 'call-ended') throw new Error('the call has not ended')
  await r.center.link.cdr.flush()
  return (await new KnexCdrStore(r.store).get(ended.call.id))?.facts
}

function assertMessageFile(t: Test, r: Rig, file: string | undefined, seconds: number): void {
  if (file === undefined) return void t.fail('no message file')
  t.equal(dirname(file), r.messagesDir, 'the message is written straight under paths.messages')
  t.ok(existsSync(file), 'the message file is on disk')
  if (!existsSync(file)) return
  const bytes = readFileSync(file)
  t.same(readWavFormat(bytes), { audioFormat: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, 'a telephony WAV: 8 kHz mono 16-bit PCM')
  t.equal(bytes.length, 44 + seconds * 8000 * 2, `${seconds} s of audio after the 44-byte header`)
}

t.test('after hours, a message ended with * lands under paths.messages as a WAV and the CDR points at it', async (t) => {
  const r = await rig(t)
  const { caller, file } = await leavingAMessage(r)
  const path = file()
  r.clock.advance(12_000) // the caller speaks for 12 s
  caller.press('*') // the record app's default terminator
  await until(r.clock, () => r.seen.some((e) => e.type === 'call-ended'), 'the IVR thanks the caller and hangs up')
  assertMessageFile(t, r, path, 12)
  t.match(await cdrFacts(r), { voicemail: path, 'menu.main-menu': '0' }, 'the CDR keeps the message as fact voicemail')
})

t.test('a message ended by the caller hanging up (the usual way) is kept and the CDR still points at it', async (t) => {
  const r = await rig(t)
  const { caller, file } = await leavingAMessage(r)
  const path = file()
  r.clock.advance(20_000)
  caller.hangup()
  await until(r.clock, () => r.seen.some((e) => e.type === 'call-ended') && r.center.ivr.occupancy === 0, 'call ended')
  assertMessageFile(t, r, path, 20)
  t.match(await cdrFacts(r), { voicemail: path }, 'the CDR keeps the message as fact voicemail')
})

t.test('a message is cut at the node\'s max-seconds (90 s in the sample flow) and still kept', async (t) => {
  const r = await rig(t)
  const { file } = await leavingAMessage(r)
  const path = file()
  await until(r.clock, () => r.seen.some((e) => e.type === 'call-ended'), 'the IVR hangs up after the limit', { maxMs: 200_000 })
  assertMessageFile(t, r, path, 90)
  t.match(await cdrFacts(r), { voicemail: path }, 'the CDR keeps the message as fact voicemail')
})

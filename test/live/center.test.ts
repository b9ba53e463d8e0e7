/**
 * The live tier's whole-center test: Hotline's composition root (the same createCenter as
 * `hotline start`) on a real FreeSWITCH, with the sample flows and prompt files of the repo. The
 * caller is the inbound (b) leg of a loopback pair, carrying the calling number as a trunk call
 * does, parked again with hotline_entry=96200 set as the kit's dialplan parks a trunk call (set
 * after the originate: mod_loopback copies origination variables to both legs). It hears the real welcome prompt, presses 0 (injected with
 * uuid_recv_dtmf, as if from the phone), waits in a queue (no agent phone is registered on a lab
 * switch) and hangs up. Skipped, saying why, where no switch is found (find-switch.ts).
 */
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import type { AcdNotice } from '../../src/acd/index.ts'
import { createCenter, createLogger, loadConfig } from '../../src/app/index.ts'
import { seedDemo } from '../../src/cli/demo-seed.ts'
import type { EslEvent } from '../../src/esl/index.ts'
import { systemClock, type Clock } from '../../src/shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../../src/store/index.ts'
import { findSwitch, nextEvent, wait } from './find-switch.ts'

const found = await findSwitch(['CHANNEL_PARK', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE'])
const skip = typeof found === 'string' ? found : false
if (typeof found === 'string') t.comment(`live tier skipped: ${found}`)
else t.teardown(() => found.client.close())

t.setTimeout(180_000)
const repo = resolve(import.meta.dirname, '..', '..')

/**
 * Real time for the switch's sake, but read as if it were Monday 10:00 in Shanghai, so the sample
 * flows' agent hours are open whenever the test runs.
 */
function duringAgentHours(): Clock {
  const opensAt = Date.UTC(2026, 10, 23, 2, 0, 0)
  const startedAt = systemClock.now()
  return { now: () => opensAt + (systemClock.now() - startedAt), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) }
}
const quiet = new Writable({ write: (_c, _e, done) => done() })

t.test('a trunk caller on a real switch hears the welcome prompt, presses 0, waits in a queue, hangs up', { skip }, async (t) => {
  if (typeof found === 'string') return
  const { client: probe, host, port, password } = found
  const dir = mkdtempSync(join(tmpdir(), 'hotline-live-'))
  const loaded = loadConfig({
    cwd: repo, env: {},
    overrides: { esl: { host, port, password }, db: { filename: join(dir, 'h.sqlite') }, recording: { root: join(dir, 'recordings') }, paths: { fax: join(dir, 'fax'), messages: join(dir, 'messages') } },
  })
  if (!loaded.ok) throw new Error(loaded.error.message)
  const store = openStore(loaded.value.db, repo)
  await migrateLatest(store)
  const center = createCenter({ config: loaded.value, store, log: await createLogger({ level: process.env.LIVE_LOG ? 'debug' : 'silent', pretty: false }, process.env.LIVE_LOG ? process.stderr : quiet), clock: duringAgentHours(), esl: { host, port, password }, cwd: repo })
  await center.start()
  await seedDemo(center, store)
  t.teardown(async () => {
    await center.stop()
    await closeStore(store)
    rmSync(dir, { recursive: true, force: true })
  })
  const notices: AcdNotice[] = []
  center.acd.bus.subscribe((n) => void notices.push(n))
  const acd = (kind: string): Promise<AcdNotice> => new Promise((done) => {
    const off = center.acd.bus.subscribe((n) => (n.event.kind === kind ? (off(), done(n)) : undefined))
  })

  // 13800000001 is a gold customer in the sample book, so the IVR finds them by their number.
  const origin = randomUUID()
  const originParked = nextEvent(probe, (e) => e.header('Unique-ID') === origin && e.name === 'CHANNEL_PARK')
  const placed = await probe.bgapi(`originate {origination_uuid=${origin},origination_caller_id_number=13800000001}loopback/m:^:answer^park/default/inline &park()`, wait)
  t.match(placed.ok && placed.value, /^\+OK/)
  await originParked
  const far = await probe.api(`uuid_getvar ${origin} other_loopback_leg_uuid`, wait)
  const leg = far.ok ? far.value.trim() : ''
  const mine = (e: EslEvent): boolean => e.header('Unique-ID') === leg
  const parked = nextEvent(probe, (e) => mine(e) && e.name === 'CHANNEL_PARK')
  const welcome = nextEvent(probe, (e) => mine(e) && e.name === 'CHANNEL_EXECUTE_COMPLETE' && (e.header('Application-Data') ?? '').includes('welcome'))
  const menu = nextEvent(probe, (e) => mine(e) && e.name === 'CHANNEL_EXECUTE' && e.header('Application') === 'play_and_get_digits')
  const waiting = acd('call-waiting')
  for (const cmd of [`uuid_setvar_multi ${leg} hotline_entry=96200;hotline_did=96200;hotline_region=nanjing`, `uuid_park ${leg}`]) {
    const r = await probe.api(cmd, wait)
    t.match(r.ok && r.value, /^\+OK/, cmd.split(' ', 1).join())
  }
  t.equal((await parked).header('Caller-Caller-ID-Number'), '13800000001', 'the caller\'s number, as on a trunk call')

  const played = await welcome
  t.equal(played.header('Application-Response'), 'FILE PLAYED', `the switch played ${played.header('Application-Data') ?? ''}`)
  await menu
  const pressed = await probe.api(`uuid_recv_dtmf ${leg} 0`, wait)
  t.match(pressed.ok && pressed.value, /^\+OK/)
  const queued = await waiting
  t.match(queued.event, { kind: 'call-waiting', tier: 'gold' }, 'in a queue, as the gold customer the IVR found')

  const abandoned = acd('call-abandoned')
  const gone = nextEvent(probe, (e) => mine(e) && e.name === 'CHANNEL_HANGUP_COMPLETE')
  await probe.api(`uuid_kill ${leg} NORMAL_CLEARING`, wait)
  await gone
  t.match((await abandoned).event, { kind: 'call-abandoned', call: queued.event.kind === 'call-waiting' ? queued.event.call : '' })
  t.notOk(notices.some((n) => n.event.kind === 'call-offered'), 'no agent phone is registered, so no offer was made')
})

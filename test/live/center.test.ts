/**
 * The live tier's whole-center test: Hotline's composition root (the same createCenter as
 * `hotline start`) on a real FreeSWITCH, with the sample flows and prompt files of the repo. The
 * caller is the inbound (b) leg of a loopback pair, carrying the calling number as a trunk call
 * does, parked again with hotline_entry=96200 set as the kit's dialplan parks a trunk call (set
 * after the originate: mod_loopback copies origination variables to both legs). It hears the real welcome prompt, presses 0 (injected with
 * uuid_recv_dtmf, as if from the phone), waits in a queue (no agent phone is registered on a lab
 * switch); Hotline stops and starts again and finds them waiting in the same place; they hang up. Skipped, saying why, where no switch is found (find-switch.ts).
 */
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import type { AcdNotice } from '../../src/acd/index.ts'
import { createCenter, createLogger, loadConfig, type Center, type Config } from '../../src/app/index.ts'
import { DEMO_OPENS_AT, seedDemo } from '../../src/cli/demo-seed.ts'
import type { EslEvent } from '../../src/esl/index.ts'
import { shiftedClock } from '../../src/shared/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../../src/store/index.ts'
import { findSwitch, nextEvent, wait, type LiveSwitch } from './find-switch.ts'

const found = await findSwitch(['CHANNEL_PARK', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE'], t)
const skip = typeof found === 'string' ? found : false
if (typeof found === 'string') t.comment(`live tier skipped: ${found}`)
else t.teardown(() => found.client.close())

t.setTimeout(180_000)
const repo = resolve(import.meta.dirname, '..', '..')
const quiet = new Writable({ write: (_c, _e, done) => done() })

/**
 * Hotline as `hotline start` composes it, on the live switch, over the given store; resolved once
 * it has connected and rebuilt its calls and queues from the switch (the center's own reconnect
 * handlers run first, in order).
 */
async function startHotline(store: Store, config: Config, sw: LiveSwitch): Promise<Center> {
  const log = await createLogger({ level: process.env['LIVE_LOG'] ? 'debug' : 'silent', pretty: false }, process.env['LIVE_LOG'] ? process.stderr : quiet)
  const center = createCenter({ config, store, log, clock: shiftedClock(DEMO_OPENS_AT), esl: { host: sw.host, port: sw.port, password: sw.password }, cwd: repo })
  const rebuilt = new Promise<void>((done) => center.link.onReconnected(done))
  await center.start()
  await rebuilt
  return center
}

/** The next notice of that kind on the center's ACD bus. */
function acdNotice(center: Center, kind: string): Promise<AcdNotice> {
  return new Promise((done) => {
    const off = center.acd.bus.subscribe((n) => (n.event.kind === kind ? (off(), done(n)) : undefined))
  })
}

t.test('a trunk caller on a real switch hears the welcome prompt, presses 0, waits in a queue; Hotline restarts and still has them; they hang up', { skip }, async (t) => {
  if (typeof found === 'string') return
  const probe = found.client
  const dir = mkdtempSync(join(tmpdir(), 'hotline-live-'))
  const loaded = loadConfig({
    cwd: repo, env: {},
    overrides: { esl: { host: found.host, port: found.port, password: found.password }, db: { filename: join(dir, 'h.sqlite') }, recording: { root: join(dir, 'recordings') }, paths: { fax: join(dir, 'fax'), messages: join(dir, 'messages') } },
  })
  if (!loaded.ok) throw new Error(loaded.error.message)
  const store = openStore(loaded.value.db, repo)
  await migrateLatest(store)
  let center = await startHotline(store, loaded.value, found)
  await seedDemo(center, store)
  t.teardown(async () => {
    await center.stop()
    await closeStore(store)
    rmSync(dir, { recursive: true, force: true })
  })
  const notices: AcdNotice[] = []
  center.acd.bus.subscribe((n) => void notices.push(n))

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
  const waiting = acdNotice(center, 'call-waiting')
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
  const queued = (await waiting).event
  if (queued.kind !== 'call-waiting') throw new Error(queued.kind)
  t.match(queued, { tier: 'gold' }, 'in a queue, as the gold customer the IVR found')
  t.notOk(notices.some((n) => n.event.kind === 'call-offered'), 'no agent phone is registered, so no offer was made')

  // Hotline goes away and comes back: the caller stays on the switch and is found again, in place.
  await center.stop()
  t.same(await probe.api(`uuid_exists ${leg}`, wait), { ok: true, value: 'true' }, 'the caller is still on the line')
  center = await startHotline(store, loaded.value, found)
  t.match(center.acd.admin.live(queued.queue)?.waiting, [{ call: queued.call, tier: 'gold' }], 'waiting in the same queue, same tier, after the restart')

  const abandoned = acdNotice(center, 'call-abandoned')
  const gone = nextEvent(probe, (e) => mine(e) && e.name === 'CHANNEL_HANGUP_COMPLETE')
  await probe.api(`uuid_kill ${leg} NORMAL_CLEARING`, wait)
  await gone
  t.match((await abandoned).event, { kind: 'call-abandoned', call: queued.call })
})

/**
 * Simulator rules for hold music and prompt paths, each seen on FreeSWITCH 1.11.3 (a loopback leg,
 * a local_stream of a sox-made WAV, PLAYBACK_START/STOP and CHANNEL_EXECUTE_COMPLETE watched).
 */
import t from 'tap'
import { FakeClock } from '../shared/index.ts'
import { startSimulator } from './index.ts'
import { RawEslClient } from './test-client.ts'

const PW = 'ClueCon'
const SUBS = 'event json CHANNEL_PARK CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP_COMPLETE DTMF PLAYBACK_START PLAYBACK_STOP'

async function parkedCaller(t: { teardown(fn: () => unknown): void }) {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: PW, clock })
  const c = await RawEslClient.login(sim.port, PW)
  t.teardown(async () => { c.close(); await sim.close() })
  await c.command(SUBS)
  const call = sim.call({ did: '96200', caller: '13800000001' })
  const leg = call.legUuid!
  const exec = (app: string, arg: string) => c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: ${app}\nexecute-app-arg: ${arg}\nevent-lock: true`)
  await exec('answer', '')
  return { clock, c, leg, call, exec }
}

const playback = (leg: string) => (e: { name: string; headers: Record<string, string> }) => e.headers['Unique-ID'] === leg && e.name.startsWith('PLAYBACK_')

t.test('endless_playback starts again after uuid_break, even `all`, so a prompt queued behind it never plays', async (t) => {
  const { clock, c, leg, call, exec } = await parkedCaller(t)
  await exec('endless_playback', 'local_stream://moh')
  await c.event((e) => e.name === 'PLAYBACK_START')
  await exec('playback', '/opt/hotline/sounds/zh/please-hold.wav')
  const from = c.events.length
  t.equal(await c.api(`uuid_break ${leg}`), '+OK\n')
  t.equal(await c.api(`uuid_break ${leg} all`), '+OK\n')
  clock.advance(60_000)
  await c.api('status')
  const seen = c.events.slice(from).filter(playback(leg)).map((e) => `${e.name} ${e.headers['Playback-File-Path']} ${e.headers['Playback-Status'] ?? ''}`.trim())
  t.same(seen, [
    'PLAYBACK_STOP local_stream://moh break', 'PLAYBACK_START local_stream://moh',
    'PLAYBACK_STOP local_stream://moh break', 'PLAYBACK_START local_stream://moh',
  ])
  t.notOk(c.events.slice(from).some((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Unique-ID'] === leg), 'nothing completes')
  const end = c.events.length
  call.hangup()
  const done = await c.event((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application'] === 'endless_playback', 2000, end)
  t.equal(done.headers['Application-Response'], 'PLAYBACK ERROR', 'only a hangup (or bridge, transfer) ends it')
})

t.test('playback of a local_stream:// source plays until broken, then the prompt queued behind it starts', async (t) => {
  const { clock, c, leg, exec } = await parkedCaller(t)
  await exec('playback', 'local_stream://moh')
  await c.event((e) => e.name === 'PLAYBACK_START')
  await exec('playback', '/opt/hotline/sounds/zh/please-hold.wav')
  clock.advance(3_600_000)
  await c.api('status')
  t.notOk(c.events.some((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application-Data'] === 'local_stream://moh'), 'an hour later it still plays')
  t.equal(await c.api(`uuid_break ${leg}`), '+OK\n')
  const ended = await c.event((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application-Data'] === 'local_stream://moh')
  t.equal(ended.headers['Application-Response'], 'FILE PLAYED')
  const started = await c.event((e) => e.name === 'PLAYBACK_START' && e.headers['Playback-File-Path'] === '/opt/hotline/sounds/zh/please-hold.wav')
  t.ok(started)
})

t.test('a relative prompt path is looked up in the switch\'s own sounds folder: FILE NOT FOUND, no PLAYBACK events', async (t) => {
  const { c, leg, exec } = await parkedCaller(t)
  for (const file of ['sounds/en/please-hold.wav', 'file_string://sounds/en/please-hold.wav!sounds/en/num-1.wav']) {
    const from = c.events.length
    await exec('playback', file)
    const done = await c.event((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application-Data'] === file, 2000, from)
    t.equal(done.headers['Application-Response'], 'FILE NOT FOUND', file)
    t.notOk(c.events.slice(from).some(playback(leg)), `${file}: no PLAYBACK_START/STOP`)
  }
  const from = c.events.length
  await exec('playback', 'file_string://sounds/en/please-hold.wav!/opt/hotline/sounds/zh/num-1.wav')
  await c.event((e) => e.name === 'PLAYBACK_START', 2000, from)
  t.pass('a list with one file that exists plays')
})

t.test('while music plays, a digit is a DTMF event; `*` (the default terminator) ends the playback, none keeps it', async (t) => {
  const { c, leg, exec } = await parkedCaller(t)
  await exec('playback', 'local_stream://moh')
  await c.event((e) => e.name === 'PLAYBACK_START')
  await c.api(`uuid_recv_dtmf ${leg} 1`)
  await c.event((e) => e.name === 'DTMF' && e.headers['DTMF-Digit'] === '1')
  t.notOk(c.events.some((e) => e.name === 'PLAYBACK_STOP'), '1 is not a terminator')
  await c.api(`uuid_recv_dtmf ${leg} *`)
  const stop = await c.event((e) => e.name === 'PLAYBACK_STOP')
  t.equal(stop.headers['Playback-Status'], 'break')
  await c.api(`uuid_setvar ${leg} playback_terminators none`)
  const from = c.events.length
  await exec('playback', 'local_stream://moh')
  await c.event((e) => e.name === 'PLAYBACK_START', 2000, from)
  await c.api(`uuid_recv_dtmf ${leg} *`)
  await c.event((e) => e.name === 'DTMF' && e.headers['DTMF-Digit'] === '*', 2000, from)
  t.notOk(c.events.slice(from).some((e) => e.name === 'PLAYBACK_STOP'), 'with playback_terminators=none the music goes on')
})

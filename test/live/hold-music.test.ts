/**
 * Hold music on a real switch (`npm run test:live`, find-switch.ts): Hotline's HoldMusic and
 * EslCallControl on a parked loopback leg. Needs the kit's `local_stream://moh` (or any
 * local_stream named moh with a file in it); the prompts are the repository's own, by absolute path.
 */
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { EslCallControl } from '../../src/calls/index.ts'
import type { EslEvent } from '../../src/esl/index.ts'
import { channelUuid, type ChannelUuid } from '../../src/shared/index.ts'
import { HoldMusic } from '../../src/acd/hold-music.ts'
import { findSwitch, nextEvent, wait } from './find-switch.ts'

const EVENTS = ['CHANNEL_PARK', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE', 'PLAYBACK_START', 'PLAYBACK_STOP', 'DTMF']
const MOH = 'local_stream://moh'
const prompt = join(fileURLToPath(new URL('../../sounds/zh/', import.meta.url)), 'queue-position.wav')

const found = await findSwitch(EVENTS, t)
const skip = typeof found === 'string' ? found : false
const live = typeof found === 'string' ? undefined : found
t.teardown(() => live?.client.close())
if (skip) t.comment(`live tier skipped: ${skip}`)
const client = () => live!.client
const next = (pred: (ev: EslEvent) => boolean) => nextEvent(client(), pred)
const log = { info: () => undefined, warn: () => undefined }

async function parkedLeg(): Promise<ChannelUuid> {
  const leg = channelUuid(randomUUID())
  const parked = next((e) => e.name === 'CHANNEL_PARK' && e.header('Unique-ID') === leg)
  const r = await new EslCallControl(client()).originate({ uuid: leg, dial: 'loopback/m:^:answer^park/default/inline', vars: { hotline_live: 'yes', playback_terminators: 'none' } })
  if (!r.ok) throw new Error(`originate: ${r.error.message}`)
  await parked
  return leg
}

type Row = { uuid: string; application: string; application_data: string }

/**
 * The channel's row of `show channels as json`. The switch writes that table from its events in
 * the background (switch_core_sqldb.c), so a row lags the app by a moment: read until it shows
 * the music, within a deadline (a restarted Hotline reads it seconds later anyway).
 */
async function runningApp(leg: ChannelUuid): Promise<Row | undefined> {
  let row: Row | undefined
  for (let i = 0; i < 20; i++) {
    const listed = await client().api('show channels as json', wait)
    row = (JSON.parse(listed.ok ? listed.value : '{}') as { rows?: Row[] }).rows?.find((r) => r.uuid === leg)
    if (row?.application_data === MOH) return row
    await client().api('msleep 100', wait)
  }
  return row
}

t.test('an announcement is heard through the hold music and the music comes back once; a key is a DTMF event and the music goes on; an exit prompt is heard', { skip }, async (t) => {
  const control = new EslCallControl(client())
  const music = new HoldMusic(control, MOH, log)
  const leg = await parkedLeg()
  const seen: string[] = []
  const off = client().onEvent((e) => {
    if (e.header('Unique-ID') === leg && e.name.startsWith('PLAYBACK_')) seen.push(`${e.name} ${e.header('Playback-File-Path') === MOH ? 'moh' : 'prompt'}${e.name === 'PLAYBACK_STOP' ? ` ${e.header('Playback-Status')}` : ''}`)
  })
  t.teardown(off)
  const playing = next((e) => e.name === 'PLAYBACK_START' && e.header('Unique-ID') === leg)
  music.resume(leg)
  await playing
  const dtmf = next((e) => e.name === 'DTMF' && e.header('Unique-ID') === leg)
  await client().api(`uuid_recv_dtmf ${leg} 1`, wait)
  t.equal((await dtmf).header('DTMF-Digit'), '1')
  const back = next((e) => e.name === 'PLAYBACK_START' && e.header('Unique-ID') === leg && e.header('Playback-File-Path') === MOH)
  await music.announce(leg, [prompt], () => true)
  await back
  t.same(seen, ['PLAYBACK_START moh', 'PLAYBACK_STOP moh break', 'PLAYBACK_START prompt', 'PLAYBACK_STOP prompt done', 'PLAYBACK_START moh'])
  music.resume(leg)
  t.match(await runningApp(leg), { application: 'playback', application_data: MOH }, 'what a restarted Hotline reads to adopt the music')
  // An exit (the callback confirmation): uuid_break all ends the music, and the prompt is heard.
  await music.stop(leg)
  t.same(await control.play(leg, [prompt]), { ok: true, value: 'played' }, 'the confirmation plays after the music, not behind it')
  t.same(await control.play(leg, ['sounds/zh/queue-position.wav']), { ok: true, value: 'missing-file' }, 'a relative path is not found by the switch')
  await control.hangup(leg, 'NORMAL_CLEARING')
  t.same(seen.slice(5), ['PLAYBACK_STOP moh break', 'PLAYBACK_START prompt', 'PLAYBACK_STOP prompt done'], 'no second music was ever queued')
})

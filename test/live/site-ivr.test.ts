/**
 * The kit as a site runs it, judged by what FreeSWITCH did: a trunk call through the E1 gateway
 * reaches `hotline start`'s IVR, prompts really play (PLAYBACK_START of a file that exists), real
 * RFC 2833 DTMF from the gateway picks menu options, and the call leaves one closed CDR with its
 * IVR path.
 */
import t from 'tap'
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { callerPresses, of, placeTrunkCall, startLab } from './support/lab.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(300_000)

t.test('a trunk caller hears the welcome and the menu, switches to English with 8, hangs up: one closed CDR with the IVR path', { skip }, async (t) => {
  const lab = await startLab(t)
  const w = lab.pbxWatch
  const since = w.mark
  const call = await placeTrunkCall(lab, { from: '13800000001' })
  const welcome = await w.next((e) => of(call.leg)(e) && e.name === 'PLAYBACK_START', 'the first prompt', { since })
  const file = welcome.header('Playback-File-Path') ?? ''
  t.match(file, /\/sounds\/zh\/welcome\.wav$/, 'the welcome prompt, in Mandarin')
  t.ok(existsSync(file), `${file} exists`)
  const menu = await w.next((e) => of(call.leg)(e) && e.name === 'CHANNEL_EXECUTE' && e.header('Application') === 'play_and_get_digits', 'the main menu', { since })
  t.match(menu.header('Application-Data'), /zh\/main-menu\.wav/)
  await callerPresses(lab, call, '8')
  const english = await w.next((e) => of(call.leg)(e) && e.name === 'PLAYBACK_START' && (e.header('Playback-File-Path') ?? '').includes('/sounds/en/main-menu.wav'), 'the English main menu')
  t.ok(english, 'the menu again, in English')
  const gone = w.next((e) => of(call.leg)(e) && e.name === 'CHANNEL_HANGUP_COMPLETE', 'the hangup')
  await lab.carrierWatch.api(`uuid_kill ${call.far}`)
  await gone
  await lab.hotline.stop('SIGTERM')
  const db = new Database(lab.site.db, { readonly: true })
  t.teardown(() => db.close())
  const rows = db.prepare('select * from cdr').all() as Array<Record<string, unknown>>
  t.equal(rows.length, 1, 'one CDR')
  t.match(rows[0], { caller_number: '13800000001', outcome: String })
  t.ok(rows[0]?.['ended_at'], 'closed')
  t.same(JSON.parse(String(rows[0]?.['ivr_path'])), ['main/welcome', 'main/identify', 'main/main-menu', 'main/switch-language', 'main/english', 'main/main-menu'], 'the IVR path as the caller walked it')
  t.comment(JSON.stringify(rows[0]))
})

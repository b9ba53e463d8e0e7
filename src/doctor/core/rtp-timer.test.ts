import t from 'tap'
import { readFileSync } from 'node:fs'
import { err, ok } from '../../shared/index.ts'
import { judgeRtpTimer, parseSofiaConf } from './rtp-timer.ts'

// Bodies of `api xml_locate configuration configuration name sofia.conf` from FreeSWITCH
// 1.11.3-dev (git cc93a68) started from the kit with its site edits (127.0.0.x addresses).
const fixture = (n: string): string => readFileSync(new URL(`../../../test/fixtures/freeswitch-replies/${n}`, import.meta.url), 'latin1')
const kit = fixture('xml-locate-sofia-conf.txt')
const KIT = ['internal', 'external']

t.test("the real switch's sofia.conf of the kit: both profiles on the soft timer, gateway params not mistaken for settings", (t) => {
  const conf = parseSofiaConf(kit)
  t.ok(conf.ok)
  if (!conf.ok) return t.end()
  t.same([...conf.value.keys()], ['external', 'internal'])
  t.equal(conf.value.get('internal')?.get('rtp-timer-name'), 'soft')
  t.equal(conf.value.get('external')?.get('sip-port'), '5080')
  t.notOk(conf.value.get('external')?.has('password'), "the carrier gateway's password is not a profile setting")
  t.same(judgeRtpTimer(KIT, ok(kit)), { id: 'rtp-timer', title: 'SIP profiles pace RTP with a timer', status: 'pass', detail: 'internal: soft, external: soft', hint: '' })
  t.end()
})

/** The kit's reply with one profile's part edited. */
const editProfile = (profile: string, edit: (part: string) => string, body = kit): string => {
  const start = body.indexOf(`<profile name="${profile}">`)
  const end = body.indexOf('</profile>', start)
  return body.slice(0, start) + edit(body.slice(start, end)) + body.slice(end)
}
const withoutTimer = (profile: string, body = kit): string =>
  editProfile(profile, (p) => p.replace(/\s*<param name="rtp-timer-name" value="soft"><\/param>/, ''), body)

t.test('a profile without rtp-timer-name fails, named, with the line to add and how to apply it', (t) => {
  const c = judgeRtpTimer(KIT, ok(withoutTimer('external')))
  t.equal(c.status, 'fail')
  t.equal(c.detail, 'no rtp-timer-name on external: their calls read RTP without a timer, so hangups and first prompts come up to 5 s late')
  t.match(c.hint, '<param name="rtp-timer-name" value="soft"/> to the <settings> of sip_profiles/external.xml')
  t.match(c.hint, 'sofia profile external restart')
  t.match(judgeRtpTimer(KIT, ok(withoutTimer('internal', withoutTimer('external')))), { status: 'fail', detail: /^no rtp-timer-name on internal, external:/ })
  t.end()
})

t.test('rtp-timer-name "none" is no timer (switch_rtp.c), any other name is one', (t) => {
  const none = editProfile('external', (p) => p.replace('<param name="rtp-timer-name" value="soft">', '<param name="rtp-timer-name" value="none">'))
  t.match(judgeRtpTimer(KIT, ok(none)), { status: 'fail', detail: /^no rtp-timer-name on external:/ })
  const selfClosing = editProfile('internal', (p) => p.replace('<settings>', '<settings>\n<param value="posix" name="rtp-timer-name"/>'), withoutTimer('internal'))
  t.match(judgeRtpTimer(['internal'], ok(selfClosing)), { status: 'pass', detail: 'internal: posix' })
  t.end()
})

t.test('a profile doctor expects but sofia.conf lacks fails, and the detail never carries the reply (it holds passwords)', (t) => {
  const c = judgeRtpTimer([...KIT, 'agents-wan'], ok(kit))
  t.match(c, { status: 'fail', detail: /not in the switch's sofia\.conf: agents-wan/ })
  for (const r of [judgeRtpTimer(KIT, ok(withoutTimer('external'))), c]) t.notMatch(`${r.detail} ${r.hint}`, /change-me-carrier-password|127\.0\.0\.23/)
  t.end()
})

t.test("a switch without sofia.conf, an -ERR, a reply of something else or no answer fail with the reason", (t) => {
  t.match(judgeRtpTimer(KIT, ok(fixture('xml-locate-not-found.txt'))), { status: 'fail', detail: 'the switch has no sofia.conf configuration', hint: /xml_locate configuration configuration name sofia\.conf/ })
  t.match(judgeRtpTimer(KIT, ok('-ERR xml_locate Command not found!\n')), { status: 'fail', detail: 'xml_locate answered -ERR xml_locate Command not found!' })
  t.match(judgeRtpTimer(KIT, ok('<configuration name="switch.conf"></configuration>')), { status: 'fail', detail: /not a sofia\.conf/ })
  t.match(judgeRtpTimer(KIT, err({ message: 'esl-timeout' })), { status: 'fail', detail: 'no answer from FreeSWITCH: esl-timeout' })
  t.end()
})

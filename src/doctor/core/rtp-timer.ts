/**
 * SIP profiles without an RTP timer. A profile's rtp-timer-name (sofia.c → profile->timer_name)
 * is handed to each of its channels, gateway calls included (sofia_glue.c); without one,
 * switch_rtp.c reads RTP in blocking mode and waits up to 5 s (poll_sec) whenever no packet
 * comes, and the session thread does nothing else meanwhile: hangups reach Hotline 5 s late, a
 * call waits 5 s for its first prompt, prompts stall behind a far end that suppresses silence.
 *
 * The running switch does not report a profile's timer (`sofia status profile <p>` and
 * `sofia xmlstatus profile <p>` leave it out; only a live call's rtp_use_timer_name shows it),
 * so doctor reads the switch's own sofia.conf with `xml_locate configuration configuration name
 * sofia.conf`: the configuration as FreeSWITCH holds it since the last reloadxml, which is what a
 * profile reads when it starts. The body holds the gateways' passwords: never print it.
 */
import type { Result } from '../../shared/index.ts'
import { err, ok } from '../../shared/index.ts'
import type { Reply } from './judge.ts'
import type { CheckResult } from './verdict.ts'
import { fail, pass } from './verdict.ts'

export const RTP_TIMER_COMMAND = 'xml_locate configuration configuration name sofia.conf'

const ID = 'rtp-timer'
const TITLE = 'SIP profiles pace RTP with a timer'

/** The `<settings>` params of each `<profile>` in sofia.conf, by profile name. */
export type ProfileSettings = ReadonlyMap<string, ReadonlyMap<string, string>>

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const unescape = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e] ?? '')

function attributes(tag: string): Map<string, string> {
  return new Map([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1] ?? '', unescape(m[2] ?? '')]))
}

/**
 * The reply of RTP_TIMER_COMMAND: switch_xml_toxml's text of `<configuration name="sofia.conf">`
 * (params as `<param name="x" value="y"></param>`, comments gone), `can't find anything` when
 * the switch has no sofia.conf, or `-ERR …`.
 */
export function parseSofiaConf(body: string): Result<ProfileSettings, string> {
  const text = body.trim()
  if (text.startsWith('-ERR')) return err(`xml_locate answered ${text.split('\n')[0] ?? ''}`)
  if (/^can't find anything/i.test(text)) return err('the switch has no sofia.conf configuration')
  if (!/^<configuration\s[^>]*name="sofia\.conf"/.test(text)) return err('not a sofia.conf configuration in the xml_locate reply')
  const profiles = new Map<string, ReadonlyMap<string, string>>()
  for (const p of text.matchAll(/<profile\s([^>]*)>([\s\S]*?)<\/profile>/g)) {
    const name = attributes(p[1] ?? '').get('name')
    if (name === undefined) continue
    const settings = /<settings>([\s\S]*?)<\/settings>/.exec(p[2] ?? '')?.[1] ?? ''
    const params = new Map<string, string>()
    for (const m of settings.matchAll(/<param\s([^>]*?)\/?>/g)) {
      const a = attributes(m[1] ?? '')
      const key = a.get('name')
      if (key !== undefined) params.set(key.toLowerCase(), a.get('value') ?? '')
    }
    profiles.set(name, params)
  }
  return ok(profiles)
}

/** `profiles`: the SIP profiles that must run (the kit's internal and external). */
export function judgeRtpTimer(profiles: readonly string[], reply: Reply): CheckResult {
  if (!reply.ok) return fail(ID, TITLE, `no answer from FreeSWITCH: ${reply.error.message}`, 'Check the ESL connection (first line of this report) and FreeSWITCH load.')
  const conf = parseSofiaConf(reply.value)
  if (!conf.ok) return fail(ID, TITLE, conf.error, `Is mod_commands loaded and sofia.conf the kit's? \`fs_cli -x "${RTP_TIMER_COMMAND}"\` shows what the switch has.`)
  const timers = profiles.map((p) => ({ profile: p, settings: conf.value.get(p), timer: conf.value.get(p)?.get('rtp-timer-name')?.trim() ?? '' }))
  const unknown = timers.filter((x) => x.settings === undefined).map((x) => x.profile)
  // mod_sofia takes any name; switch_rtp.c treats "none" as no timer at all.
  const none = timers.filter((x) => x.settings !== undefined && (x.timer === '' || x.timer.toLowerCase() === 'none')).map((x) => x.profile)
  if (none.length > 0 || unknown.length > 0) {
    const detail = [none.length > 0 ? `no rtp-timer-name on ${none.join(', ')}` : '', unknown.length > 0 ? `not in the switch's sofia.conf: ${unknown.join(', ')}` : '']
      .filter((s) => s !== '').join('; ')
    const p = none[0] ?? unknown[0] ?? 'internal'
    return fail(ID, TITLE, `${detail}: their calls read RTP without a timer, so hangups and first prompts come up to 5 s late`,
      `Add <param name="rtp-timer-name" value="soft"/> to the <settings> of sip_profiles/${p}.xml (the kit's freeswitch-conf has it), then \`fs_cli -x reloadxml\` and, between calls, \`fs_cli -x "sofia profile ${p} restart"\`.`)
  }
  return pass(ID, TITLE, timers.map((x) => `${x.profile}: ${x.timer}`).join(', '))
}

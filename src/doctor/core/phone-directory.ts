/**
 * Whether FreeSWITCH knows the agents' phones where Hotline dials them. Hotline offers a call
 * with `user/<extension>@<phones.domain>`; mod_dptools looks the user up in that directory
 * domain, and a user it cannot find fails the offer with SUBSCRIBER_ABSENT ("Can't find user")
 * before anything rings. So every desk phone must exist there (`user_exists id <ext> <domain>`,
 * mod_commands.c: `true` / `false`), and the switch's own domain (vars.xml `domain`,
 * `global_getvar domain`) should be the one Hotline dials.
 */
import type { DeskPhone } from './agent-extensions.ts'
import type { Reply } from './judge.ts'
import type { CheckResult } from './verdict.ts'
import { fail, pass, warn } from './verdict.ts'

const DIRECTORY_ID = 'phone-directory'
const DIRECTORY_TITLE = "Agents' phones in FreeSWITCH's directory"
const DOMAIN_ID = 'phone-domain'
const DOMAIN_TITLE = "Phones' SIP domain"

/** One `user_exists id <ext> <domain>` reply per desk phone, in the same order. */
export function judgePhoneDirectory(phones: readonly DeskPhone[] | undefined, domain: string, replies: readonly Reply[]): CheckResult {
  if (phones === undefined || phones.length === 0) return pass(DIRECTORY_ID, DIRECTORY_TITLE, `no agent has a desk phone yet (domain ${domain})`)
  const failed = replies.find((r) => !r.ok)
  if (failed && !failed.ok) return warn(DIRECTORY_ID, DIRECTORY_TITLE, `no answer from FreeSWITCH: ${failed.error.message}`, 'Check the ESL connection (first line of this report).')
  const odd = replies.find((r) => r.ok && r.value.trim() !== 'true' && r.value.trim() !== 'false')
  if (odd && odd.ok) return warn(DIRECTORY_ID, DIRECTORY_TITLE, `user_exists answered ${odd.value.trim()}`, 'Is mod_commands loaded? (see the modules line)')
  const missing = phones.filter((_, i) => { const r = replies[i]; return !(r?.ok && r.value.trim() === 'true') })
  if (missing.length === 0) return pass(DIRECTORY_ID, DIRECTORY_TITLE, `all ${phones.length} desk phones exist in domain ${domain}`)
  const named = missing.map((p) => `${p.extension} ${p.name} (${p.agent})`).join(', ')
  return fail(DIRECTORY_ID, DIRECTORY_TITLE, `not in FreeSWITCH's directory for domain ${domain}, so every call offered to them fails (SUBSCRIBER_ABSENT): ${named}`,
    "Run `hotline phones generate --reload` to write the agents' SIP accounts, or set phones.domain (HOTLINE_PHONES_DOMAIN) to the domain of vars.xml.")
}

/** `global_getvar domain` against phones.domain. */
export function judgePhoneDomain(domain: string, reply: Reply): CheckResult {
  if (!reply.ok) return warn(DOMAIN_ID, DOMAIN_TITLE, `no answer from FreeSWITCH: ${reply.error.message}`, 'Check the ESL connection (first line of this report).')
  const body = reply.value.trim()
  // An unset global gives an empty body, which mod_event_socket sends as `-ERR no reply`.
  if (body === '' || body.startsWith('-ERR')) {
    return warn(DOMAIN_ID, DOMAIN_TITLE, `the switch has no global variable domain (${body || 'empty'}); Hotline dials phones at ${domain}`, 'Set domain in vars.xml to the phones\' SIP domain, then restart FreeSWITCH.')
  }
  if (body.toLowerCase() === domain.toLowerCase()) return pass(DOMAIN_ID, DOMAIN_TITLE, `Hotline dials phones at ${domain}, the switch's domain`)
  return warn(DOMAIN_ID, DOMAIN_TITLE, `the switch's domain is ${body}, but Hotline dials phones at phones.domain ${domain}`,
    `If the agents' phones are in ${body} (vars.xml), set phones.domain (HOTLINE_PHONES_DOMAIN) to ${body}; the directory check says whether FreeSWITCH finds them.`)
}

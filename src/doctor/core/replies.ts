/**
 * Parsers for the plain-text api replies `hotline doctor` reads. FreeSWITCH has no JSON form for
 * most of them; the layouts come from mod_sofia.c / mod_commands.c and are pinned by tests on
 * the bytes in esl-captures (02-inbound-api, 20-registration).
 */
import type { Result } from '../../shared/index.ts'
import { err, ok } from '../../shared/index.ts'

export interface SwitchVersion {
  readonly major: number
  readonly minor: number
  readonly patch: number
  /** The version as FreeSWITCH spells it, e.g. 1.11.3-dev+git~20260821T141014Z~cc93a683ca~64bit. */
  readonly text: string
}

/** `api version`: `FreeSWITCH Version 1.10.12-release~64bit (-release 64bit)` (no trailing newline). */
export function parseVersion(body: string): Result<SwitchVersion, string> {
  const m = /^FreeSWITCH Version (\d+)\.(\d+)\.(\d+)(\S*)/.exec(body.trim())
  if (!m) return err(`not a FreeSWITCH version reply: ${JSON.stringify(body.slice(0, 80))}`)
  return ok({ major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}` })
}

/** `api module_exists mod_x` answers exactly `true` or `false`. */
export function parseModuleExists(body: string): Result<boolean, string> {
  const v = body.trim()
  if (v === 'true') return ok(true)
  if (v === 'false') return ok(false)
  return err(`module_exists answered ${JSON.stringify(body.slice(0, 80))}`)
}

/** `api show channels count`: `\n2 total.\n`. */
export function parseChannelCount(body: string): Result<number, string> {
  const m = /^\s*(\d+) total\.\s*$/.exec(body)
  return m ? ok(Number(m[1])) : err(`not a channel count: ${JSON.stringify(body.slice(0, 80))}`)
}

/** `api status`: the line `2000 session(s) max` is the max-sessions of switch.conf.xml. */
export function parseMaxSessions(body: string): Result<number, string> {
  const m = /^(\d+) session\(s\) max\s*$/m.exec(body)
  return m ? ok(Number(m[1])) : err('no "session(s) max" line in the status reply')
}

export interface SofiaStatusRow {
  readonly name: string
  readonly type: 'profile' | 'alias' | 'gateway'
  readonly data: string
  readonly state: string
}

/**
 * `api sofia status`: a header, a line of `=`, then rows printed as "%25s\t%s\t  %40s\t%s"
 * (name right-aligned, type, url, state such as `RUNNING (0)` or a gateway's `REGED`), a line
 * of `=` and `2 profiles 0 aliases`.
 */
export function parseSofiaStatus(body: string): Result<SofiaStatusRow[], string> {
  if (!/\d+ profiles? \d+ alias/.test(body)) return err('not a `sofia status` reply')
  const rows: SofiaStatusRow[] = []
  for (const line of body.split('\n')) {
    const cols = line.split('\t').map((c) => c.trim())
    if (cols.length < 4) continue
    const [name = '', type = '', data = '', ...rest] = cols
    if (type === 'profile' || type === 'alias' || type === 'gateway') rows.push({ name, type, data, state: rest.join(' ') })
  }
  return ok(rows)
}

/**
 * `api sofia status gateway <name>`: `Key\tvalue` lines between two lines of `=`
 * (Name, Profile, ..., State REGED|NOREG|FAILED|..., Status UP|DOWN, Ping 0|1, ...),
 * or `Invalid Gateway!` when the name is not configured (error `unknown-gateway`).
 */
export function parseGatewayStatus(body: string): Result<ReadonlyMap<string, string>, string> {
  if (body.startsWith('Invalid Gateway!')) return err('unknown-gateway')
  const fields = keyValues(body, /^([A-Za-z-]+)\s*\t(.*)$/)
  if (!fields.has('Name') || !fields.has('State')) return err('not a `sofia status gateway` reply')
  return ok(fields)
}

export interface Registration {
  /** `1005@127.0.0.1`: the directory user and the domain it registered in. */
  readonly user: string
  readonly contact: string
  readonly status: string
  readonly agent: string
}

/**
 * `api sofia status profile internal reg`: blocks of `Key:<spaces>\t<value>` lines separated by
 * blank lines, ending with `Total items returned: N`. Plain text only (esl-captures fact 24).
 */
export function parseRegistrations(body: string): Result<Registration[], string> {
  const total = /Total items returned: (\d+)/.exec(body)
  if (!total) return err(body.startsWith('Invalid Profile!') ? 'unknown profile' : 'not a registration list')
  const regs: Registration[] = []
  for (const block of body.split(/\n\s*\n/)) {
    const f = keyValues(block, /^([A-Za-z-]+):\s*\t(.*)$/)
    const user = f.get('User')
    if (user !== undefined) regs.push({ user, contact: f.get('Contact') ?? '', status: f.get('Status') ?? '', agent: f.get('Agent') ?? '' })
  }
  if (regs.length !== Number(total[1])) return err(`registration list says ${total[1]} items but holds ${regs.length}`)
  return ok(regs)
}

function keyValues(text: string, line: RegExp): Map<string, string> {
  const out = new Map<string, string>()
  for (const l of text.split('\n')) {
    const m = line.exec(l)
    if (m?.[1] !== undefined && m[2] !== undefined && !out.has(m[1])) out.set(m[1], m[2])
  }
  return out
}

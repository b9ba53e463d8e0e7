/**
 * The PBX of the live tier: the project's own freeswitch-conf/, dialplan/ and sounds/, copied as
 * docs/deploy.md lays them out, with only the edits a site makes in vars.xml (addresses, the ESL
 * password, folders). The trunk side is played by the carrier switch (carrier-site.ts):
 *   127.0.0.1  this PBX (ESL 8021, internal 5060 for the phones, external 5080 for the trunks)
 *   127.0.0.2  the E1<->SIP gateway of span 1 (the carrier switch's profile `e1`)
 *   127.0.0.3  the carrier's SIP trunk (the carrier switch's profile `pstn`)
 *   127.0.0.4  span 2's gateway, absent (as on a site with one E1 in service)
 */
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { startFreeswitch, type FreeswitchInstance } from './freeswitch-instance.ts'

export const REPO = resolve(import.meta.dirname, '..', '..', '..')
export const PBX = { host: '127.0.0.1', internalPort: 5060, externalPort: 5080, eslPort: 8021, domain: 'hotline.local' } as const
export const E1_GATEWAY = '127.0.0.2'
export const CARRIER = '127.0.0.3'

export interface KitSite {
  readonly dir: string
  /** The copy of freeswitch-conf/ the switch runs (directory/agents/ is written here). */
  readonly confDir: string
  readonly eslPassword: string
  readonly recordingsDir: string
  readonly faxDir: string
}

/** vars.xml with `name=value` set for each entry; a name the file lacks is a test bug. */
export function siteVars(text: string, values: Readonly<Record<string, string>>): string {
  let out = text
  for (const [name, value] of Object.entries(values)) {
    const re = new RegExp(`(<X-PRE-PROCESS cmd="set" data="${name}=)[^"]*(")`)
    if (!re.test(out)) throw new Error(`vars.xml has no ${name}`)
    out = out.replace(re, (_m, a: string, b: string) => `${a}${value}${b}`)
  }
  return out
}

export function prepareKitSite(dir: string, extra: Readonly<Record<string, string>> = {}): KitSite {
  const kit = join(dir, 'kit')
  mkdirSync(kit, { recursive: true })
  // freeswitch-conf and dialplan side by side: vars.xml finds the dialplan at ../dialplan.
  cpSync(join(REPO, 'freeswitch-conf'), join(kit, 'freeswitch-conf'), { recursive: true })
  cpSync(join(REPO, 'dialplan'), join(kit, 'dialplan'), { recursive: true })
  const confDir = join(kit, 'freeswitch-conf')
  const eslPassword = randomBytes(18).toString('hex')
  const recordingsDir = join(dir, 'recordings')
  const faxDir = join(dir, 'fax')
  for (const d of [recordingsDir, faxDir]) mkdirSync(d, { recursive: true })
  const vars = join(confDir, 'vars.xml')
  writeFileSync(vars, siteVars(readFileSync(vars, 'utf8'), {
    sip_ip: PBX.host,
    hotline_esl_password: eslPassword,
    hotline_home: REPO,
    hotline_recordings_dir: recordingsDir,
    hotline_fax_dir: faxDir,
    e1_gateway_1_address: E1_GATEWAY,
    e1_gateway_2_address: '127.0.0.4',
    carrier_proxy: CARRIER,
    carrier_register: 'false',
    carrier_signalling_cidr: `${CARRIER}/32`,
    ...extra,
  }))
  return { dir, confDir, eslPassword, recordingsDir, faxDir }
}

export function startPbx(site: KitSite): Promise<FreeswitchInstance> {
  return startFreeswitch({ name: 'pbx', confDir: site.confDir, dir: join(site.dir, 'pbx'), esl: { host: PBX.host, port: PBX.eslPort, password: site.eslPassword } })
}

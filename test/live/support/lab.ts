/**
 * The live tier's site: the kit's PBX, the carrier switch, `hotline start`, each with a watcher,
 * all stopped (by pid) when the test ends, even when it fails.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startCarrier } from './carrier-site.ts'
import type { FreeswitchInstance } from './freeswitch-instance.ts'
import { login, type Api } from './hotline-api.ts'
import { prepareHotline, startHotline, type HotlineSections, type HotlineSite, type RunningHotline } from './hotline-process.ts'
import { PBX, prepareKitSite, startPbx, type KitSite } from './kit-site.ts'
import { of, SwitchWatch } from './switch-watch.ts'

interface Teardown { teardown(fn: () => unknown): void; passing?(): boolean; comment?(...m: unknown[]): void }

export interface Lab {
  readonly dir: string
  readonly kit: KitSite
  pbx: FreeswitchInstance
  readonly carrier: FreeswitchInstance
  readonly site: HotlineSite
  /** What the PBX did, and what the far end did. */
  pbxWatch: SwitchWatch
  readonly carrierWatch: SwitchWatch
  hotline: RunningHotline
  readonly admin: Api
  /** Starts `hotline start` again (after a stop or a kill). */
  restartHotline(): Promise<RunningHotline>
  /** Stops the PBX (FreeSWITCH's own shutdown: every call hung up, CDR files written), then starts it on the same folders. */
  restartPbx(): Promise<void>
}

export interface LabOptions {
  /** Sections of Hotline's config that differ from the lab's (e.g. a site's `fax:` settings). */
  readonly hotline?: HotlineSections
  /** IVR ports (ivr.maxPorts) other than the site default of 30. */
  readonly ivrPorts?: number
  /** Makes the folder the site's database goes in (e.g. a small tmpfs), given the lab's folder. */
  readonly dbDir?: (labDir: string) => string
}

export async function startLab(t: Teardown, o: LabOptions = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-live-'))
  const stops: Array<() => Promise<unknown>> = []
  const started: { lab?: Lab } = {}
  t.teardown(async () => {
    // Hotline first, then both switches at once (each takes a few seconds to shut down).
    // A failed test shows what Hotline warned about: the switch's events alone cannot say who hung up.
    if (t.passing && !t.passing() && started.lab) {
      const warned = started.lab.hotline.lines.filter((l) => Number(l['level'] ?? 0) >= 40).slice(-25)
      t.comment?.(`hotline's last warnings:\n${warned.map((l) => JSON.stringify(l)).join('\n') || '(none)'}`)
    }
    const [hotlineStop, ...rest] = stops.reverse()
    await hotlineStop?.().catch(() => undefined)
    await Promise.all(rest.map((s) => s().catch(() => undefined)))
    if (!process.env['LIVE_KEEP']) rmSync(dir, { recursive: true, force: true })
  })
  const kit = prepareKitSite(dir)
  const [pbx, carrier] = await Promise.all([startPbx(kit), startCarrier(dir)])
  const [pbxWatch, carrierWatch] = await Promise.all([SwitchWatch.on(pbx), SwitchWatch.on(carrier)])
  stops.push(async () => (lab.pbxWatch.close(), await lab.pbx.stop()), async () => (carrierWatch.close(), await carrier.stop()))
  const site = await prepareHotline(join(dir, 'hotline'), kit, o.hotline, o.ivrPorts, o.dbDir?.(dir))
  let hotline = await startHotline(site)
  stops.push(() => lab.hotline.stop('SIGKILL'))
  const admin = await login('admin', site.adminPassword)
  const lab: Lab = {
    dir, kit, pbx, carrier, site, pbxWatch, carrierWatch, hotline, admin,
    async restartHotline() {
      hotline = await startHotline(site)
      lab.hotline = hotline
      return hotline
    },
    async restartPbx() {
      lab.pbxWatch.close()
      await lab.pbx.stop()
      lab.pbx = await startPbx(kit)
      lab.pbxWatch = await SwitchWatch.on(lab.pbx)
    },
  }
  started.lab = lab
  return lab
}

export interface TrunkCall {
  /** The caller's leg on the carrier switch: where the test speaks and dials as the caller. */
  readonly far: string
  /** The same call's leg on the PBX: what Hotline drives. */
  readonly leg: string
}

/**
 * A call from the PSTN through the E1 gateway into the kit's trunk port, as an E1 call arrives:
 * the carrier switch's `e1` profile sends INVITE sip:<did>@127.0.0.1:5080 with the caller's number.
 */
export async function placeTrunkCall(lab: Lab, o: { from: string; did?: string; name?: string }): Promise<TrunkCall> {
  const far = crypto.randomUUID()
  const seenOnPbx = lab.pbxWatch.next((e) => e.name === 'CHANNEL_CREATE' && e.header('Caller-Caller-ID-Number') === o.from, `the trunk call from ${o.from} on the PBX`)
  // A phone line carries sound (or comfort noise) even when the caller says nothing; a leg
  // parked at the gateway would send no RTP at all, and the kit's trunk profile hangs such a call
  // up after rtp-timeout-sec (60 s, MEDIA_TIMEOUT) — so the caller's leg sends silence when idle
  // (switch_ivr.c park loop, send_silence_when_idle).
  const vars = [`origination_uuid=${far}`, `origination_caller_id_number=${o.from}`, 'send_silence_when_idle=400', ...(o.name ? [`origination_caller_id_name='${o.name}'`] : [])]
  const r = await lab.carrier.connect().then(async (c) => {
    try {
      return await c.bgapi(`originate {${vars.join(',')}}sofia/e1/${o.did ?? '96200'}@${PBX.host}:${PBX.externalPort} &park()`, { timeoutMs: 20_000 })
    } finally {
      c.close()
    }
  })
  if (!r.ok || !r.value.startsWith('+OK')) throw new Error(`trunk call from ${o.from}: ${r.ok ? r.value : r.error.message}`)
  const leg = (await seenOnPbx).header('Unique-ID') ?? ''
  return { far, leg }
}

/** The caller presses keys: RFC 2833 telephone-events from the gateway, as a handset sends them. */
export async function callerPresses(lab: Lab, call: TrunkCall, digits: string): Promise<void> {
  const r = await lab.carrierWatch.api(`uuid_send_dtmf ${call.far} ${digits}`)
  if (!r.startsWith('+OK')) throw new Error(`uuid_send_dtmf: ${r}`)
}

export { of }

/**
 * How the live tier finds a real FreeSWITCH. Inside the tier's namespace (scripts/live-tier.sh,
 * what `npm run test:live` and CI run), a switch of its own on the project's kit, stopped when the
 * test file ends. Elsewhere (on a PBX host, pointing the tier at the installed switch):
 * HOTLINE_LIVE_ESL_HOST / _PORT (default 127.0.0.1:8021) with HOTLINE_LIVE_ESL_PASSWORD, or else
 * the ESL password of Hotline's own configuration (HOTLINE_CONFIG, HOTLINE_ESL_PASSWORD,
 * ./hotline.yaml). No password, or nothing answering: the reason to skip. Something that answers
 * but refuses the password: a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/app/index.ts'
import { connectEsl, type EslClient, type EslEvent } from '../../src/esl/index.ts'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { prepareKitSite, startPbx } from './support/kit-site.ts'

export interface LiveSwitch {
  readonly client: EslClient
  readonly host: string
  readonly port: number
  readonly password: string
}

export const wait = { timeoutMs: 20_000 }

export async function findSwitch(events: readonly string[], t: { teardown(fn: () => unknown): void }): Promise<LiveSwitch | string> {
  const env = process.env
  if (!env['HOTLINE_LIVE_ESL_HOST'] && labUnavailable() === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-live-'))
    const pbx = await startPbx(prepareKitSite(dir))
    t.teardown(async () => {
      await pbx.stop()
      rmSync(dir, { recursive: true, force: true })
    })
    return { client: await pbx.connect(events), ...pbx.esl }
  }
  const host = env['HOTLINE_LIVE_ESL_HOST'] ?? '127.0.0.1'
  const port = Number(env['HOTLINE_LIVE_ESL_PORT'] ?? 8021)
  const config = loadConfig({ cwd: process.cwd(), env })
  const password = env['HOTLINE_LIVE_ESL_PASSWORD'] || (config.ok ? config.value.esl.password : undefined)
  if (!password) return 'no FreeSWITCH configured (set HOTLINE_LIVE_ESL_PASSWORD, or esl.password in Hotline\'s config)'
  const r = await connectEsl({ host, port, password, events, connectTimeoutMs: 2_000, timeoutMs: 2_000 })
  if (r.ok) return { client: r.value, host, port, password }
  if (r.error.code === 'esl-connect-failed') return `no FreeSWITCH answering at ${host}:${port} (${r.error.message})`
  throw new Error(`FreeSWITCH at ${host}:${port}: ${r.error.code}: ${r.error.message}`)
}

/** Resolves with the first event that matches, from now on. */
export function nextEvent(client: EslClient, pred: (ev: EslEvent) => boolean): Promise<EslEvent> {
  return new Promise((resolve) => {
    const off = client.onEvent((ev) => {
      if (pred(ev)) {
        off()
        resolve(ev)
      }
    })
  })
}

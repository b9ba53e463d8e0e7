/**
 * One private FreeSWITCH process for the live tier: its own folders under `dir`, the lab build
 * from ../shared/freeswitch installed at /usr/local/freeswitch, started in the tier's network
 * namespace (scripts/live-tier.sh runs the whole tap process inside it, so every address here is
 * that namespace's loopback). Stopped by its pid; nothing is left running.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectEsl, type EslClient } from '../../../src/esl/index.ts'

export const FREESWITCH_BIN = '/usr/local/freeswitch/bin/freeswitch'
const FOLDERS = ['log', 'db', 'run', 'cache', 'temp', 'storage', 'recordings', 'sounds', 'certs'] as const

export interface FreeswitchInstance {
  readonly name: string
  readonly dir: string
  readonly esl: { readonly host: string; readonly port: number; readonly password: string }
  readonly pid: number
  readonly logFile: string
  /** A new ESL connection subscribed to these events (closed by the caller). */
  connect(events?: readonly string[]): Promise<EslClient>
  /** Graceful stop (SIGTERM, as `freeswitch -stop`), then SIGKILL past the deadline. */
  stop(): Promise<void>
  /** The last lines of its log, for failure messages. */
  logTail(lines?: number): string
}

/** Why the live tier cannot run here, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (!existsSync(FREESWITCH_BIN)) return `no FreeSWITCH at ${FREESWITCH_BIN} (scripts/live-tier.sh installs the lab build from ../shared/freeswitch)`
  if (!process.env['HOTLINE_LIVE_NETNS']) return 'not inside the live tier\'s network namespace: run `npm run test:live` (scripts/live-tier.sh)'
  return undefined
}

export async function startFreeswitch(o: { name: string; confDir: string; dir: string; esl: FreeswitchInstance['esl'] }): Promise<FreeswitchInstance> {
  for (const f of FOLDERS) mkdirSync(join(o.dir, f), { recursive: true })
  const args = ['-nonat', '-ncwait', '-conf', o.confDir, ...FOLDERS.flatMap((f) => [`-${f}`, join(o.dir, f)])]
  // -ncwait forks, and the parent returns only when the switch is ready (switch.c).
  const code = await new Promise<number>((done, fail) => {
    const p = spawn(FREESWITCH_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (b: Buffer) => (out += b.toString()))
    p.stderr.on('data', (b: Buffer) => (out += b.toString()))
    p.on('error', fail)
    p.on('exit', (c) => (c === 0 ? done(0) : fail(new Error(`${o.name}: freeswitch exited ${c}: ${out.slice(-2000)}`))))
  })
  void code
  const pidFile = join(o.dir, 'run', 'freeswitch.pid')
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  const logFile = join(o.dir, 'log', 'freeswitch.log')
  const logTail = (n = 40): string => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n')
    } catch {
      return '(no log)'
    }
  }
  const connect = async (events: readonly string[] = []): Promise<EslClient> => {
    const r = await connectEsl({ ...o.esl, events, connectTimeoutMs: 5_000, timeoutMs: 10_000 })
    if (!r.ok) throw new Error(`${o.name}: ESL ${o.esl.host}:${o.esl.port}: ${r.error.code} ${r.error.message}\n${logTail()}`)
    return r.value
  }
  return { name: o.name, dir: o.dir, esl: o.esl, pid, logFile, connect, logTail, stop: () => stopPid(pid, 20_000) }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The process is a daemon (not our child): its exit is watched on /proc, with a deadline. */
export async function stopPid(pid: number, graceMs: number): Promise<void> {
  if (!alive(pid)) return
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL')
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50))
  }
}

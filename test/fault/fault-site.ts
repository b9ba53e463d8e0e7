/**
 * The fault suite's site: `hotline start` (the real CLI, its own process) with its own config,
 * flows and SQLite database, against a switch that outlives it — the simulator run as a process of
 * its own (sim-process.ts). The suite reaches Hotline only as a site would: its API, its log, its
 * database file, signals; it injects faults at the switch (lost events, a stall, slow replies) and
 * at the process (kill -9, a full disk, a folder it cannot write).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import Database from 'better-sqlite3'
import { login, must, type Api } from '../live/support/hotline-api.ts'
import { cli, startHotline, type RunningHotline } from '../live/support/hotline-process.ts'
import { REPO } from '../live/support/kit-site.ts'

const SIM = join(REPO, 'test', 'fault', 'sim-process.ts')

/** Command and answer, one JSON line each way. */
export class SimProcess {
  readonly #child: ChildProcess
  readonly #waiting: ((answer: Record<string, unknown>) => void)[] = []
  private constructor(child: ChildProcess, readonly port: number) {
    this.#child = child
    createInterface({ input: child.stdout! }).on('line', (l) => this.#waiting.shift()?.(JSON.parse(l) as Record<string, unknown>))
  }

  static start(password: string, phones: readonly string[]): Promise<SimProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', SIM, password, phones.join(',')], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the simulator process did not start within 30 s')), 30_000)
      const first = createInterface({ input: child.stdout })
      first.once('line', (l) => {
        clearTimeout(timer)
        first.close()
        resolve(new SimProcess(child, (JSON.parse(l) as { port: number }).port))
      })
      child.once('exit', (code) => reject(new Error(`the simulator process exited (${code})`)))
    })
  }

  cmd<T = Record<string, unknown>>(c: Record<string, unknown>): Promise<T> {
    return new Promise((resolve) => {
      this.#waiting.push((a) => resolve(a as T))
      this.#child.stdin!.write(JSON.stringify(c) + '\n')
    })
  }

  channels(): Promise<{ uuid: string; answered: boolean; offer: string | null; bridgedTo: string | null }[]> {
    return this.cmd<{ channels: { uuid: string; answered: boolean; offer: string | null; bridgedTo: string | null }[] }>({ op: 'channels' }).then((r) => r.channels)
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.#child.once('exit', () => resolve())
      this.#child.stdin!.end()
    })
  }
}

export interface CdrRow {
  readonly call_id: string
  readonly caller_number: string
  readonly ended_at: number | null
  readonly outcome: string | null
  readonly agent_id: string | null
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise((r) => server.close(r))
  return port
}

export interface SiteOptions {
  /** esl.heartbeatTimeoutMs (the fast subset shortens it so a stall is noticed sooner). */
  readonly heartbeatTimeoutMs?: number
  /** Where the database lives (a small tmpfs for the full-disk fault). */
  readonly dbDir?: string
  readonly agents?: readonly { readonly id: string; readonly extension: string }[]
}

export class FaultSite {
  hotline: RunningHotline | undefined
  admin!: Api
  /** Exits nobody asked for (a crash), and fatal log lines. */
  crashes = 0
  #stopping = false

  private constructor(readonly dir: string, readonly configFile: string, readonly db: string, readonly http: { host: string; port: number }, readonly sim: SimProcess, readonly adminPassword: string, readonly agents: readonly { id: string; extension: string }[]) {}

  get base(): string {
    return `http://${this.http.host}:${this.http.port}/api/v1`
  }

  static async prepare(dir: string, o: SiteOptions = {}): Promise<FaultSite> {
    const agents = o.agents ?? [{ id: 'lin', extension: '2001' }, { id: 'chen', extension: '2002' }]
    const password = 'fault-' + Math.random().toString(36).slice(2)
    const sim = await SimProcess.start(password, agents.map((a) => a.extension))
    mkdirSync(dir, { recursive: true })
    const flows = join(dir, 'ivr-scripts')
    cpSync(join(REPO, 'ivr-scripts'), flows, { recursive: true })
    // Open round the clock: the suite must not depend on the hour it runs (the one edit a designer makes).
    const calendar = join(flows, 'hotline.yaml')
    writeFileSync(calendar, readFileSync(calendar, 'utf8').replaceAll('08:00-20:00', '00:00-24:00').replace(/holidays: \[[^\]]*\]/, 'holidays: []'))
    const db = join(o.dbDir ?? dir, 'hotline.sqlite')
    const http = { host: '127.0.0.1', port: await freePort() }
    const configFile = join(dir, 'hotline.yaml')
    writeFileSync(configFile, [
      `esl: { host: 127.0.0.1, port: ${sim.port}, password: "${password}", reconnect: { initialMs: 200, maxMs: 1000 }${o.heartbeatTimeoutMs ? `, heartbeatTimeoutMs: ${o.heartbeatTimeoutMs}` : ''} }`,
      `http: { host: ${http.host}, port: ${http.port} }`,
      `db: { filename: "${db}" }`,
      'log: { level: info }',
      `ivr: { scriptsDir: "${flows}", soundsDir: "${join(REPO, 'sounds')}" }`,
      `paths: { fax: "${join(dir, 'fax')}", messages: "${join(dir, 'messages')}", switchCdr: "${join(dir, 'xml_cdr')}" }`,
      `recording: { root: "${join(dir, 'recordings')}" }`,
    ].join('\n') + '\n')
    const adminPassword = 'fault-admin-' + Math.random().toString(36).slice(2)
    const site = new FaultSite(dir, configFile, db, http, sim, adminPassword, agents)
    await cli(['user', 'add', 'admin', '--role', 'admin', '--password-stdin'], site, adminPassword + '\n')
    return site
  }

  /** `hotline start`, logged in as admin; the first start also sets up the agents, ready. */
  async start(): Promise<void> {
    this.#stopping = false
    const h = await startHotline(this, { http: this.http })
    this.hotline = h
    void h.exited.then((code) => {
      if (!this.#stopping) this.crashes++
      void code
    })
    this.admin = await login('admin', this.adminPassword, this.base)
  }

  async setUpAgents(): Promise<void> {
    await must(this.admin.call('PUT', '/queues/general', { wrapUp: 1000, ringTimeout: 15_000 }), 'the queue')
    for (const a of this.agents) {
      await must(this.admin.call('PUT', `/agents/${a.id}`, { name: `Agent ${a.id}`, contact: { kind: 'sip', user: a.extension }, skills: { general: 1 }, queues: ['general'] }), `agent ${a.id}`)
      await must(this.admin.call('POST', `/agents/${a.id}/presence`, { state: 'ready' }), `${a.id} ready`)
    }
  }

  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    this.#stopping = true
    await this.hotline?.stop(signal)
    this.hotline = undefined
  }

  async close(): Promise<void> {
    await this.stop()
    await this.sim.stop()
  }

  /** VmRSS of the Hotline process, in MiB. */
  rssMiB(): number {
    const pid = this.hotline?.pid
    if (!pid) return 0
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return Math.round(Number(kb ?? 0) / 1024)
  }

  cdrs(): CdrRow[] {
    const db = new Database(this.db, { readonly: true, fileMustExist: true })
    try {
      return db.prepare('select call_id, caller_number, ended_at, outcome, agent_id from cdr order by arrived_at').all() as CdrRow[]
    } finally {
      db.close()
    }
  }

  /** Fatal log lines of the running process (pino level 60). */
  fatalLines(): number {
    return (this.hotline?.lines ?? []).filter((l) => (l.level ?? 0) >= 60).length
  }
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function within<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${last instanceof Error ? ` (${last.message})` : ''}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/**
 * Hotline as a site runs it: `hotline start` (bin/hotline.js, the real CLI) in its own process,
 * with its own config file and database, talking to the kit's switch. The test reaches it only as
 * an engineer or a console would: its HTTP API, its log lines (pino JSON on stdout), signals.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO, type KitSite } from './kit-site.ts'

export const HOTLINE_HTTP = { host: '127.0.0.1', port: 18080 } as const
const BIN = join(REPO, 'bin', 'hotline.js')

export interface HotlineSite {
  readonly dir: string
  readonly configFile: string
  readonly adminPassword: string
  readonly db: string
}

/** Top-level sections of the site's hotline.yaml, each as inline YAML (`fax: '{ channels: 2 }'`); a given one replaces the lab's. */
export type HotlineSections = Readonly<Record<string, string>>

export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string; readonly level?: number }

/**
 * The site's Hotline folder: a config file, the flows (the repo's, with the agents' calendar open
 * round the clock so the test does not depend on the hour it runs — the one edit an IVR designer
 * would make), an admin user made with `hotline user add` as docs/deploy.md says.
 */
export async function prepareHotline(dir: string, kit: KitSite, over: HotlineSections = {}, ivrPorts?: number, dbDir?: string): Promise<HotlineSite> {
  mkdirSync(dir, { recursive: true })
  const flows = join(dir, 'ivr-scripts')
  cpSync(join(REPO, 'ivr-scripts'), flows, { recursive: true })
  const calendar = join(flows, 'hotline.yaml')
  writeFileSync(calendar, readFileSync(calendar, 'utf8').replaceAll('08:00-20:00', '00:00-24:00').replace(/holidays: \[[^\]]*\]/, 'holidays: []'))
  const db = join(dbDir ?? dir, 'hotline.sqlite')
  const configFile = join(dir, 'hotline.yaml')
  const sections: HotlineSections = {
    esl: `{ host: 127.0.0.1, port: 8021, password: "${kit.eslPassword}", reconnect: { initialMs: 200, maxMs: 2000 } }`,
    http: `{ host: ${HOTLINE_HTTP.host}, port: ${HOTLINE_HTTP.port} }`,
    db: `{ filename: "${db}" }`,
    log: '{ level: debug }',
    ivr: `{ scriptsDir: "${flows}", soundsDir: "${join(REPO, 'sounds')}"${ivrPorts ? `, maxPorts: ${ivrPorts}` : ''} }`,
    // mod_xml_cdr writes into the switch's log folder (the kit's xml_cdr.conf.xml); the PBX runs in <kit dir>/pbx.
    paths: `{ fax: "${kit.faxDir}", messages: "${join(dir, 'messages')}", switchCdr: "${join(kit.dir, 'pbx', 'log', 'xml_cdr')}" }`,
    recording: `{ root: "${kit.recordingsDir}" }`,
    ...over,
  }
  writeFileSync(configFile, Object.entries(sections).map(([k, v]) => `${k}: ${v}\n`).join(''))
  const adminPassword = 'live-admin-' + Math.random().toString(36).slice(2)
  await cli(['user', 'add', 'admin', '--role', 'admin', '--password-stdin'], { configFile, dir }, adminPassword + '\n')
  return { dir, configFile, adminPassword, db }
}

/**
 * One CLI command against the site's config; throws with its output when it fails. Never
 * spawnSync: a blocked event loop lets the API's idle keep-alive sockets expire unseen, and the
 * next request on one of them fails with "other side closed".
 */
export function cli(args: readonly string[], site: Pick<HotlineSite, 'configFile' | 'dir'>, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--config', site.configFile], { cwd: site.dir, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')))
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')))
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`hotline ${args.join(' ')} exited ${code}: ${out}\n${err}`))
    })
    child.stdin.end(input ?? '')
  })
}

export interface RunningHotline {
  readonly process: ChildProcess
  readonly pid: number
  readonly lines: readonly LogLine[]
  /** The first log line (from the start, or only new ones) that matches, with a deadline. */
  waitLog(pred: (l: LogLine) => boolean, what: string, o?: { timeoutMs?: number; fromNow?: boolean }): Promise<LogLine>
  /** SIGTERM and the exit (graceful stop), or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>
  readonly exited: Promise<number | null>
}

export async function startHotline(site: Pick<HotlineSite, 'configFile' | 'dir'>, o: { timeoutMs?: number; http?: { host: string; port: number } } = {}): Promise<RunningHotline> {
  const child = spawn(process.execPath, [BIN, 'start', '--config', site.configFile], { cwd: site.dir, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: LogLine[] = []
  const watchers = new Set<(l: LogLine) => void>()
  let partial = ''
  let stderr = ''
  child.stdout.on('data', (b: Buffer) => {
    const text = partial + b.toString('utf8')
    const parts = text.split('\n')
    partial = parts.pop() ?? ''
    for (const p of parts) {
      if (!p.trim()) continue
      let line: LogLine
      try {
        line = JSON.parse(p) as LogLine
      } catch {
        line = { msg: p }
      }
      lines.push(line)
      if (process.env['LIVE_LOG']) process.stderr.write(`[hotline] ${p}\n`)
      for (const w of watchers) w(line)
    }
  })
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')))
  const exited = new Promise<number | null>((done) => child.on('exit', (code, signal) => {
    if (process.env['LIVE_LOG']) process.stderr.write(`[hotline] exited ${code} ${signal}\n`)
    done(code)
  }))
  const tail = (): string => lines.slice(-15).map((l) => JSON.stringify(l)).join('\n') + (stderr ? `\nstderr: ${stderr.slice(-1500)}` : '')
  const waitLog: RunningHotline['waitLog'] = (pred, what, w = {}) => {
    if (!w.fromNow) {
      const seen = lines.find(pred)
      if (seen) return Promise.resolve(seen)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        watchers.delete(watch)
        reject(new Error(`hotline: no log line ${what} within ${w.timeoutMs ?? 20_000} ms; last lines:\n${tail()}`))
      }, w.timeoutMs ?? 20_000)
      const watch = (l: LogLine): void => {
        if (!pred(l)) return
        clearTimeout(timer)
        watchers.delete(watch)
        resolve(l)
      }
      watchers.add(watch)
      void exited.then((code) => {
        if (!watchers.has(watch)) return
        clearTimeout(timer)
        watchers.delete(watch)
        reject(new Error(`hotline exited (${code}) before ${what}; last lines:\n${tail()}`))
      })
    })
  }
  const running: RunningHotline = {
    process: child, pid: child.pid ?? -1, lines, waitLog, exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill(signal)
      return exited
    },
  }
  await waitLog((l) => l.msg === 'listening', 'listening', { timeoutMs: o.timeoutMs ?? 30_000 })
  await untilConnected(o.http ?? HOTLINE_HTTP, o.timeoutMs ?? 30_000)
  return running
}

/** Health says the switch link is up (the process was started a moment ago; the deadline bounds it). */
async function untilConnected(http: { host: string; port: number }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const r = await fetch(`http://${http.host}:${http.port}/api/v1/health`).then((x) => x.json() as Promise<{ switch: { state: string } }>, () => undefined)
    if (r?.switch.state === 'connected') return
    if (Date.now() > deadline) throw new Error(`hotline never connected to the switch (health: ${JSON.stringify(r)})`)
    await new Promise((done) => setTimeout(done, 200))
  }
}

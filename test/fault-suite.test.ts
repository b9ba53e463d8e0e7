/**
 * The fault suite: Hotline as a site runs it (`hotline start`, its own process) against a switch
 * that outlives it (the simulator as a process of its own), with each fault of a bad day injected
 * and, after it, what a manager would count: every call's CDR closed, no row lost, no crash, no
 * agent left stuck, no leg left up on the switch, and the process's memory before and after.
 * It ends with the table. `npm test` runs this fast subset (a 15 s stall, fewer clients and
 * requests, no slow replies); `.ci/run` runs it in full (`npm run test:fault`: FAULT_FULL=1 — the 75 s stall, 200
 * non-reading streams with 3,000 ACD events, 5,000 fuzzed requests, and a full disk on a tmpfs where
 * the machine allows a mount). The same faults on the real switch: test/live/site-restart,
 * site-switch-restart and site-disk-full.
 */
import t, { type Test } from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { login, must } from './live/support/hotline-api.ts'
import { cli } from './live/support/hotline-process.ts'
import { FaultSite, within } from './fault/fault-site.ts'

const FULL = process.env['FAULT_FULL'] === '1'
t.setTimeout(FULL ? 900_000 : 240_000)

interface Row { fault: string; calls: number; closed: number; lost: number; crashes: number; rssBefore: number; rssAfter: number; note: string }
const table: Row[] = []

let n = 0
/** A fresh site per fault, so one fault's leftovers cannot hide or cause another's. */
async function site(t: Test, o: Parameters<typeof FaultSite.prepare>[1] = {}): Promise<FaultSite> {
  const dir = mkdtempSync(join(tmpdir(), `hotline-fault-${++n}-`))
  const s = await FaultSite.prepare(dir, { ...(FULL ? {} : { heartbeatTimeoutMs: 8_000 }), ...o })
  t.teardown(async () => {
    await s.close()
    rmSync(dir, { recursive: true, force: true })
  })
  await s.start()
  await s.setUpAgents()
  return s
}

interface Caller { readonly id: number; readonly number: string }
let numbers = 0

/** Callers dial the hotline; `toAgent` of them press 0 in the main menu (5 s in, as the demo's do). */
async function callersArrive(s: FaultSite, count: number, toAgent: number): Promise<Caller[]> {
  const out: Caller[] = []
  for (let i = 0; i < count; i++) {
    const number = `1380010${String(++numbers).padStart(4, '0')}`
    const { id } = await s.sim.cmd<{ id: number }>({ op: 'call', caller: number, did: '96200' })
    out.push({ id, number })
    if (i < toAgent) setTimeout(() => void s.sim.cmd({ op: 'press', id, digits: '0' }), 5000)
  }
  return out
}

/** Agents on calls, as the ACD says (its API). */
async function agentsOnCall(s: FaultSite, count: number, ms = 30_000): Promise<void> {
  await within(`${count} agents on a call`, ms, async () => {
    const r = await must(s.admin.call<{ agents: { activity: { kind: string } }[] }>('GET', '/agents'), 'agents')
    return r.agents.filter((a) => a.activity.kind === 'on-call').length >= count ? true : undefined
  })
}

/**
 * Everyone hangs up; then, within a deadline: one closed CDR per caller, every agent free, nothing
 * left up on the switch. The row of the table is filled from what was found, not from hopes.
 */
async function settle(t: Test, s: FaultSite, fault: string, callers: readonly Caller[], rssBefore: number, note = ''): Promise<void> {
  await s.sim.cmd({ op: 'hangupAll' })
  const closed = (): number => {
    const rows = s.cdrs()
    return callers.filter((c) => rows.filter((r) => r.caller_number === c.number && r.ended_at !== null).length === 1).length
  }
  await within(`${fault}: every CDR closed`, 40_000, () => (closed() === callers.length ? true : undefined)).catch(() => undefined)
  const agentsFree = await within(`${fault}: every agent free`, 20_000, async () => {
    const r = await must(s.admin.call<{ agents: { id: string; activity: { kind: string } }[] }>('GET', '/agents'), 'agents')
    return r.agents.every((a) => a.activity.kind === 'idle') ? true : undefined
  }).catch(() => false)
  const legsLeft = await within(`${fault}: no leg left on the switch`, 20_000, async () => ((await s.sim.channels()).length === 0 ? 0 : undefined))
    .catch(async () => (await s.sim.channels()).length)
  const rows = s.cdrs()
  const c = closed()
  const row: Row = { fault, calls: callers.length, closed: c, lost: callers.length - c, crashes: s.crashes + s.fatalLines(), rssBefore, rssAfter: s.rssMiB(), note }
  table.push(row)
  t.equal(row.lost, 0, `${fault}: one closed CDR per call (${c}/${callers.length}; rows ${JSON.stringify(rows.map((r) => [r.caller_number, r.ended_at !== null, r.outcome]))})`)
  t.equal(row.crashes, 0, `${fault}: no crash`)
  t.ok(agentsFree, `${fault}: every agent free again`)
  t.equal(legsLeft, 0, `${fault}: no leg left up on the switch`)
}

t.test('kill -9 with calls in the IVR and with agents, calls ending while Hotline is down', async (t) => {
  const s = await site(t)
  const callers = await callersArrive(s, 4, 2)
  await agentsOnCall(s, 2)
  const rss = s.rssMiB()
  await s.stop('SIGKILL')
  await s.sim.cmd({ op: 'hangupAll' })
  await s.start()
  await settle(t, s, 'kill -9, calls end while down', callers, rss)
})

t.test(`${FULL ? 250 : 60} events lost while calls end`, async (t) => {
  const s = await site(t)
  const callers = await callersArrive(s, 3, 2)
  await agentsOnCall(s, 2)
  const rss = s.rssMiB()
  await s.sim.cmd({ op: 'loseEvents', n: FULL ? 250 : 60 })
  await settle(t, s, `${FULL ? 250 : 60} lost events`, callers, rss, 'the periodic audit ends the ghosts')
})

t.test(`a ${FULL ? 75 : 15} s stall of the ESL link while callers come and go`, async (t) => {
  const s = await site(t)
  const callers = await callersArrive(s, 3, 3)
  await agentsOnCall(s, 2)
  const rss = s.rssMiB()
  await s.sim.cmd({ op: 'stall', ms: FULL ? 75_000 : 15_000 })
  // While stalled: the waiting caller gives up, a new caller asks for an agent.
  await s.sim.cmd({ op: 'hangup', id: callers[2]!.id })
  const more = await callersArrive(s, 1, 1)
  await s.hotline!.waitLog((l) => typeof l.msg === 'string' && /reconnect|disconnected|HEARTBEAT/i.test(l.msg), 'the link given up and reconnected', { timeoutMs: (FULL ? 75_000 : 15_000) + 10_000 }).catch(() => undefined)
  await within('the link back', 90_000, async () => ((await fetch(`${s.base}/health`).then((r) => r.json() as Promise<{ switch: { state: string } }>)).switch.state === 'connected' ? true : undefined))
  // The caller who dialled during the stall is adopted once the link is back — unless they rang
  // out first (the caller's own 60 s originate timeout, inside a 75 s stall): such a call began
  // and ended wholly while Hotline was blind and is in the switch's xml_cdr only.
  const adopted = await within('the caller who came during the stall adopted', 20_000, () => (s.cdrs().some((r) => r.caller_number === more[0]!.number) ? true : undefined)).catch(() => false)
  await settle(t, s, `${FULL ? 75 : 15} s stall`, adopted ? [...callers, ...more] : callers, rss, adopted ? '' : `1 more rang out wholly inside the stall: switch record only (TODO)`)
  if (!adopted) t.fail('a call that began and ended while the link was stalled leaves a CDR', { todo: 'import the calls Hotline never saw from mod_xml_cdr files at the reconnect' })
})

t.test('slow replies from the switch', { skip: FULL ? false : 'the full run only (npm run test:fault)' }, async (t) => {
  const s = await site(t)
  await s.sim.cmd({ op: 'replyDelay', ms: FULL ? 3000 : 1500 })
  const rss = s.rssMiB()
  const callers = await callersArrive(s, 4, 2)
  await agentsOnCall(s, 2, 60_000)
  await settle(t, s, `replies ${FULL ? 3 : 1.5} s late`, callers, rss, 'both callers reached agents')
})

t.test('a database folder Hotline cannot write: a clear message naming the setting, no stack trace, exit 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-fault-ro-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // A regular file where the folder should be: not even root can create the database there.
  writeFileSync(join(dir, 'not-a-folder'), '')
  const config = join(dir, 'hotline.yaml')
  writeFileSync(config, `db: { filename: "${join(dir, 'not-a-folder', 'hotline.sqlite')}" }\nesl: { password: "x-not-default" }\nhttp: { port: 1 }\n`)
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'hotline.js'), 'start', '--config', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.stderr.on('data', (b: Buffer) => (out += b.toString()))
    child.on('exit', (code) => resolve({ code, out }))
  })
  t.equal(r.code, 1, 'exits 1')
  t.match(r.out, /db\.filename/, 'names the setting')
  t.notMatch(r.out, /\n\s+at .*\.(ts|js):\d+/, 'no stack trace')
  table.push({ fault: 'unwritable database folder', calls: 0, closed: 0, lost: 0, crashes: r.code === 1 ? 0 : 1, rssBefore: 0, rssAfter: 0, note: 'refused at start, names db.filename' })
})

/** A client that opens an event stream and never reads a byte of it. */
function deafStream(s: FaultSite, path: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect(s.http.port, s.http.host, () => {
      sock.write(`GET /api/v1${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`)
      sock.pause()
      resolve(sock)
    })
    sock.on('error', reject)
  })
}

t.test(`${FULL ? 200 : 20} screen-pop and wallboard clients that never read, through ${FULL ? 3000 : 200} ACD events`, async (t) => {
  const s = await site(t)
  const clients = FULL ? 200 : 20
  const users = Math.ceil(clients / 4)
  const tokens: string[] = []
  for (let i = 0; i < users; i++) {
    await cli(['user', 'add', `watch${i}`, '--role', 'supervisor', '--password-stdin'], s, 'watch-password-1\n')
    tokens.push((await login(`watch${i}`, 'watch-password-1', s.base)).token)
  }
  const rss = s.rssMiB()
  const socks: Socket[] = []
  for (let i = 0; i < clients; i++) socks.push(await deafStream(s, i % 2 ? '/wallboard/events' : '/acd/events', tokens[i % users]!))
  t.teardown(() => socks.forEach((x) => x.destroy()))
  const events = FULL ? 3000 : 200
  for (let i = 0; i < events / 2; i++) {
    // Each change is an ACD event to every stream (and a fresh board to every wallboard).
    await must(s.admin.call('POST', '/agents/lin/presence', { state: 'not-ready' }), 'not ready')
    await must(s.admin.call('POST', '/agents/lin/presence', { state: 'ready' }), 'ready')
  }
  const during = s.rssMiB()
  socks.forEach((x) => x.destroy())
  const health = await fetch(`${s.base}/health`)
  t.equal(health.status, 200, 'still answering')
  t.ok(during - rss < 150, `memory bounded while they do not read (${rss} → ${during} MiB)`)
  await settle(t, s, `${clients} deaf event streams`, [], rss, `${events} ACD events; ${during} MiB at the peak`)
})

/** Requests as a fuzzer sends them: bad percent-encoding, odd ids, broken bodies, with and without a token. */
function* fuzzed(count: number, token: string): Generator<{ method: string; path: string; headers: Record<string, string>; body?: Buffer | string }> {
  const paths = ['/users/%ff', '/users/%', '/agents/%E0%A4%A', '/agents/..%2f..%2fetc', '/calls/x/hold', '/calls/%00/disposition', '/queues/general',
    '/work-orders/abc', '/customers/999/contacts', '/recordings/1/audio', '/faxes/nope/pdf', '/auth/login', '/agents/lin/presence', '/wallboard', `/agents/${'a'.repeat(5000)}`]
  const bodies: (Buffer | string)[] = ['{', '[]', 'null', '{"state":1}', '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}', 'x'.repeat(70_000), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), gzipSync('{"username":"admin"').subarray(0, 12)]
  let seed = 7
  const pick = <T>(xs: readonly T[]): T => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length]!
  for (let i = 0; i < count; i++) {
    const body = pick([undefined, ...bodies])
    const headers: Record<string, string> = {}
    if (pick([true, false])) headers['authorization'] = `Bearer ${token}`
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
      if (Buffer.isBuffer(body)) headers['content-encoding'] = pick(['gzip', 'br', 'deflate'])
    }
    yield { method: pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: pick(paths), headers, ...(body === undefined ? {} : { body }) }
  }
}

t.test(`${FULL ? 5000 : 400} fuzzed API requests: every client error a 4xx, nothing logged as an error`, async (t) => {
  const s = await site(t)
  const rss = s.rssMiB()
  const from = s.hotline!.lines.length
  const statuses = new Map<number, number>()
  for (const r of fuzzed(FULL ? 5000 : 400, s.admin.token)) {
    const res = await fetch(`${s.base}${r.path}`, { method: r.method, headers: r.headers, ...(r.body === undefined || r.method === 'GET' ? {} : { body: r.body }) })
    await res.arrayBuffer()
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
  }
  const fiveHundreds = [...statuses].filter(([code]) => code >= 500).reduce((a, [, c]) => a + c, 0)
  t.equal(fiveHundreds, 0, `no 5xx (${JSON.stringify(Object.fromEntries(statuses))})`)
  const errors = s.hotline!.lines.slice(from).filter((l) => (l.level ?? 0) >= 50)
  t.same(errors.map((l) => l.msg), [], 'no error lines (and so no stack traces) in the log')
  await settle(t, s, `${FULL ? 5000 : 400} fuzzed requests`, [], rss, `${fiveHundreds} answered 5xx`)
})

/** Whether this machine lets us mount a small tmpfs (root, or a user namespace); the full run only. */
function tmpfsAt(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true })
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0
}

t.test('the database disk fills while calls end, then room comes back', { skip: FULL ? false : 'the full run only (npm run test:fault)' }, async (t) => {
  const disk = mkdtempSync(join(tmpdir(), 'hotline-fault-disk-'))
  if (!tmpfsAt(disk, '3m')) {
    t.comment('skipped: cannot mount a tmpfs here (needs root); test/live/site-disk-full covers it on the lab')
    return
  }
  t.teardown(() => { spawnSync('umount', ['-l', disk]); rmSync(disk, { recursive: true, force: true }) })
  const s = await site(t, { dbDir: disk })
  const rss = s.rssMiB()
  // Fill what is left but a little: the next writes are refused with SQLITE_FULL.
  spawnSync('dd', ['if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=64k'])
  const callers = await callersArrive(s, 6, 2)
  await agentsOnCall(s, 2)
  await s.sim.cmd({ op: 'hangupAll' })
  const degraded = await within('health says the store is degraded', 30_000, async () => {
    const h = (await (await fetch(`${s.base}/health`)).json()) as { store?: { state: string; heldWrites: number } }
    return h.store?.state === 'degraded' && h.store.heldWrites > 0 ? h : undefined
  })
  t.ok(degraded, 'degraded, with writes held')
  rmSync(join(disk, 'filler'))
  await settle(t, s, 'database disk full', callers, rss, 'held writes landed when room came back')
})

t.test('the table', (t) => {
  const head = ['fault', 'calls', 'CDRs closed', 'rows lost', 'crashes', 'RSS before → after (MiB)', '']
  const lines = [head, ...table.map((r) => [r.fault, String(r.calls), `${r.closed}/${r.calls}`, String(r.lost), String(r.crashes), r.rssBefore ? `${r.rssBefore} → ${r.rssAfter}` : '—', r.note])]
  const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)))
  for (const l of lines) t.comment(l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())
  t.equal(table.reduce((a, r) => a + r.lost + r.crashes, 0), 0, 'no row lost and no crash in any fault')
  t.end()
})

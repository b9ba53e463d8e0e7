/**
 * A full disk under `hotline start`, on the real switch: the site's database sits on a 3 MB
 * tmpfs, the disk is filled to the last byte, and trunk callers come through the IVR and hang up.
 * Hotline must not crash (same process throughout), health must say the store is degraded with
 * writes held, and once space returns every held write lands: each call has one closed CDR.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { siteCdrs, journey } from './support/caller-journey.ts'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { HOTLINE_HTTP } from './support/hotline-process.ts'
import { placeTrunkCall, startLab, type Lab } from './support/lab.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(300_000)

type Health = { status: string; store?: { state: string; heldWrites: number; reason?: string; disk?: { low: boolean } } }
const health = async (): Promise<Health> => (await fetch(`http://${HOTLINE_HTTP.host}:${HOTLINE_HTTP.port}/api/v1/health`)).json() as Promise<Health>

/** Reads health until `ok` holds, with a deadline (the state changes on Hotline's own retries). */
async function healthUntil(ok: (h: Health) => boolean, what: string, timeoutMs = 60_000): Promise<Health> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const h = await health()
    if (ok(h)) return h
    if (Date.now() > deadline) throw new Error(`health never showed ${what}: ${JSON.stringify(h)}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Writes zeros until the file system refuses (ENOSPC): the disk is full. */
function fill(file: string): number {
  const fd = openSync(file, 'w')
  const block = Buffer.alloc(64 * 1024)
  let written = 0
  try {
    for (;;) written += writeSync(fd, block)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e
  } finally {
    closeSync(fd)
  }
  return written
}

async function callAndHangUp(lab: Lab, from: string): Promise<void> {
  const since = lab.pbxWatch.mark
  const call = await placeTrunkCall(lab, { from })
  const j = journey(lab, call, since)
  await j.menu('zh/main-menu.wav', { timeoutMs: 30_000 })
  await j.hangUp()
}

t.test('the disk under the database fills while callers come and go: no crash, health degraded with writes held, every CDR lands once space returns', { skip }, async (t) => {
  const disk = join(tmpdir(), `hotline-dbdisk-${process.pid}`)
  mkdirSync(disk, { recursive: true })
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', disk])
  t.teardown(() => {
    execFileSync('umount', ['-l', disk])
    rmSync(disk, { recursive: true, force: true })
  })
  const lab = await startLab(t, { dbDir: () => disk })
  const pid = lab.hotline.pid
  t.match(await health(), { store: { state: 'ok' } }, 'room at first')

  const filler = join(disk, 'filler')
  t.ok(fill(filler) > 0, 'the disk is full')
  const callers = ['13800000701', '13800000702', '13800000703']
  for (const from of callers) await callAndHangUp(lab, from)
  const full = await healthUntil((h) => h.store?.state === 'degraded', 'the store degraded')
  t.match(full, { status: 'degraded', store: { state: 'degraded', disk: { low: true } } }, 'health says the store is degraded')
  t.comment(JSON.stringify(full.store))
  t.notMatch(JSON.stringify(full), /13800000/, 'health (public) shows no caller number')
  t.equal(lab.hotline.process.exitCode, null, 'Hotline is still running')

  rmSync(filler)
  await healthUntil((h) => h.store?.state === 'ok' && h.store.heldWrites === 0, 'the store ok again', 90_000)
  t.equal(lab.hotline.pid, pid, 'the same process throughout: no crash, no restart')
  t.equal(lab.hotline.process.exitCode, null)
  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab).filter((r) => callers.includes(r.caller_number))
  t.equal(rows.length, 3, 'one CDR per caller')
  for (const r of rows) t.ok(r.ended_at, `${r.caller_number}: closed (${r.outcome})`)
})

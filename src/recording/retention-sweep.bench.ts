/**
 * `retention-sweep`: time and peak heap to sweep 100,000 recording rows of which 10,000 are due
 * (and have a file to remove). Baseline in the same run: a naive sweep that loads every row,
 * filters in memory and updates one row at a time. Wired into `npm run bench` by a one-line
 * bench/recording.bench.ts re-export.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Bus, FakeClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../store/index.ts'
import { KnexRecordingStore } from './knex-recording-store.ts'
import { diskRecordingFiles } from './recording-files.ts'
import { RetentionSweeper } from './retention-sweeper.ts'

const ROWS = 100_000
const DUE = 10_000
const DAY = 86_400_000
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }

async function fill(db: Store, root: string, now: number): Promise<void> {
  mkdirSync(root, { recursive: true })
  const rows: Array<Record<string, string | number | boolean>> = []
  for (let i = 0; i < ROWS; i++) {
    const due = i % (ROWS / DUE) === 0
    const file = join(root, `c${i}-1.wav`)
    if (due) writeFileSync(file, '')
    rows.push({
      id: `c${i}-1`, call_id: `c${i}`, segment: 1, kind: 'agent', leg: 'l', agent_id: `a${i % 30}`, started_at: now - 40 * DAY, file_path: file,
      format: 'wav', channels: 1, retention_class: 'standard', keep_until: due ? now - DAY : now + DAY * (1 + (i % 300)), legal_hold: false,
      status: 'complete', pauses: '[]', size_bytes: 0,
    })
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) await tx('recordings').insert(rows.slice(i, i + 500))
  })
}

/** Runs fn while sampling the heap every 2 ms; returns ms taken and the peak heap growth in MB. */
async function measure(fn: () => Promise<unknown>): Promise<{ ms: number; peakMb: number }> {
  // A full collection first, so the baseline is live data only (the bench runner has no --expose-gc).
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
  const base = process.memoryUsage().heapUsed
  let peak = base
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed) }, 2)
  const t0 = performance.now()
  await fn()
  const ms = performance.now() - t0
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().heapUsed)
  return { ms, peakMb: (peak - base) / 1024 ** 2 }
}

async function naiveSweep(db: Store, now: number): Promise<void> {
  const all = (await db('recordings').select('*')) as Array<{ id: string; file_path: string; status: string; keep_until: number; legal_hold: number }>
  for (const r of all.filter((x) => x.status === 'complete' && !x.legal_hold && x.keep_until <= now)) {
    await diskRecordingFiles.remove(r.file_path)
    await db('recordings').where({ id: r.id }).update({ status: 'deleted' })
  }
}

async function run(kind: 'sweeper' | 'naive'): Promise<{ ms: number; peakMb: number; deleted: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-'))
  const db = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  try {
    await migrateLatest(db)
    const clock = new FakeClock()
    await fill(db, join(dir, 'rec'), clock.now())
    const store = new KnexRecordingStore(db)
    const sweeper = new RetentionSweeper({ store, files: diskRecordingFiles, clock, log: quiet, events: new Bus() }, { root: join(dir, 'rec') })
    const m = await measure(() => (kind === 'sweeper' ? sweeper.sweep() : naiveSweep(db, clock.now())))
    const [{ n }] = (await db('recordings').where({ status: 'deleted' }).count({ n: '*' })) as [{ n: number }]
    return { ...m, deleted: Number(n) }
  } finally {
    await closeStore(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

export default async function retentionSweepBench(): Promise<string[]> {
  const ours = await run('sweeper')
  const naive = await run('naive')
  if (ours.deleted !== DUE || naive.deleted !== DUE) throw new Error(`retention-sweep bench: deleted ${ours.deleted}/${naive.deleted}, expected ${DUE}`)
  const f = (n: number): string => (n >= 100 ? Math.round(n).toString() : n.toFixed(2))
  return [
    `retention-sweep: ${f(ours.ms)} ms for ${ROWS} rows, ${DUE} due (naive load-all sweep ${f(naive.ms)} ms, ratio ${(naive.ms / ours.ms).toFixed(2)})`,
    `retention-sweep-peak-heap: ${f(ours.peakMb)} MB (naive load-all sweep ${f(naive.peakMb)} MB, ratio ${(naive.peakMb / Math.max(ours.peakMb, 0.01)).toFixed(2)})`,
  ]
}

/**
 * Deletes recording files past their keep-until date, never one on legal hold, and logs each
 * deletion once in `recording_deletions`. Safe when two sweeps run at once (each row is claimed by
 * one conditional UPDATE; only the winner deletes) and when a sweep dies half-way (its claimed
 * rows are taken over by a later sweep once stale, and finishing them is idempotent).
 * Runs on the injected Clock: daily by default.
 */
import type { Bus, Clock, TimerHandle } from '../shared/index.ts'
import type { RecordingEvent, RecordingLog } from './events.ts'
import type { DiskFacts, RecordingFiles } from './recording-files.ts'
import type { Recording, RecordingStore } from './recording.ts'

export interface SweeperOptions {
  readonly root: string
  readonly intervalMs?: number
  /** A row left in `deleting` longer than this belongs to a sweep that died. */
  readonly staleClaimMs?: number
  readonly batchSize?: number
  /** Alarm below this many free bytes in the recordings file system. */
  readonly freeSpaceAlarmBytes?: number
}

export interface SweepReport {
  readonly sweep: string
  readonly deleted: number
  /** Rows whose file was already gone (an interrupted sweep's leftovers). */
  readonly alreadyGone: number
  readonly failed: number
}

export interface DiskReport extends DiskFacts {
  readonly root: string
  readonly alarm: boolean
  readonly thresholdBytes: number
}

const DAY = 86_400_000

export class RetentionSweeper {
  /** The latest disk report (the wallboard's alarm strip). */
  lastDisk: DiskReport | undefined
  readonly #store: RecordingStore
  readonly #files: RecordingFiles
  readonly #clock: Clock
  readonly #log: RecordingLog
  readonly #events: Bus<RecordingEvent>
  readonly #o: Required<SweeperOptions>
  #timer: TimerHandle | undefined
  #seq = 0
  #running: Promise<unknown> | undefined

  constructor(d: { store: RecordingStore; files: RecordingFiles; clock: Clock; log: RecordingLog; events: Bus<RecordingEvent> }, o: SweeperOptions) {
    this.#store = d.store
    this.#files = d.files
    this.#clock = d.clock
    this.#log = d.log
    this.#events = d.events
    this.#o = { intervalMs: DAY, staleClaimMs: 3_600_000, batchSize: 500, freeSpaceAlarmBytes: 5 * 1024 ** 3, ...o }
  }

  /** Sweeps every interval (and checks the disk) until stop(). */
  start(): void {
    this.#timer?.cancel()
    this.#timer = this.#clock.setTimer(this.#o.intervalMs, () => {
      // A sweep still running when the next falls due is not doubled.
      if (this.#running === undefined) this.#running = this.#tick().finally(() => { this.#running = undefined })
      this.start()
    })
  }

  stop(): void {
    this.#timer?.cancel()
    this.#timer = undefined
  }

  /** Resolves when a sweep started by the timer has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await this.#running
  }

  async #tick(): Promise<void> {
    try {
      await this.sweep()
      await this.disk()
    } catch (error) {
      this.#log.error({ error }, 'recording: retention sweep failed; the next one will carry on')
    }
  }

  async sweep(): Promise<SweepReport> {
    const now = this.#clock.now()
    const sweep = `sweep-${now}-${process.pid}-${++this.#seq}`
    const totals = { deleted: 0, alreadyGone: 0 }
    const failed: Array<{ id: string; token: string }> = []
    let batch = 0
    for (;;) {
      // A fresh token per batch: rows this batch fails to finish are never picked up again by it.
      const token = `${sweep}-${++batch}`
      const stuck = await this.#store.claimStuck(now - this.#o.staleClaimMs, now, token, this.#o.batchSize)
      const claimed = stuck.length ? stuck : await this.#store.claimDue(now, token, this.#o.batchSize)
      if (!claimed.length) break
      const removed: Array<{ rec: Recording; present: boolean }> = []
      for (const rec of claimed) {
        const present = await this.#remove(rec)
        if (present === undefined) failed.push({ id: rec.id, token })
        else removed.push({ rec, present })
      }
      await this.#store.finishDeletions(removed.map(({ rec, present }) => ({ recording: rec, deletedAt: now, sweep: token, fileWasPresent: present })))
      for (const { rec, present } of removed) this.#logDeletion(rec, present, totals)
    }
    // Given back only now, so this sweep does not claim them again and loop.
    for (const f of failed) await this.#store.releaseClaim(f.id, f.token)
    const report = { sweep, ...totals, failed: failed.length }
    this.#log.info(report, 'recording: retention sweep done')
    return report
  }

  /** true: removed; false: already gone; undefined: could not remove (kept for the next sweep). */
  async #remove(rec: Recording): Promise<boolean | undefined> {
    try {
      return await this.#files.remove(rec.file)
    } catch (error) {
      this.#log.error({ error, recording: rec.id, file: rec.file }, 'recording: could not delete a file past keep-until; kept for the next sweep')
      return undefined
    }
  }

  #logDeletion(rec: Recording, present: boolean, totals: { deleted: number; alreadyGone: number }): void {
    if (present) totals.deleted += 1
    else totals.alreadyGone += 1
    this.#log.info({ recording: rec.id, callId: rec.callId, file: rec.file, retentionClass: rec.retentionClass, keepUntil: rec.keepUntil, fileWasPresent: present }, 'recording: deleted after retention')
    this.#events.publish({ type: 'recording-deleted', id: rec.id, callId: rec.callId, file: rec.file })
  }

  /** Bytes under the recordings root and free space; an event and a log line below the threshold. */
  async disk(): Promise<DiskReport> {
    const facts = await this.#files.disk(this.#o.root)
    const alarm = facts.freeBytes < this.#o.freeSpaceAlarmBytes
    const report = { root: this.#o.root, ...facts, alarm, thresholdBytes: this.#o.freeSpaceAlarmBytes }
    this.lastDisk = report
    if (alarm) {
      this.#log.error(report, 'recording: free space below the alarm threshold')
      this.#events.publish({ type: 'recording-disk-low', root: this.#o.root, freeBytes: facts.freeBytes, thresholdBytes: this.#o.freeSpaceAlarmBytes })
    }
    return report
  }
}

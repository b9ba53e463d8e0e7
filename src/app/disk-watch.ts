/**
 * The database's disk, watched like the recordings' (retention-sweeper.ts): a full disk stops
 * every CDR and presence write, so the alarm must come before, not after. Checked every 15 s;
 * the log warns once when free space drops under the threshold and once when it is back; health
 * carries the figure and says degraded while it is low.
 */
import type { Clock, TimerHandle } from '../shared/index.ts'

export interface DiskFacts {
  readonly freeBytes: number
  readonly totalBytes: number
}

export interface DiskStatus {
  readonly path: string
  readonly freeBytes: number
  readonly low: boolean
}

export interface DiskWatchDeps {
  readonly path: string
  readonly thresholdBytes: number
  readonly facts: (path: string) => Promise<DiskFacts>
  readonly clock: Clock
  readonly log: { warn(o: object, m: string): void; info(o: object, m: string): void }
  readonly everyMs?: number
}

export class DiskWatch {
  #status: DiskStatus | undefined
  #timer: TimerHandle | undefined

  constructor(private readonly d: DiskWatchDeps) {}

  status(): DiskStatus | undefined {
    return this.#status
  }

  async check(): Promise<DiskStatus | undefined> {
    const f = await this.d.facts(this.d.path).catch(() => undefined)
    if (!f) return this.#status
    // On a small disk the fixed threshold would alarm for ever: a tenth of it is the floor there.
    const low = f.freeBytes < Math.min(this.d.thresholdBytes, f.totalBytes / 10)
    const was = this.#status?.low ?? false
    this.#status = { path: this.d.path, freeBytes: f.freeBytes, low }
    if (low && !was) this.d.log.warn({ path: this.d.path, freeBytes: f.freeBytes, thresholdBytes: this.d.thresholdBytes }, 'disk: the database folder is nearly full; CDR writes will be held when it fills')
    if (!low && was) this.d.log.info({ path: this.d.path, freeBytes: f.freeBytes }, 'disk: the database folder has room again')
    return this.#status
  }

  /** The first check, then one every `everyMs` until stop(). */
  async start(): Promise<void> {
    const tick = (): void => {
      this.#timer = this.d.clock.setTimer(this.d.everyMs ?? 15_000, () => void this.check().finally(tick))
    }
    await this.check()
    tick()
  }

  stop(): void {
    this.#timer?.cancel()
  }
}

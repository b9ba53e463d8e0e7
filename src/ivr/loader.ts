/**
 * Hot reload of flows. A change is read, parsed and validated whole, then swapped in with one
 * assignment; a broken change leaves the previous FlowSet live and is recorded in status() for
 * the API and the log. Calls in progress hold their own FlowSet object, so a swap never touches them.
 * Listeners (onLoaded) hear of every set that went live, so what the flows declare (ACD queues) can
 * follow an edit without a restart; a rejected change tells them nothing, as nothing changed.
 */
import { watch, type FSWatcher } from 'node:fs'
import { err, ok, type Clock, type Instant, type Result, type TimerHandle } from '../shared/index.ts'
import type { FlowSet } from './core/flow.ts'
import { formatFlowError, type FlowError } from './core/locate.ts'
import { parseFlowSet } from './core/parse.ts'
import { readFlowFiles, readSoundCatalog } from './sources.ts'

export interface FlowLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface FlowLoadStatus {
  /** Version of the live flow set (0 when none ever loaded). */
  readonly version: number
  readonly loadedAt: Instant | null
  /** The last reload attempt; errors are `file:line:col: reason` lines. */
  readonly lastAttempt: { readonly at: Instant; readonly ok: boolean; readonly errors: readonly string[] } | null
}

/** Told of each flow set that went live; reload() and settled() wait for it. */
export type FlowsLoaded = (flows: FlowSet) => void | Promise<void>

export interface FlowLoaderOptions {
  readonly scriptsDir: string
  readonly soundsDir: string
  readonly clock: Clock
  readonly log?: FlowLog
  /** Editors write a file in several steps; wait this long after the last change. */
  readonly debounceMs?: number
}

export class FlowLoader {
  #live: FlowSet | null = null
  #status: FlowLoadStatus = { version: 0, loadedAt: null, lastAttempt: null }
  #nextVersion = 1
  #queue: Promise<unknown> = Promise.resolve()
  #timer: TimerHandle | null = null
  readonly #listeners = new Set<FlowsLoaded>()
  readonly #o: FlowLoaderOptions

  constructor(options: FlowLoaderOptions) {
    this.#o = options
  }

  /** The flow set new calls start with; null until a load succeeded. */
  current(): FlowSet | null {
    return this.#live
  }

  status(): FlowLoadStatus {
    return this.#status
  }

  /** Calls fn after each successful load, the first included; returns the function that stops it. */
  onLoaded(fn: FlowsLoaded): () => void {
    // Wrapped, so the same function subscribed twice is told twice and each unsubscribe removes one.
    const entry: FlowsLoaded = (flows) => fn(flows)
    this.#listeners.add(entry)
    return () => {
      this.#listeners.delete(entry)
    }
  }

  /** Reads and validates everything; swaps only when all of it is valid. Reloads run one at a time. */
  reload(): Promise<Result<FlowSet, readonly FlowError[]>> {
    const run = this.#queue.then(() => this.#reloadNow())
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #reloadNow(): Promise<Result<FlowSet, readonly FlowError[]>> {
    const [files, sounds] = await Promise.all([readFlowFiles(this.#o.scriptsDir), readSoundCatalog(this.#o.soundsDir)])
    const at = this.#o.clock.now()
    const parsed = parseFlowSet(files, sounds, this.#nextVersion)
    if (!parsed.ok) {
      const errors = parsed.error.map(formatFlowError)
      this.#status = { ...this.#status, lastAttempt: { at, ok: false, errors } }
      this.#o.log?.warn({ errors, liveVersion: this.#status.version }, 'ivr flows rejected; previous flows stay live')
      return err(parsed.error)
    }
    this.#nextVersion++
    this.#live = parsed.value
    this.#status = { version: parsed.value.version, loadedAt: at, lastAttempt: { at, ok: true, errors: [] } }
    this.#o.log?.info({ version: parsed.value.version, flows: parsed.value.flows.size }, 'ivr flows loaded')
    await this.#tell(parsed.value)
    return ok(parsed.value)
  }

  /**
   * One at a time, awaited: the next reload waits, and a caller of reload() knows the listeners are
   * done (start() relies on it: queues exist before the switch link). A listener that fails is a bug
   * of its own; it is logged and the others are still told, as the flows did go live.
   */
  async #tell(flows: FlowSet): Promise<void> {
    for (const listener of [...this.#listeners]) {
      try {
        await listener(flows)
      } catch (e) {
        this.#o.log?.warn({ version: flows.version, err: String(e) }, 'ivr flows listener failed')
      }
    }
  }

  /** A file changed: reload once things have been quiet for debounceMs. */
  changed(): void {
    this.#timer?.cancel()
    this.#timer = this.#o.clock.setTimer(this.#o.debounceMs ?? 300, () => {
      this.#timer = null
      void this.reload()
    })
  }

  /** Resolves when every reload started so far has finished. */
  async settled(): Promise<void> {
    await this.#queue
  }

  /** Watches both directories; returns the function that stops watching. */
  watch(): () => void {
    const watchers: FSWatcher[] = []
    for (const dir of [this.#o.scriptsDir, this.#o.soundsDir]) {
      try {
        // recursive: sounds/<lang>/ are subdirectories (supported on Linux since Node 20).
        const w = watch(dir, { recursive: true }, () => this.changed())
        w.on('error', (e) => this.#o.log?.warn({ dir, err: String(e) }, 'ivr watch failed'))
        watchers.push(w)
      } catch (e) {
        this.#o.log?.warn({ dir, err: String(e) }, 'ivr watch not started')
      }
    }
    return () => {
      this.#timer?.cancel()
      for (const w of watchers) w.close()
    }
  }
}

/**
 * The service's background work: store writes run one after another (so a job's `sending`
 * can never land after its `sent`), other work runs freely, and `flush()` waits until all of
 * it has settled. A failure is logged with what was being done, never thrown at the ESL loop.
 */
export interface FaxLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export class FaxTasks {
  readonly #log: FaxLog
  readonly #running = new Set<Promise<void>>()
  #writes: Promise<void> = Promise.resolve()

  constructor(log: FaxLog) {
    this.#log = log
  }

  /** Queues a store write behind every earlier one. */
  write(what: string, fn: () => Promise<unknown>): void {
    this.#writes = this.#writes.then(fn).then(
      () => undefined,
      (error: unknown) => this.#log.error({ err: error, what }, 'fax store write failed'),
    )
  }

  /** Runs work in the background. */
  run(what: string, fn: () => Promise<void>): void {
    const p: Promise<void> = fn().catch((error: unknown) => this.#log.error({ err: error, what }, 'fax work failed'))
    this.#running.add(p)
    void p.finally(() => this.#running.delete(p))
  }

  /**
   * Waits on the switch in the background without holding up `flush()`: a fax takes ~20 s
   * (fact 22) and an originate rings for up to a minute; what follows is `run` again.
   */
  detach(what: string, p: Promise<void>): void {
    p.catch((error: unknown) => this.#log.error({ err: error, what }, 'fax work failed'))
  }

  /** Waits for every write and background task, including ones they start. */
  async flush(): Promise<void> {
    for (;;) {
      const writes = this.#writes
      await Promise.all([...this.#running, writes])
      if (this.#running.size === 0 && writes === this.#writes) return
    }
  }
}

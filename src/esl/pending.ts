/**
 * One pending wait (a reply, a bgapi job, an execute completion). Every wait has a deadline and an
 * abort path and settles exactly once (ARCHITECTURE principle 7): the first of result, timeout,
 * abort or disconnect wins and later ones are ignored.
 */
import { err, type Clock, type Result } from '../shared/index.ts'
import { eslError, type EslError } from './errors.ts'

export interface WaitOptions {
  /** Deadline for the whole operation (reply plus any completion event). */
  readonly timeoutMs: number
  readonly signal?: AbortSignal | undefined
}

export class Pending<T> {
  readonly promise: Promise<Result<T, EslError>>
  #resolve!: (r: Result<T, EslError>) => void
  #done = false
  #cleanups: (() => void)[] = []

  constructor(clock: Clock, opts: WaitOptions, what: string) {
    this.promise = new Promise((resolve) => (this.#resolve = resolve))
    if (opts.signal?.aborted) {
      this.settle(err(eslError('esl-aborted', `${what}: aborted before it was sent`)))
      return
    }
    const timer = clock.setTimer(opts.timeoutMs, () => this.settle(err(eslError('esl-timeout', `${what}: no answer within ${opts.timeoutMs} ms`))))
    this.#cleanups.push(() => timer.cancel())
    const signal = opts.signal
    if (signal) {
      const onAbort = (): void => void this.settle(err(eslError('esl-aborted', `${what}: aborted`)))
      signal.addEventListener('abort', onAbort, { once: true })
      this.#cleanups.push(() => signal.removeEventListener('abort', onAbort))
    }
  }

  get settled(): boolean {
    return this.#done
  }

  /** Runs fn when this wait settles (at once if it already has). */
  onSettle(fn: () => void): void {
    if (this.#done) fn()
    else this.#cleanups.push(fn)
  }

  /** First call wins; returns whether this call settled it. */
  settle(r: Result<T, EslError>): boolean {
    if (this.#done) return false
    this.#done = true
    for (const c of this.#cleanups.splice(0)) c()
    this.#resolve(r)
    return true
  }
}

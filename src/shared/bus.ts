/**
 * A synchronous, typed publish/subscribe channel between modules. A failing subscriber is
 * reported to `onError` and never stops the others or the publisher (the ESL socket loop must
 * not be blocked or broken by one domain's bug).
 */
export class Bus<E> {
  readonly #subs = new Set<(e: E) => void | Promise<void>>()
  readonly #onError: (error: unknown, event: E) => void

  constructor(onError: (error: unknown, event: E) => void = () => undefined) {
    this.#onError = onError
  }

  subscribe(fn: (e: E) => void | Promise<void>): () => void {
    this.#subs.add(fn)
    return () => this.#subs.delete(fn)
  }

  publish(e: E): void {
    for (const fn of this.#subs) {
      try {
        const r = fn(e)
        if (r instanceof Promise) r.catch((error: unknown) => this.#onError(error, e))
      } catch (error) {
        this.#onError(error, e)
      }
    }
  }
}

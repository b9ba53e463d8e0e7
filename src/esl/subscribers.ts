/**
 * Handlers for events and state changes. A handler that throws or rejects is reported and the
 * others still run: nothing a handler does reaches the socket loop.
 */
export class Subscribers<T> {
  readonly #handlers = new Set<(v: T) => void | Promise<void>>()

  constructor(private readonly what: string, private readonly onError: (e: unknown) => void) {}

  add(h: (v: T) => void | Promise<void>): () => void {
    this.#handlers.add(h)
    return () => void this.#handlers.delete(h)
  }

  emit(v: T): void {
    for (const h of this.#handlers) {
      try {
        const r = h(v)
        if (r instanceof Promise) r.catch((e: unknown) => this.onError(e))
      } catch (e) {
        this.onError(e)
      }
    }
  }
}

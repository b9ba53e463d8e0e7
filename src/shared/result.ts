/**
 * Expected failures are values with a stable kebab-case code (ARCHITECTURE principle 6).
 * Throw only for bugs.
 */
export type Ok<T> = { readonly ok: true; readonly value: T }
export type Err<E> = { readonly ok: false; readonly error: E }
export type Result<T, E> = Ok<T> | Err<E>

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value })
export const err = <E>(error: E): Err<E> => ({ ok: false, error })

/** A failure the API and the logs can show: a stable code plus a human message. */
export interface Failure<C extends string = string> {
  readonly code: C
  readonly message: string
}

export const failure = <C extends string>(code: C, message: string): Failure<C> => ({ code, message })

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`)
}

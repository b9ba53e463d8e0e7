/**
 * Time is an input (ARCHITECTURE principle 2). Cores take `now`; shells arm timers through
 * this port so that tests run on a FakeClock and never sleep.
 */
export type Instant = number // epoch milliseconds

export interface TimerHandle {
  cancel(): void
}

export interface Clock {
  now(): Instant
  /** Run fn once after ms. The handle cancels it. */
  setTimer(ms: number, fn: () => void): TimerHandle
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    // Not unref'd: a pending deadline is work to do, and must keep the process alive (a command
    // waiting to reconnect, say). Shells cancel their timers when they stop.
    const t = setTimeout(fn, Math.max(0, ms))
    return { cancel: () => clearTimeout(t) }
  },
}

interface Pending {
  at: Instant
  seq: number
  fn: () => void
  cancelled: boolean
}

/** A clock that only moves when a test says so. */
/**
 * Real time read as if it had started at `start`: timers run on `base` unchanged, only `now()` is
 * moved. The demo and the tests that run the sample center in real time start it inside the sample
 * flows' agent hours this way, so what a caller hears does not depend on when it runs.
 */
export function shiftedClock(start: Instant, base: Clock = systemClock): Clock {
  const offset = start - base.now()
  return { now: () => base.now() + offset, setTimer: (ms, fn) => base.setTimer(ms, fn) }
}

const noop = (): void => undefined

export class FakeClock implements Clock {
  #now: Instant
  #seq = 0
  #pending: Pending[] = []

  constructor(start: Instant = Date.UTC(2026, 10, 2, 9, 0, 0)) {
    this.#now = start
  }

  now(): Instant {
    return this.#now
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const p: Pending = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false }
    this.#pending.push(p)
    // A cancelled timer stays listed until the next advance; dropping its callback now lets what
    // the callback holds (a settled command and its result, say) go, as clearTimeout would.
    return { cancel: () => { p.cancelled = true; p.fn = noop } }
  }

  /** Timers armed and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#pending.filter((p) => !p.cancelled).length
  }

  /** Move time forward by ms, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.#now + ms
    for (;;) {
      const next = this.#nextDue(until)
      if (!next) break
      this.#now = next.at
      next.cancelled = true
      next.fn()
    }
    this.#now = until
    this.#pending = this.#pending.filter((p) => !p.cancelled)
  }

  #nextDue(until: Instant): Pending | undefined {
    let best: Pending | undefined
    for (const p of this.#pending) {
      if (p.cancelled || p.at > until) continue
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p
    }
    return best
  }
}

export const seconds = (n: number): number => n * 1000
export const minutes = (n: number): number => n * 60_000

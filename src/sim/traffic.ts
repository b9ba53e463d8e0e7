/**
 * Sample traffic for `npm run demo`: callers who dial the hotline, press keys on a script, and
 * hang up, at a steady pace; agents' phones that answer. A test double like the rest of the
 * simulator: it drives the switch from the caller's side only.
 */
import type { Clock, TimerHandle } from '../shared/index.ts'
import type { Simulator } from './index.ts'

export type CallerStep = { readonly afterMs: number; readonly press: string } | { readonly afterMs: number; readonly hangup: true }

export interface CallerScript {
  readonly name: string
  readonly did: string
  readonly steps: readonly CallerStep[]
}

export interface TrafficOptions {
  /** Mean time between two new callers. */
  readonly everyMs: number
  readonly scripts: readonly CallerScript[]
  readonly callers: readonly { readonly number: string; readonly name: string }[]
  readonly random?: () => number
  /** Told about each new caller, for the demo's log. */
  readonly onCaller?: (c: { readonly number: string; readonly script: string }) => void
}

export interface Traffic {
  stop(): void
  readonly placed: number
}

export function startSampleTraffic(sim: Simulator, clock: Clock, o: TrafficOptions): Traffic {
  const random = o.random ?? Math.random
  const timers = new Set<TimerHandle>()
  let placed = 0
  let stopped = false
  const later = (ms: number, fn: () => void): void => {
    const h = clock.setTimer(ms, () => {
      timers.delete(h)
      if (!stopped) fn()
    })
    timers.add(h)
  }
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!

  function placeOne(): void {
    const script = pick(o.scripts)
    const who = pick(o.callers)
    placed++
    o.onCaller?.({ number: who.number, script: script.name })
    const call = sim.call({ did: script.did, caller: who.number, callerName: who.name })
    let at = 0
    for (const step of script.steps) {
      at += step.afterMs
      later(at, () => ('press' in step ? call.press(step.press) : call.hangup()))
    }
    // Half to one and a half times the mean: a little irregular, like real traffic.
    later(o.everyMs * (0.5 + random()), placeOne)
  }
  later(1000, placeOne)

  return {
    stop() {
      stopped = true
      for (const h of timers) h.cancel()
      timers.clear()
    },
    get placed() {
      return placed
    },
  }
}

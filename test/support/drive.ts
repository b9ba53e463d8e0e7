/**
 * Driving the simulator and Hotline together on one FakeClock, without sleeping: let socket I/O
 * settle (turns of the event loop, no timers), check the condition, then move switch time on a
 * little. Prompts, ring timeouts and heartbeats happen in switch time, so tests run in
 * milliseconds whatever the durations.
 */
import type { Bus, FakeClock } from '../../src/shared/index.ts'

const turn = (): Promise<void> => new Promise((r) => setImmediate(r))

export async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await turn()
}

/** Advances `clock` in `stepMs` steps until cond() holds; fails after `maxMs` of switch time. */
export async function until(clock: FakeClock, cond: () => boolean, what: string, o: { stepMs?: number; maxMs?: number } = {}): Promise<void> {
  const step = o.stepMs ?? 250
  const max = o.maxMs ?? 120_000
  for (let spent = 0; ; spent += step) {
    await settle()
    if (cond()) return
    if (spent >= max) throw new Error(`not reached within ${max} ms of switch time: ${what}`)
    clock.advance(step)
  }
}

/** The next event on a bus that matches pred (subscribed before the action that causes it). */
export function next<E>(bus: Bus<E>, pred: (e: E) => boolean): Promise<E> {
  return new Promise((resolve) => {
    const off = bus.subscribe((e) => {
      if (!pred(e)) return
      off()
      resolve(e)
    })
  })
}

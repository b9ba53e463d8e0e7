/** Small timing helpers shared by the benchmarks. */
import { performance } from 'node:perf_hooks'

/** Runs fn repeatedly for at least minMs and returns operations per second. */
export function opsPerSecond(fn: () => number, minMs = 1000): number {
  let ops = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < minMs) {
    ops += fn()
    elapsed = performance.now() - start
  }
  return ops / (elapsed / 1000)
}

/** Percentile (0..100) of a list of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] ?? NaN
}

export const fmt = (n: number): string => (n >= 100 ? Math.round(n).toString() : n.toFixed(2))

/** One line in the house form: `name: 123 unit (baseline 41 unit, ratio 3.00)`. */
export function benchLine(name: string, value: number, unit: string, baselineName: string, baseline: number, ratio: number): string {
  return `${name}: ${fmt(value)} ${unit} (${baselineName} ${fmt(baseline)} ${unit}, ratio ${ratio.toFixed(2)})`
}

/**
 * Operations per second of a and b, timed in alternating passes so that a change in machine load
 * during the run weighs on both figures alike instead of skewing the ratio. Each pass runs a
 * function `repeat` times, so very short functions are not dominated by the clock reads.
 */
export function interleaved(a: () => number, b: () => number, minMs: number, repeat = 1): [number, number] {
  const ops = [0, 0]
  const ms = [0, 0]
  const fns = [a, b]
  while (ms[0]! + ms[1]! < minMs) {
    for (const i of [0, 1]) {
      const start = performance.now()
      for (let k = 0; k < repeat; k++) ops[i]! += fns[i]!()
      ms[i]! += performance.now() - start
    }
  }
  return [ops[0]! / (ms[0]! / 1000), ops[1]! / (ms[1]! / 1000)]
}

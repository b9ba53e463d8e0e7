/**
 * Quality score sheets and evaluations. A sheet's criteria weights sum to 100; an evaluation
 * scores each criterion from 0 to its max, and its total is the weighted percentage.
 */
import { err, ok, type Result } from '../../shared/index.ts'

export interface Criterion {
  readonly key: string
  readonly label: string
  readonly weight: number
  readonly max: number
}

export interface ScoreSheet {
  readonly id: string
  readonly name: string
  readonly criteria: readonly Criterion[]
}

export function checkScoreSheet(criteria: readonly Criterion[]): Result<void, string> {
  if (criteria.length === 0) return err('a score sheet needs at least one criterion')
  const keys = new Set(criteria.map((c) => c.key))
  if (keys.size !== criteria.length) return err('criterion keys must be unique')
  const bad = criteria.find((c) => !(c.weight > 0) || !(c.max > 0))
  if (bad) return err(`criterion ${bad.key}: weight and max must be positive`)
  const sum = criteria.reduce((s, c) => s + c.weight, 0)
  if (Math.abs(sum - 100) > 1e-9) return err(`weights must sum to 100, not ${sum}`)
  return ok(undefined)
}

/** Total in percent, rounded to 0.01; every criterion must be scored, within 0..max. */
export function scoreTotal(sheet: ScoreSheet, scores: Readonly<Record<string, number>>): Result<number, string> {
  const unknown = Object.keys(scores).filter((k) => !sheet.criteria.some((c) => c.key === k))
  if (unknown.length) return err(`unknown criteria: ${unknown.join(', ')}`)
  let total = 0
  for (const c of sheet.criteria) {
    const s = scores[c.key]
    if (s === undefined) return err(`criterion ${c.key} is not scored`)
    if (!(s >= 0 && s <= c.max)) return err(`criterion ${c.key}: score ${s} is outside 0..${c.max}`)
    total += (s / c.max) * c.weight
  }
  return ok(Math.round(total * 100) / 100)
}

/**
 * Numbers, digits, money and dates spoken by concatenating prompt files (no TTS at call time).
 * Money is in fen (1 yuan = 100 fen) so no float ever reaches a caller's ear.
 * Prompt ids: en `num-0`…`num-19`, `num-20`…`num-90`, hundred, thousand, million, yuan, cent(s),
 * and, month-1…month-12; zh `num-0`…`num-10` (十), hundred 百, thousand 千, ten-thousand 万,
 * yuan 元, jiao 角, fen 分, year 年, month 月, day 日.
 */
import type { Lang, PromptId, SayAs } from './flow.ts'

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i)

/** Every prompt the say-* nodes may need in a language (the checker requires them all). */
export function sayPrompts(lang: Lang): PromptId[] {
  if (lang === 'en') {
    return [...range(0, 19).map((n) => `num-${n}`), ...range(2, 9).map((n) => `num-${n * 10}`),
      'hundred', 'thousand', 'million', 'yuan', 'cent', 'cents', 'and', ...range(1, 12).map((m) => `month-${m}`)]
  }
  return [...range(0, 10).map((n) => `num-${n}`), 'hundred', 'thousand', 'ten-thousand',
    'yuan', 'jiao', 'fen', 'year', 'month', 'day']
}

export type SayFailure = { readonly code: 'say-bad-value'; readonly message: string }

/** The prompt ids that speak `value` as `as` in `lang`, or a failure for a value it cannot say. */
export function say(as: SayAs, value: unknown, lang: Lang): PromptId[] | SayFailure {
  const bad = (why: string): SayFailure => ({ code: 'say-bad-value', message: `cannot say ${JSON.stringify(value)} as ${as}: ${why}` })
  switch (as) {
    case 'digits': {
      const s = typeof value === 'number' ? String(value) : value
      if (typeof s !== 'string' || !/^\d+$/.test(s)) return bad('not a digit string')
      return [...s].map((d) => `num-${d}`)
    }
    case 'number': {
      const n = toInt(value)
      if (n === null || n < 0 || n >= 1e8) return bad('not a whole number from 0 to 99,999,999')
      return lang === 'en' ? enNumber(n) : zhNumber(n)
    }
    case 'money': {
      const n = toInt(value)
      if (n === null || n < 0 || n >= 1e10) return bad('not an amount in fen')
      return lang === 'en' ? enMoney(n) : zhMoney(n)
    }
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null
      if (!m) return bad('not a YYYY-MM-DD date')
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
      if (mo < 1 || mo > 12 || d < 1 || d > 31) return bad('no such month or day')
      if (lang === 'en') return [`month-${mo}`, ...enNumber(d), ...enNumber(y)]
      // 二〇二六年三月五日: the year is read digit by digit in Mandarin.
      return [...[...String(y)].map((c) => `num-${c}`), 'year', ...zhNumber(mo), 'month', ...zhNumber(d), 'day']
    }
  }
}

function toInt(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  return typeof n === 'number' && Number.isInteger(n) ? n : null
}

function enNumber(n: number): PromptId[] {
  if (n < 20) return [`num-${n}`]
  if (n < 100) return [`num-${n - (n % 10)}`, ...(n % 10 ? [`num-${n % 10}`] : [])]
  if (n < 1000) return [`num-${Math.floor(n / 100)}`, 'hundred', ...(n % 100 ? enNumber(n % 100) : [])]
  if (n < 1e6) return [...enNumber(Math.floor(n / 1000)), 'thousand', ...(n % 1000 ? enNumber(n % 1000) : [])]
  return [...enNumber(Math.floor(n / 1e6)), 'million', ...(n % 1e6 ? enNumber(n % 1e6) : [])]
}

function enMoney(fen: number): PromptId[] {
  const yuan = Math.floor(fen / 100)
  const cents = fen % 100
  const cpart = cents ? [...enNumber(cents), cents === 1 ? 'cent' : 'cents'] : []
  if (yuan === 0 && cents) return cpart
  return [...enNumber(yuan), 'yuan', ...(cents ? ['and', ...cpart] : [])]
}

const zhUnits = ['thousand', 'hundred', 'num-10', ''] as const

/** 0 < n < 10000, read with 零 for inner zero runs; `lead` drops the 一 of a leading 十 (十五, not 一十五). */
function zhGroup(n: number, lead: boolean): PromptId[] {
  const digits = [Math.floor(n / 1000), Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10]
  const out: PromptId[] = []
  let zero = false
  digits.forEach((d, i) => {
    if (d === 0) { zero = out.length > 0; return }
    if (zero) { out.push('num-0'); zero = false }
    const unit = zhUnits[i] ?? ''
    if (!(lead && out.length === 0 && d === 1 && unit === 'num-10')) out.push(`num-${d}`)
    if (unit) out.push(unit)
  })
  return out
}

function zhNumber(n: number): PromptId[] {
  if (n === 0) return ['num-0']
  const high = Math.floor(n / 10000)
  const low = n % 10000
  if (high === 0) return zhGroup(low, true)
  const out = [...zhGroup(high, true), 'ten-thousand']
  if (low === 0) return out
  return [...out, ...(low < 1000 ? ['num-0'] : []), ...zhGroup(low, false)]
}

function zhMoney(fen: number): PromptId[] {
  const yuan = Math.floor(fen / 100)
  const jiao = Math.floor(fen / 10) % 10
  const f = fen % 10
  const out: PromptId[] = yuan ? [...zhNumber(yuan), 'yuan'] : []
  if (jiao) out.push(`num-${jiao}`, 'jiao')
  if (f) out.push(...(yuan && !jiao ? ['num-0'] : []), `num-${f}`, 'fen')
  return out.length ? out : ['num-0', 'yuan']
}

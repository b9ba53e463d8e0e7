/**
 * play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> <var>
 * <regexp> [digit_timeout]. Completes with `_none_`; the outcome is in variable_read_result,
 * variable_<var> and variable_read_terminator_used on the EXECUTE_COMPLETE (fact 5). The first
 * digit breaks the prompt; the terminator's DTMF event comes after the EXECUTE_COMPLETE.
 */
import type { TimerHandle } from '../shared/index.ts'
import type { AppRun } from './apps.ts'
import type { Playing } from './playback.ts'
import { emitDtmf, playFile } from './playback.ts'

interface Spec {
  min: number
  max: number
  tries: number
  timeout: number
  terminators: string
  file: string
  invalid: string
  variable: string
  pattern: RegExp | undefined
  digitTimeout: number
}

export function parseSpec(arg: string): Spec {
  const a = arg.trim().split(/\s+/)
  const n = (i: number, d: number): number => (Number.isFinite(Number(a[i])) && a[i] !== undefined ? Number(a[i]) : d)
  let pattern: RegExp | undefined
  try {
    pattern = a[8] ? new RegExp(a[8]) : undefined
  } catch {
    pattern = undefined // FreeSWITCH treats an unusable regex as "no check".
  }
  const timeout = n(3, 5000)
  return {
    min: n(0, 1), max: n(1, 1), tries: Math.max(1, n(2, 1)), timeout,
    terminators: a[4] ?? '#', file: a[5] ?? '', invalid: a[6] ?? '',
    variable: a[7] ?? 'read_digits', pattern, digitTimeout: n(9, timeout),
  }
}

export function playAndGetDigits(r: AppRun): void {
  const spec = parseSpec(r.app.arg)
  let tryNo = 0
  let digits = ''
  let prompt: Playing | undefined
  let wait: TimerHandle | undefined
  let collecting = false
  let lateDtmf: { digit: string; source: string } | undefined

  const finish = (result: 'success' | 'failure', terminator: string): void => {
    wait?.cancel()
    collecting = false
    r.ch.vars.set('read_result', result)
    if (terminator) r.ch.vars.set('read_terminator_used', terminator)
    if (result === 'success') r.ch.vars.set(spec.variable, digits)
    r.complete('_none_')
    if (lateDtmf) emitDtmf(r.sw, r.ch, lateDtmf.digit, lateDtmf.source)
  }
  const valid = (): boolean => digits.length >= spec.min && (!spec.pattern || spec.pattern.test(digits))
  const endOfInput = (terminator: string): void => {
    prompt?.stop('break')
    if (valid()) return finish('success', terminator)
    if (tryNo >= spec.tries) return finish('failure', terminator)
    collecting = false
    const retry = (): void => attempt()
    if (spec.invalid) playFile(r.sw, r.ch, spec.invalid, retry)
    else retry()
  }
  const armWait = (ms: number): void => {
    wait?.cancel()
    wait = r.sw.after(ms, () => endOfInput(''))
  }
  const attempt = (): void => {
    tryNo++
    digits = ''
    collecting = true
    prompt = playFile(r.sw, r.ch, spec.file, (how) => {
      prompt = undefined
      if (how !== 'break' && collecting && digits === '') armWait(spec.timeout)
    })
  }
  r.app.dtmf = (digit, source) => {
    if (!collecting) return
    if (spec.terminators.includes(digit)) {
      lateDtmf = { digit, source }
      return endOfInput(digit)
    }
    emitDtmf(r.sw, r.ch, digit, source)
    prompt?.stop('break')
    digits += digit
    if (digits.length >= spec.max) return endOfInput('')
    armWait(spec.digitTimeout)
  }
  const typedAhead = (): void => {
    for (const d of r.ch.dtmfQueue.splice(0)) r.app.dtmf?.(d.digit, d.source)
  }
  r.app.stop = (why) => {
    collecting = false
    wait?.cancel()
    prompt?.stop(why === 'break' ? 'break' : 'done')
    r.ch.vars.set('read_result', 'failure')
    r.complete(why === 'break' ? '_none_' : 'PLAYBACK ERROR')
  }
  attempt()
  typedAhead()
}

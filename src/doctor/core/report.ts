import type { CheckResult, CheckStatus } from './verdict.ts'

export interface DoctorReport {
  readonly checks: readonly CheckResult[]
  readonly summary: Readonly<Record<CheckStatus, number>>
}

export function doctorReport(checks: readonly CheckResult[]): DoctorReport {
  const summary = { pass: 0, warn: 0, fail: 0 }
  for (const c of checks) summary[c.status]++
  return { checks, summary }
}

/** 0 only when nothing failed; warnings (a phone off shift, a check not wired) do not fail a run. */
export function doctorExitCode(report: DoctorReport): 0 | 1 {
  return report.summary.fail === 0 ? 0 : 1
}

/** Text: one line per check, `PASS|WARN|FAIL  title: detail` plus `-> fix` when there is one. */
export function formatReport(report: DoctorReport, o: { readonly json: boolean }): string {
  if (o.json) return `${JSON.stringify(report, null, 2)}\n`
  const lines = report.checks.map((c) => {
    const fix = c.hint === '' ? '' : `  -> ${c.hint}`
    return `${c.status.toUpperCase()}  ${c.title}: ${c.detail}${fix}`
  })
  const s = report.summary
  lines.push(`${s.pass} passed, ${s.warn} warnings, ${s.fail} failed`)
  return `${lines.join('\n')}\n`
}

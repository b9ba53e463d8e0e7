/** One line of the doctor's report. Ids are stable: scripts and `--json` readers key on them. */
export type CheckStatus = 'pass' | 'warn' | 'fail'

export interface CheckResult {
  readonly id: string
  readonly title: string
  readonly status: CheckStatus
  readonly detail: string
  /** What to do about it; empty when the check passed. */
  readonly hint: string
}

export const pass = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'pass', detail, hint: '' })
export const warn = (id: string, title: string, detail: string, hint: string): CheckResult => ({ id, title, status: 'warn', detail, hint })
export const fail = (id: string, title: string, detail: string, hint: string): CheckResult => ({ id, title, status: 'fail', detail, hint })

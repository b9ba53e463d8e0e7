import { err, failure, ok, type Failure, type Result } from '../../shared/index.ts'

export type PhoneError = Failure<'customer-bad-phone'>

/**
 * One canonical form per phone so that the caller number FreeSWITCH hands us (often
 * `+8613800000001` on SIP trunks, `13800000001` on PRI) finds the number a BOSS export wrote as
 * `138-0000-0001`: spaces, dashes, dots and brackets go, a leading +86 / 0086 goes, and a bare
 * `86` goes when what follows is an 11-digit mobile number. In international form a landline
 * drops its trunk 0 (+86 25 8400 1234 is 025-8400 1234 at home), so it gets it back.
 * What remains must be 5–15 digits.
 */
export function normalisePhone(raw: string): Result<string, PhoneError> {
  let s = raw.trim().replace(/[\s\-.()]/g, '')
  const international = /^(\+86|0086)/.exec(s)
  if (international) {
    s = s.slice(international[0].length)
    if (!/^1[3-9]\d{9}$/.test(s) && /^[1-9]/.test(s)) s = `0${s}` // not a mobile: Beijing's 10 is a landline
  } else if (/^861\d{10}$/.test(s)) s = s.slice(2)
  if (!/^\d{5,15}$/.test(s)) return err(failure('customer-bad-phone', `"${raw}" is not a phone number (5–15 digits after removing spaces, dashes and +86)`))
  return ok(s)
}

/** Normalises every phone, failing on the first bad one; duplicates collapse, order is kept. */
export function normalisePhones(raws: readonly string[]): Result<string[], PhoneError> {
  const out: string[] = []
  for (const raw of raws) {
    const r = normalisePhone(raw)
    if (!r.ok) return r
    if (!out.includes(r.value)) out.push(r.value)
  }
  return ok(out)
}

/**
 * Which numbers an SMS can go to. A mainland mobile (1[3-9] and 9 more digits, with or without
 * +86 / 0086 / 86) becomes its 11 national digits, the form Chinese SMS gateways take; any other
 * number must be E.164 (+, country code, up to 15 digits). A mainland landline (0755…, +86755…)
 * is refused: it cannot receive an SMS, and the IVR's `to: caller` is often one.
 */
import { err, failure, ok, type Failure, type Result } from '../../shared/index.ts'

export type SmsNumberError = Failure<'sms-number-invalid'>
export type SmsTextError = Failure<'sms-text-invalid'>

/** Long messages are split by the carrier (70 Chinese characters a part); past this it is a mistake. */
export const MAX_SMS_TEXT = 500

const MAINLAND_MOBILE = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/
const E164 = /^\+[1-9]\d{7,14}$/

export function smsNumber(raw: string): Result<string, SmsNumberError> {
  const compact = raw.replace(/[\s\-().]/g, '')
  const mobile = MAINLAND_MOBILE.exec(compact)
  if (mobile?.[1] !== undefined) return ok(mobile[1])
  if (E164.test(compact) && !compact.startsWith('+86')) return ok(compact)
  return err(failure('sms-number-invalid', `cannot send an SMS to "${raw}": expected a mainland mobile (1[3-9] and 9 digits) or an E.164 number (+ and country code)`))
}

export function smsText(text: string): Result<string, SmsTextError> {
  const trimmed = text.trim()
  if (trimmed.length === 0) return err(failure('sms-text-invalid', 'the SMS text is empty'))
  if ([...trimmed].length > MAX_SMS_TEXT) return err(failure('sms-text-invalid', `the SMS text is longer than ${MAX_SMS_TEXT} characters`))
  return ok(trimmed)
}

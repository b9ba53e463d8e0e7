import t from 'tap'
import { smsNumber, smsText, MAX_SMS_TEXT } from './index.ts'

t.test('a mainland mobile in any usual spelling becomes its 11 national digits', (t) => {
  for (const raw of ['13800138000', '+8613800138000', '008613800138000', '8613800138000', '138 0013 8000', '138-0013-8000'])
    t.same(smsNumber(raw), { ok: true, value: '13800138000' }, raw)
  t.end()
})

t.test('a foreign number in E.164 is kept as it is', (t) => {
  t.same(smsNumber('+85291234567'), { ok: true, value: '+85291234567' })
  t.same(smsNumber('+44 7700 900123'), { ok: true, value: '+447700900123' })
  t.end()
})

t.test('landlines, short codes, 12-digit and junk numbers are refused with sms-number-invalid', (t) => {
  for (const raw of ['075586001234', '+8675586001234', '12800138000', '1380013800', '138001380001', '96200', '', 'abc', '+0123456789', '+1234567890123456']) {
    const r = smsNumber(raw)
    t.match(r, { ok: false, error: { code: 'sms-number-invalid', message: /mainland mobile/ } }, raw)
  }
  t.end()
})

t.test('an empty or overlong text is refused; a text is trimmed and counted in characters, not bytes', (t) => {
  t.match(smsText('  '), { ok: false, error: { code: 'sms-text-invalid', message: /empty/ } })
  t.match(smsText('x'.repeat(MAX_SMS_TEXT + 1)), { ok: false, error: { code: 'sms-text-invalid', message: /longer/ } })
  t.same(smsText(` ${'报'.repeat(MAX_SMS_TEXT)} `), { ok: true, value: '报'.repeat(MAX_SMS_TEXT) })
  t.end()
})

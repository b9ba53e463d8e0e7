import t from 'tap'
import { normalisePhone, normalisePhones } from './index.ts'

t.test('every spelling of one mobile number becomes the same eleven digits', (t) => {
  for (const raw of ['13800000001', '138-0000-0001', ' 138 0000 0001 ', '+8613800000001', '+86 138 0000 0001', '008613800000001', '8613800000001', '(138)0000-0001']) {
    t.same(normalisePhone(raw), { ok: true, value: '13800000001' }, raw)
  }
  t.end()
})

t.test('a landline keeps its area code and loses its dash', (t) => {
  t.same(normalisePhone('025-8400 1234'), { ok: true, value: '02584001234' })
  t.end()
})

t.test('letters, too few or too many digits, or a foreign + prefix are rejected with customer-bad-phone', (t) => {
  for (const raw of ['', 'abc', '1380000000x', '1234', '1234567890123456', '+4412345678', '138#0001']) {
    const r = normalisePhone(raw)
    t.equal(r.ok, false, raw)
    if (!r.ok) t.equal(r.error.code, 'customer-bad-phone', raw)
  }
  t.end()
})

t.test('a list of phones collapses duplicates written differently and fails on the first bad one', (t) => {
  t.same(normalisePhones(['13800000001', '+86 138-0000-0001', '02584001234']), { ok: true, value: ['13800000001', '02584001234'] })
  t.equal(normalisePhones(['13800000001', 'nope']).ok, false)
  t.end()
})

t.test('a landline in international form gets its trunk 0 back', (t) => {
  t.same(normalisePhone('+86 25 8400 1234'), { ok: true, value: '02584001234' })
  t.same(normalisePhone('0086-10-12345678'), { ok: true, value: '01012345678' })
  t.end()
})

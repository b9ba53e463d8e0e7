import t from 'tap'
import fc from 'fast-check'
import { decodeBytes, urlDecode } from './index.ts'

t.test('UTF-8 percent-encoding decodes as UTF-8', (t) => {
  t.equal(urlDecode('Outbound%20Test'), 'Outbound Test')
  t.equal(urlDecode('fd00%3A%3A2'), 'fd00::2')
  t.equal(urlDecode('Jos%C3%A9%20M%C3%BCller'), 'José Müller')
  t.equal(urlDecode('%E5%BC%A0%E4%BC%9F'), '张伟')
  t.equal(urlDecode('no escapes at all'), 'no escapes at all')
  t.end()
})

t.test('a plus sign is a plus, never a space (FreeSWITCH sends a real + as %2B)', (t) => {
  t.equal(urlDecode('+OK'), '+OK')
  t.equal(urlDecode('%2BOK%0A'), '+OK\n')
  t.end()
})

t.test('a Latin-1 caller name from a PRI gateway decodes to its letters, not an exception', (t) => {
  t.equal(urlDecode('Jos%E9'), 'José')
  t.equal(urlDecode('M%FCller%2C%20J%FCrgen'), 'Müller, Jürgen')
  t.end()
})

t.test('a GBK-encoded Chinese name decodes to the Chinese characters', (t) => {
  t.equal(urlDecode('%D5%C5%CE%B0'), '张伟')
  t.equal(urlDecode('%C0%EE%C3%F7%20(VIP)'), '李明 (VIP)')
  t.equal(decodeBytes(Uint8Array.from([0xd5, 0xc5, 0xce, 0xb0])), '张伟', 'raw GBK bytes too')
  t.end()
})

t.test('invalid escapes and truncated sequences fall back without throwing', (t) => {
  t.equal(urlDecode('100%'), '100%', 'a lone % stays')
  t.equal(urlDecode('%ZZ%41'), '%ZZA', 'a bad escape stays, the good one decodes')
  t.equal(urlDecode('ab%E4x'), 'ab\u00e4x', 'a truncated UTF-8 sequence reads as Latin-1')
  t.equal(urlDecode('Ren%E9e'), 'Ren\u00e9e', 'a Latin-1 letter before ASCII is not taken for a GBK pair')
  t.equal(urlDecode('%F0%9F%98%80'), '😀')
  t.end()
})

t.test('urlDecode never throws and inverts encodeURIComponent for any text', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      urlDecode(s)
    }),
  )
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('%', 'A', 'e', 'f', '0', '9', 'Z', ' ', 'é', '张') }), (s) => {
      urlDecode(s)
    }),
    { numRuns: 2000 },
  )
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => urlDecode(encodeURIComponent(s)) === s))
  t.pass('no input threw')
  t.end()
})

t.test('decodeBytes never throws and keeps every byte of non-UTF-8 input', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const text = decodeBytes(bytes)
      return text.length > 0 || bytes.length === 0
    }),
  )
  t.equal(decodeBytes(Uint8Array.from([0x4a, 0x6f, 0x73, 0xe9])), 'José')
  t.end()
})

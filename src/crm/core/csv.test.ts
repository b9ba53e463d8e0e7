import t from 'tap'
import { parseCsv } from './index.ts'

const fields = (text: string) => parseCsv(text).map((r) => (r.kind === 'fields' ? [r.line, ...r.fields] : [r.line, 'MALFORMED']))

t.test('plain rows split on commas, with CRLF or LF line ends and a trailing empty field kept', (t) => {
  t.same(fields('a,b,c\r\n1,2,\r\n3,4,5\n'), [[1, 'a', 'b', 'c'], [2, '1', '2', ''], [3, '3', '4', '5']])
  t.end()
})

t.test('the BOM Excel puts first is not part of the first header', (t) => {
  t.same(fields('\uFEFF账号,姓名\n1234567,李伟'), [[1, '账号', '姓名'], [2, '1234567', '李伟']])
  t.end()
})

t.test('quoted fields keep commas, doubled quotes and newlines; the next record reports its real line', (t) => {
  const text = 'acct,addr\r\n1,"12 Zhongshan Rd, ""Block A""\r\nFloor 3"\r\n2,plain\r\n'
  t.same(fields(text), [[1, 'acct', 'addr'], [2, '1', '12 Zhongshan Rd, "Block A"\r\nFloor 3'], [4, '2', 'plain']])
  t.end()
})

t.test('blank lines are skipped and an empty quoted field is an empty string', (t) => {
  t.same(fields('a,b\n\n"",x\n'), [[1, 'a', 'b'], [3, '', 'x']])
  t.end()
})

t.test('a stray quote, text after a closing quote and an unclosed quote are malformed records with their line; parsing goes on', (t) => {
  const recs = parseCsv('h1,h2\nab"c,d\n"x"y,z\nok,1\n"never closed,2\n')
  t.same(recs.map((r) => [r.line, r.kind]), [[1, 'fields'], [2, 'malformed'], [3, 'malformed'], [4, 'fields'], [5, 'malformed']])
  const reasons = recs.flatMap((r) => (r.kind === 'malformed' ? [r.reason] : []))
  t.match(reasons, [/quote inside an unquoted field/, /after the closing quote/, /never closed/])
  t.end()
})

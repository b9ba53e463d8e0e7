import t from 'tap'
import { findEndParen, originateBrackets, separateString } from './separate-string.ts'

t.test('blanks separate; single quotes group and are dropped; \\s is a space (switch_separate_string)', (t) => {
  t.same(separateString("originate  {a='b c'}user/1 &park()", ' '), ['originate', '{a=b c}user/1', '&park()'])
  t.same(separateString('x\\sy z', ' '), ['x y', 'z'])
  t.same(separateString("it\\'s me", ' '), ["it's", 'me'])
  // A backslash before an ordinary character stays.
  t.same(separateString('a\\,b', ' '), ['a\\,b'])
  t.end()
})

t.test('with a full array the last piece keeps the rest of the line', (t) => {
  t.same(separateString('a b c d', ' ', 2), ['a', 'b c d'])
  t.same(separateString('k=v=w', '=', 2), ['k', 'v=w'])
  t.end()
})

t.test('a character delimiter: \\, escapes it, quotes group, pieces are trimmed, ^^ picks another', (t) => {
  t.same(separateString("a=1, b='x,y' ,c=ACME\\, Inc", ','), ['a=1', 'b=x,y', 'c=ACME, Inc'])
  t.same(separateString('a,,b', ','), ['a', '', 'b'])
  t.same(separateString('^^;a,b;c', ','), ['a,b', 'c'])
  t.end()
})

t.test('braces are counted, never escaped (switch_find_end_paren)', (t) => {
  t.equal(findEndParen('{a={x}}rest', '{', '}'), 6)
  t.equal(findEndParen('{a=b\\}c}rest', '{', '}'), 5)
  t.equal(findEndParen('{a=b', '{', '}'), -1)
  t.end()
})

t.test('an originate url: its {…} variables and the dial string; an unclosed block is a parse error', (t) => {
  t.match(originateBrackets('{a=1,b=two words}user/2001@hotline.local'), { rest: 'user/2001@hotline.local' })
  t.same([...originateBrackets('{a=1}{b=2}null/1')!.vars], [['a', '1'], ['b', '2']])
  t.equal(originateBrackets('{origination_caller_id_name=Zhang'), undefined)
  t.end()
})

import t from 'tap'
import { parseOriginate, separateString } from '../sim/index.ts'
import { apiWord, carriedValue, originateArgs, setVarsArgs } from './switch-syntax.ts'

// What a real FreeSWITCH 1.11.3 was sent and read back with uuid_getvar, unchanged (docs/esl.md).
const SEEN_ON_THE_SWITCH: ReadonlyArray<readonly [value: string, sent: string]> = [
  ['Zhang Wei', 'Zhang\\sWei'],
  ['ACME, Inc', 'ACME\\\\,\\sInc'],
  ["a'b", "a\\\\\\\\\\\\\\'b"],
  ['{x}', '{x}'],
  ['张伟', '张伟'],
  ['a\\b', 'a\\\\\\\\\\\\\\\\b'],
]

t.test('each originate variable is escaped exactly as it arrived unchanged on a real switch', (t) => {
  for (const [value, sent] of SEEN_ON_THE_SWITCH) {
    t.equal(originateArgs({ vars: { origination_caller_id_name: value }, dial: 'null/1234', app: '&park()' }), `{origination_caller_id_name=${sent}}null/1234 &park()`, value)
  }
  t.end()
})

const NAMES = ['Zhang Wei', 'ACME, Inc', "it's O'Brien", "'quoted'", '{x}', '张伟', '王 小明, 客服部', 'a\\b', 'a\\,b', 'a\\sb', 'end\\', 'x=y', 'a"b', 'a;b', 'a|b', '[x]', '<x>', '^^:a:b', '&park()', 'a b  c', "'", ',', '\\']

t.test('every caller name survives the simulated switch’s parse of the originate (ported from switch_utils.c)', (t) => {
  for (const name of NAMES) {
    const args = originateArgs({ vars: { origination_uuid: 'u1', origination_caller_id_name: name, hotline_call_id: 'c1' }, dial: 'user/2001@hotline.local', app: '&park()' })
    const parsed = parseOriginate(args)
    t.ok(parsed.ok, name)
    if (!parsed.ok) continue
    t.same(Object.fromEntries(parsed.value.vars), { origination_uuid: 'u1', origination_caller_id_name: name, hotline_call_id: 'c1' }, name)
    t.match(parsed.value, { dial: 'user/2001@hotline.local', app: 'park', appArg: '' })
  }
  t.end()
})

t.test('the same names survive uuid_setvar_multi’s split on ;', (t) => {
  for (const name of NAMES) {
    const args = setVarsArgs('leg-1', { hotline_a: name, hotline_b: 'after' })
    t.equal(args.split(' ')[0], 'leg-1')
    const items = separateString(args.slice('leg-1 '.length), ';', 64).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])
    t.same(Object.fromEntries(items), { hotline_a: name, hotline_b: 'after' }, name)
  }
  t.end()
})

t.test('what FreeSWITCH cannot carry is changed visibly, never dropped or let loose', (t) => {
  // var_check refuses `${` (the variable would be missing); an unpaired brace ends the block.
  t.equal(carriedValue('${system(rm)}'), '$ {system(rm)}')
  t.equal(carriedValue('$\\{x}'), '$\\ {x}')
  t.equal(carriedValue('a}b'), 'a)b')
  t.equal(carriedValue('a{b'), 'a(b')
  t.equal(carriedValue('}{'), ')(')
  t.equal(carriedValue('{ok}'), '{ok}')
  // A newline would end the ESL command; ends are trimmed by FreeSWITCH anyway.
  t.equal(carriedValue(' line\r\nbreak\t '), 'line  break')
  t.end()
})

t.test('a value that would smuggle a second variable or app stays one value', (t) => {
  const args = originateArgs({ vars: { origination_caller_id_name: 'x},hotline_agent=boss}user/9999 &hangup() {a=b' }, dial: 'user/2001@hotline.local', app: '&park()' })
  const parsed = parseOriginate(args)
  t.match(parsed, { ok: true, value: { dial: 'user/2001@hotline.local', app: 'park' } })
  if (parsed.ok) t.same([...parsed.value.vars.keys()], ['origination_caller_id_name'])
  t.end()
})

t.test('a variable name that is not one is a bug, thrown', (t) => {
  t.throws(() => originateArgs({ vars: { 'bad name': 'x' }, dial: 'd', app: '&park()' }), /not a FreeSWITCH variable name/)
  t.throws(() => setVarsArgs('u', { 'a;b': 'x' }), /not a FreeSWITCH variable name/)
  t.end()
})

t.test('apiWord keeps one blank-separated argument whole', (t) => {
  t.same(separateString(`uuid_transfer ${apiWord("9 O'Brien line")} XML default`, ' '), ['uuid_transfer', "9 O'Brien line", 'XML', 'default'])
  t.end()
})

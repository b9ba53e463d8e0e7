import t from 'tap'
import { evaluate, fillTemplate, parseExpr, type Expr } from './expr.ts'

const parse = (s: string): Expr => {
  const r = parseExpr(s)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

t.test('conditions compare facts, with typed digits equal to numbers', (t) => {
  const facts = { service: '2', 'customer.tier': 'gold', 'customer.balance': 0, lang: 'zh' }
  t.equal(evaluate(parse('service == 2'), facts), true)
  t.equal(evaluate(parse('customer.tier == "gold" && customer.balance <= 0'), facts), true)
  t.equal(evaluate(parse('!(lang == "zh") || service > 3'), facts), false)
  t.equal(evaluate(parse('customer.account != null'), facts), false)
  t.equal(evaluate(parse('missing < 5'), facts), false)
  t.end()
})

t.test('a malformed condition is an error with the character where it went wrong', (t) => {
  t.match(parseExpr('service == '), { ok: false, error: { message: 'condition ends too early', offset: 11 } })
  t.match(parseExpr('a = 1'), { ok: false, error: { offset: 2 } })
  t.match(parseExpr('(a == 1'), { ok: false, error: { message: "missing ')'" } })
  t.match(parseExpr('a == 1 b'), { ok: false, error: { message: "unexpected 'b'" } })
  t.match(parseExpr('process.exit()'), { ok: false })
  t.end()
})

t.test('numbers and booleans in YAML are literals', (t) => {
  t.same(parseExpr(1000), { ok: true, value: { kind: 'lit', value: 1000 } })
  t.same(parseExpr(true), { ok: true, value: { kind: 'lit', value: true } })
  t.end()
})

t.test('an SMS template fills facts and leaves unknown ones empty', (t) => {
  t.equal(fillTemplate('ref {work-order} for {customer.name}{nope}', { 'work-order': '42', 'customer.name': 'Li' }), 'ref 42 for Li')
  t.end()
})

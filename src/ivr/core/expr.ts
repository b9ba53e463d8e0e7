/**
 * The small, safe condition language of flows: `customer.tier == "gold" && balance > 0`.
 * Literals (numbers, "strings", true, false, null), fact names (dotted, may contain `-`),
 * comparisons == != < <= > >=, and && || ! with parentheses. Parsed once at load; never eval'd.
 */
import { err, ok, type Result } from '../../shared/index.ts'

export type FactValue = string | number | boolean | null
export type Facts = Readonly<Record<string, FactValue>>

type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>='
export type Expr =
  | { readonly kind: 'lit'; readonly value: FactValue }
  | { readonly kind: 'fact'; readonly name: string }
  | { readonly kind: 'not'; readonly expr: Expr }
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'cmp'; readonly op: CmpOp; readonly left: Expr; readonly right: Expr }

type Token = { readonly t: 'lit'; readonly v: FactValue; readonly at: number }
  | { readonly t: 'id'; readonly v: string; readonly at: number }
  | { readonly t: 'op'; readonly v: string; readonly at: number }

export interface ExprError { readonly message: string; readonly offset: number }

const opRe = /^(==|!=|<=|>=|&&|\|\||[<>!()])/
const numRe = /^-?\d+(\.\d+)?/
const idRe = /^[A-Za-z_][A-Za-z0-9_.-]*/
const strRe = /^"([^"\\]*)"/

function tokenize(src: string): Result<Token[], ExprError> {
  const out: Token[] = []
  let i = 0
  while (i < src.length) {
    const rest = src.slice(i)
    const ws = /^\s+/.exec(rest)
    if (ws) { i += ws[0].length; continue }
    const op = opRe.exec(rest)
    const num = op ? null : numRe.exec(rest)
    const str = op || num ? null : strRe.exec(rest)
    const id = op || num || str ? null : idRe.exec(rest)
    const text = (op ?? num ?? str ?? id)?.[0]
    if (text === undefined) return err({ message: `unexpected '${rest[0] ?? ''}' in condition`, offset: i })
    if (op) out.push({ t: 'op', v: text, at: i })
    else if (num) out.push({ t: 'lit', v: Number(text), at: i })
    else if (str) out.push({ t: 'lit', v: str[1] ?? '', at: i })
    else if (text === 'true' || text === 'false') out.push({ t: 'lit', v: text === 'true', at: i })
    else if (text === 'null') out.push({ t: 'lit', v: null, at: i })
    else out.push({ t: 'id', v: text, at: i })
    i += text.length
  }
  return ok(out)
}

class Parser {
  #i = 0
  constructor(private readonly toks: readonly Token[], private readonly end: number) {}
  fail(message: string): never {
    // A parse error travels as an exception only inside this class; parseExpr turns it into a value.
    throw new ExprSyntax({ message, offset: this.toks[this.#i]?.at ?? this.end })
  }
  peekOp(v: string): boolean { const k = this.toks[this.#i]; return k?.t === 'op' && k.v === v }
  or(): Expr {
    let left = this.and()
    while (this.peekOp('||')) { this.#i++; left = { kind: 'or', left, right: this.and() } }
    return left
  }
  and(): Expr {
    let left = this.unary()
    while (this.peekOp('&&')) { this.#i++; left = { kind: 'and', left, right: this.unary() } }
    return left
  }
  unary(): Expr {
    if (this.peekOp('!')) { this.#i++; return { kind: 'not', expr: this.unary() } }
    const left = this.primary()
    const k = this.toks[this.#i]
    if (k?.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(k.v)) {
      this.#i++
      return { kind: 'cmp', op: k.v as CmpOp, left, right: this.primary() }
    }
    return left
  }
  primary(): Expr {
    const k = this.toks[this.#i]
    if (!k) return this.fail('condition ends too early')
    this.#i++
    if (k.t === 'lit') return { kind: 'lit', value: k.v }
    if (k.t === 'id') return { kind: 'fact', name: k.v }
    if (k.v === '(') {
      const inner = this.or()
      if (!this.peekOp(')')) this.fail("missing ')'")
      this.#i++
      return inner
    }
    this.#i--
    return this.fail(`unexpected '${k.v}'`)
  }
  done(): void { if (this.#i < this.toks.length) this.fail(`unexpected '${String(this.toks[this.#i]?.v)}'`) }
}

class ExprSyntax extends Error {
  constructor(readonly detail: ExprError) { super(detail.message) }
}

/** A flow value is YAML: a number or boolean is a literal; a string is a condition/expression. */
export function parseExpr(src: string | number | boolean | null): Result<Expr, ExprError> {
  if (typeof src !== 'string') return ok({ kind: 'lit', value: src })
  const toks = tokenize(src)
  if (!toks.ok) return toks
  if (toks.value.length === 0) return err({ message: 'empty expression', offset: 0 })
  const p = new Parser(toks.value, src.length)
  try {
    const e = p.or()
    p.done()
    return ok(e)
  } catch (e) {
    if (e instanceof ExprSyntax) return err(e.detail)
    throw e
  }
}

export function evaluate(e: Expr, facts: Facts): FactValue {
  switch (e.kind) {
    case 'lit': return e.value
    case 'fact': return facts[e.name] ?? null
    case 'not': return !truthy(evaluate(e.expr, facts))
    case 'and': return truthy(evaluate(e.left, facts)) && truthy(evaluate(e.right, facts))
    case 'or': return truthy(evaluate(e.left, facts)) || truthy(evaluate(e.right, facts))
    case 'cmp': return compare(e.op, evaluate(e.left, facts), evaluate(e.right, facts))
  }
}

export const truthy = (v: FactValue): boolean => v !== null && v !== false && v !== 0 && v !== ''

function compare(op: CmpOp, a: FactValue, b: FactValue): boolean {
  // Digits typed by a caller are strings; "5" == 5 should hold, so compare numerically when both can.
  const na = toNumber(a)
  const nb = toNumber(b)
  const both = na !== null && nb !== null
  switch (op) {
    case '==': return both ? na === nb : a === b
    case '!=': return both ? na !== nb : a !== b
    case '<': return both && na < nb
    case '<=': return both && na <= nb
    case '>': return both && na > nb
    case '>=': return both && na >= nb
  }
}

function toNumber(v: FactValue): number | null {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v)
  return null
}

/** Fill `{fact}` placeholders of an SMS text. */
export function fillTemplate(text: string, facts: Facts): string {
  return text.replace(/\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g, (_m, name: string) => String(facts[name] ?? ''))
}

import t from 'tap'
import type { SoundCatalog } from './check.ts'
import { formatFlowError } from './locate.ts'
import { parseFlowSet, type FlowFileText } from './parse.ts'

const catalog: SoundCatalog = {
  dir: 'sounds',
  prompts: new Map([['zh', new Map([['hi', null]])], ['en', new Map([['hi', null]])]]),
}
const errorsOf = (files: FlowFileText[]): string[] => {
  const r = parseFlowSet(files, catalog, 1)
  return r.ok ? [] : r.error.map(formatFlowError)
}
const head = 'entries: { "100": main }\nqueues: { general: {} }\n'

t.test('a flow no entry or goto leads to is reported', (t) => {
  t.same(errorsOf([{ file: 'a.yaml', text: `${head}flows:
  main: { start: q, nodes: { q: { type: enqueue, queue: general } } }
  lost: { start: q, nodes: { q: { type: hangup } } }
` }]), ["a.yaml:5:3: flow 'lost' is never entered: no entry or goto leads to it"])
  t.end()
})

t.test('the same name defined in two files is reported where it is redefined', (t) => {
  t.same(errorsOf([
    { file: 'a.yaml', text: `${head}flows:\n  main: { start: q, nodes: { q: { type: enqueue, queue: general } } }\n` },
    { file: 'b.yaml', text: 'queues:\n  general: {}\n' },
  ]), ["b.yaml:2:3: queue 'general' is already defined at a.yaml:2"])
  t.end()
})

t.test('a broken node is reported once, without follow-on unknown-node or unreachable noise', (t) => {
  t.same(errorsOf([{ file: 'a.yaml', text: `${head}flows:
  main:
    start: a
    nodes:
      a: { type: play, prompts: [hi], next: b }
      b: { type: play, prompts: hi, next: c }
      c: { type: hangup }
` }]), ['a.yaml:8:24: Invalid input: expected array, received string'])
  t.end()
})

t.test('an unknown timezone and a bad pattern are flow errors at their line', (t) => {
  t.same(errorsOf([{ file: 'a.yaml', text: `${head}calendars:
  desk: { timezone: Mars/Olympus, hours: { mon: "08:00-18:00" } }
flows:
  main:
    start: h
    nodes:
      h: { type: hours, calendar: desk, open: c, closed: c }
      c: { type: collect, prompts: [hi], into: x, pattern: "([0-9", next: q, fallback: q }
      q: { type: enqueue, queue: general }
` }]), ["a.yaml:4:11: unknown timezone 'Mars/Olympus'", "a.yaml:10:51: invalid pattern '([0-9'"])
  t.end()
})

t.test('a goto into another flow makes its target node reachable', (t) => {
  t.same(errorsOf([{ file: 'a.yaml', text: `${head}flows:
  main: { start: g, nodes: { g: { type: goto, flow: other, node: late } } }
  other:
    start: early
    nodes:
      early: { type: hangup }
      late: { type: hangup }
` }]), [])
  t.end()
})

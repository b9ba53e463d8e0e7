import t from 'tap'
import fc from 'fast-check'
import { checkFlatJson, flatObject, flatValue, flatValuesStartingWith } from './flat-json.ts'
import { parseAll } from './index.ts'
import { captureNames, loadCapture } from './capture.test-support.ts'

/** What JSON.parse makes of a text, when that is an object of strings. */
function reference(text: string): Record<string, string> | undefined {
  let obj: unknown
  try {
    obj = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined
  return Object.values(obj).every((v) => typeof v === 'string') ? (obj as Record<string, string>) : undefined
}

/** Keys and values with the characters that make JSON hard: quotes, backslashes, controls, non-ASCII, prefixes. */
const aString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', '\\', ',', ':', '{', '}', '\n', '\u0001', 'a', '中', '😀', 'é'), maxLength: 8 }),
  fc.constantFrom('Event-Name', 'Unique-ID', 'variable_hotline_queue', 'variable_hotline_', '__proto__', 'constructor', ''),
)
/** FreeSWITCH's compact form, duplicate keys allowed (CHANNEL_HANGUP_COMPLETE repeats Hangup-Cause). */
const aFlatObject = fc.array(fc.tuple(aString, aString), { maxLength: 12 }).map((pairs) => ({
  text: `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`,
  /** An empty key or one JSON has to escape is left to JSON.parse (FreeSWITCH sends neither). */
  mayFallBack: pairs.some(([k]) => k === '' || JSON.stringify(k) !== `"${k}"`),
}))
const aFlatText = aFlatObject.map((o) => o.text)
const same = (a: object, b: object): boolean => JSON.stringify(a) === JSON.stringify(b)

t.test('every header read from a checked text is what JSON.parse reads, repeated keys keeping the last', (t) => {
  fc.assert(
    fc.property(aFlatObject, aString, ({ text, mayFallBack }, probe) => {
      const want = reference(text)!
      const j = checkFlatJson(text)
      if (!j) return mayFallBack
      for (const k of [...Object.keys(want), probe]) if (flatValue(j, k) !== (Object.hasOwn(want, k) ? want[k] : undefined)) return false
      const prefixed = Object.fromEntries(Object.entries(want).filter(([k]) => k.startsWith('variable_hotline_')))
      return same(flatValuesStartingWith(j, 'variable_hotline_'), prefixed) && same(flatObject(j), want) && Object.keys(flatObject(j)).join() === Object.keys(want).join()
    }),
    { numRuns: 3000 },
  )
  t.end()
})

t.test('a text the check accepts is always an object of strings JSON.parse reads the same way', (t) => {
  // Cut, spliced and retyped variants of FreeSWITCH-shaped texts: never a false acceptance.
  const mutated = fc.tuple(aFlatText, fc.nat(), fc.nat(), fc.constantFrom('', ' ', '1', '[', ']', '"', '\\', ',', '}', '{', ':', 'null', '\n')).map(
    ([text, a, b, insert]) => {
      const i = a % (text.length + 1)
      const j = i + (b % 4)
      return text.slice(0, i) + insert + text.slice(Math.min(j, text.length))
    },
  )
  fc.assert(
    fc.property(mutated, (text) => {
      const j = checkFlatJson(text)
      if (!j) return true
      const want = reference(text)
      if (!want) return /[\u0000-\u001f]/.test(text) // the one leniency: raw control characters
      return Object.keys(want).every((k) => flatValue(j, k) === want[k])
    }),
    { numRuns: 5000 },
  )
  t.end()
})

t.test('what FreeSWITCH does not send in compact form is left to JSON.parse', (t) => {
  for (const text of ['{ "a":"1"}', '{"a": "1"}', '{"a":1}', '{"a":["x","y"]}', '{"a":"1"} ', '{"a":"1"', '{"a":"1",}', '[]', '', '{', '{"":"x"}', '{"a\\"b":"x"}', '{"a":"\\x"}']) {
    t.equal(checkFlatJson(text), undefined, JSON.stringify(text))
  }
  t.same(checkFlatJson('{}')?.at, [], 'an empty object is fine')
  t.end()
})

t.test('every JSON event of every capture: each header read on demand equals the whole map', (t) => {
  let events = 0
  const wrong: string[] = []
  for (const name of captureNames()) {
    const bytes = loadCapture(name).bytes
    // Two decodings of the same bytes: one asked header by header, one built whole first.
    const lazy = parseAll(bytes).flatMap((m) => (m.kind === 'event' && m.event.format === 'json' ? [m.event] : []))
    const built = parseAll(bytes).flatMap((m) => (m.kind === 'event' && m.event.format === 'json' ? [m.event.headers] : []))
    lazy.forEach((ev, i) => {
      const all = built[i]!
      for (const k of Object.keys(all)) if (ev.header(k) !== all[k]) wrong.push(`${name} #${i} ${ev.name} ${k}`)
      const vars = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('variable_')))
      if (!same(ev.headersStartingWith('variable_'), vars)) wrong.push(`${name} #${i} ${ev.name} variables`)
      events++
    })
  }
  t.same(wrong, [], 'no header differs')
  t.ok(events > 1000, `${events} JSON events compared`)
  t.end()
})

t.test('a raw control character inside a value (JSON.parse refuses it) still gives every header, whole and one by one', (t) => {
  const body = '{"Event-Name":"CHANNEL_PARK","Unique-ID":"u1","Caller-Caller-ID-Name":"A\tB\u0001"}' // a real tab and U+0001
  t.throws(() => void JSON.parse(body), 'JSON.parse refuses it')
  const [m] = parseAll(Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`))
  if (m?.kind !== 'event') throw new Error(`expected an event, got ${m?.kind}`)
  t.equal(m.event.header('Caller-Caller-ID-Name'), 'A\tB\u0001')
  t.same(m.event.headers, { 'Event-Name': 'CHANNEL_PARK', 'Unique-ID': 'u1', 'Caller-Caller-ID-Name': 'A\tB\u0001' }, 'no throw from the whole map')
  t.end()
})

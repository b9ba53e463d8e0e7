/**
 * Reading FreeSWITCH's JSON events without building them. `switch_event_serialize_json` prints one
 * flat object with cJSON_PrintUnformatted: `{"Event-Name":"CHANNEL_PARK","Core-UUID":"…",…}`, no
 * whitespace, every value a string. Building that object (70 to 230 keys) is most of the cost of a
 * JSON event, and the code that receives an event mostly reads a handful of headers: its name, the
 * Unique-ID, the Job-UUID or Application-UUID that settles a command, the timestamp for the lag.
 *
 * So a JSON event in that form is checked once, here, in one pass that also notes where each key
 * and value lies; a header is then found by comparing its name with the keys of that length, last
 * pair first (a repeated key keeps its last value, as JSON.parse does), and only its value is cut.
 *
 * Anything outside that form — whitespace, an array value (FreeSWITCH sends array headers that
 * way), an escaped key, a broken object — fails the check, and the caller reads the event with
 * JSON.parse, which stays the reference for what a JSON event means. One leniency: a raw control
 * character inside a string is kept as sent, where JSON.parse would reject it (cJSON always escapes
 * them, so a switch never sends one).
 */
const QUOTE = 0x22
const COMMA = 0x2c
const COLON = 0x3a
const BACKSLASH = 0x5c
const OPEN = 0x7b
const CLOSE = 0x7d

/**
 * A checked text and where its strings are: for pair i, `at[3i]` is the first character of the key,
 * `at[3i+1]` the key's closing quote (the value opens 3 further on) and `at[3i+2]` the value's
 * closing quote. `escapes` tells whether any string holds an escape (then values need unescaping).
 */
export interface FlatJson {
  readonly text: string
  readonly escapes: boolean
  readonly at: readonly number[]
}

/** The text as a flat object of string values in compact form, or undefined when it is not one. */
export function checkFlatJson(text: string): FlatJson | undefined {
  const n = text.length
  if (n < 2 || text.charCodeAt(0) !== OPEN) return undefined
  const firstEscape = text.indexOf('\\')
  const positions: number[] = []
  if (text.charCodeAt(1) === CLOSE) return n === 2 ? { text, escapes: false, at: positions } : undefined
  let escape = firstEscape < 0 ? n : firstEscape
  let at = 1
  for (;;) {
    // at: the opening quote of a key. A key with an escape is left to JSON.parse.
    if (text.charCodeAt(at) !== QUOTE) return undefined
    const keyEnd = text.indexOf('"', at + 1)
    if (keyEnd < 0 || escape < keyEnd || keyEnd === at + 1) return undefined
    if (text.charCodeAt(keyEnd + 1) !== COLON || text.charCodeAt(keyEnd + 2) !== QUOTE) return undefined
    let valueEnd = text.indexOf('"', keyEnd + 3)
    if (valueEnd < 0) return undefined
    if (escape < valueEnd) {
      valueEnd = stringEnd(text, keyEnd + 3)
      if (valueEnd < 0 || unescape(text.slice(keyEnd + 3, valueEnd)) === undefined) return undefined
      escape = nextEscape(text, valueEnd)
    }
    positions.push(at + 1, keyEnd, valueEnd)
    const next = text.charCodeAt(valueEnd + 1)
    if (next === COMMA) {
      at = valueEnd + 2
      continue
    }
    return next === CLOSE && valueEnd + 2 === n ? { text, escapes: firstEscape >= 0, at: positions } : undefined
  }
}

/** The value of a header; the last one when the name repeats, as JSON.parse keeps it. */
export function flatValue(j: FlatJson, name: string): string | undefined {
  const { text, at } = j
  const len = name.length
  for (let i = at.length - 3; i >= 0; i -= 3) {
    if (at[i + 1]! - at[i]! === len && text.startsWith(name, at[i])) return valueOf(j, i)
  }
  return undefined
}

/** Every header whose name starts with prefix, in order; a repeated name keeps its last value. */
export function flatValuesStartingWith(j: FlatJson, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  const { text, at } = j
  for (let i = 0; i < at.length; i += 3) {
    if (at[i + 1]! - at[i]! < prefix.length || !text.startsWith(prefix, at[i])) continue
    const key = text.slice(at[i], at[i + 1])
    if (key !== '__proto__') out[key] = valueOf(j, i)
  }
  return out
}

/**
 * Every header, as JSON.parse would give them (a repeated key keeps its first place and its last
 * value). JSON.parse is faster when it accepts the text; this serves the texts it refuses, which
 * the check lets through only for a raw control character inside a string.
 */
export function flatObject(j: FlatJson): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < j.at.length; i += 3) {
    // defineProperty, so a key named __proto__ is a header like any other, as JSON.parse makes it.
    Object.defineProperty(out, j.text.slice(j.at[i], j.at[i + 1]), { value: valueOf(j, i), enumerable: true, writable: true, configurable: true })
  }
  return out
}

function valueOf(j: FlatJson, i: number): string {
  const raw = j.text.slice(j.at[i + 1]! + 3, j.at[i + 2])
  return j.escapes && raw.indexOf('\\') >= 0 ? (unescape(raw) ?? raw) : own(raw)
}

/**
 * V8 makes a slice of 13 or more characters share its parent's characters, so a Unique-ID kept for
 * the length of a call would keep the whole event text (kilobytes) alive with it. Flattening a
 * concatenation copies the characters (the V8 issue 2869 idiom), leaving the text free to go.
 */
function own(slice: string): string {
  return slice.length < 13 ? slice : (' ' + slice).slice(1)
}

/** JSON's own reading of a string's content, so every escape (\uXXXX pairs too) means what it should. */
function unescape(raw: string): string | undefined {
  try {
    return JSON.parse('"' + raw + '"') as string
  } catch {
    return undefined
  }
}

function nextEscape(s: string, from: number): number {
  const i = s.indexOf('\\', from)
  return i < 0 ? s.length : i
}

/** The closing quote of a string that may hold escapes, or -1. */
function stringEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === BACKSLASH) i++
    else if (c === QUOTE) return i
  }
  return -1
}

/**
 * FreeSWITCH's own string splitting, ported line by line so the simulator reads command
 * arguments exactly as the real switch does: switch_separate_string and
 * cleanup_separated_string (switch_utils.c), switch_find_end_paren, and the `{k=v,…}` block of
 * switch_event_create_brackets (switch_event.c). Quotes toggle, `\x` escapes, `\s` is a space,
 * every piece is trimmed; see src/esl/switch-syntax.ts for the side that writes them.
 */

const ESCAPE = '\\'

function unescapeChar(c: string): string {
  switch (c) {
    case 'n': return '\n'
    case 'r': return '\r'
    case 't': return '\t'
    case 's': return ' '
    default: return c
  }
}

/** cleanup_separated_string: drop quotes, undo escapes, trim spaces (not inside quotes). */
function cleanup(s: string, delim: string | undefined): string {
  let i = 0
  while (s[i] === ' ') i++
  let out = ''
  let end = -1
  let quoted = false
  for (; i < s.length; i++) {
    const c = s[i]!
    if (c === ESCAPE && i + 1 < s.length) {
      const e = s[i + 1]!
      if (e === "'" || e === '"' || e === delim || e === ESCAPE || unescapeChar(e) !== e) {
        out += unescapeChar(e)
        end = out.length
        i++
        continue
      }
    }
    if (c === "'" && (quoted || s.indexOf("'", i + 1) >= 0)) {
      quoted = !quoted
      if (quoted) end = out.length
    } else {
      out += c
      if (c !== ' ' || quoted) end = out.length
    }
  }
  return end >= 0 ? out.slice(0, end) : out
}

/** separate_string_char_delim: `max` pieces at most; once they are taken, the last keeps the rest. */
function splitOnChar(buf: string, delim: string, max: number): string[] {
  const bounds: [number, number][] = []
  let quoted = false
  let looking = false
  let i = 0
  while (i < buf.length) {
    if (!looking) {
      bounds.push([i, buf.length])
      // FreeSWITCH stops scanning once the array is full: the last piece keeps the rest.
      if (bounds.length === max) break
      looking = true
      continue
    }
    const c = buf[i]!
    if (c === ESCAPE) i++
    else if (c === "'" && (quoted || buf.indexOf("'", i + 1) >= 0)) quoted = !quoted
    else if (c === delim && !quoted) {
      bounds[bounds.length - 1]![1] = i
      looking = false
    }
    i++
  }
  return bounds.map(([s, e]) => cleanup(buf.slice(s, e), delim))
}

/** separate_string_blank_delim: runs of blanks separate; quotes always toggle here, even unclosed. */
function splitOnBlanks(buf: string, max: number): string[] {
  const bounds: [number, number][] = []
  let quoted = false
  let i = 0
  while (i < buf.length && bounds.length < max) {
    bounds.push([i, buf.length])
    if (bounds.length === max) break
    while (buf[i] === ' ') i++
    for (; i < buf.length; i++) {
      const c = buf[i]!
      if (c === ESCAPE) i++
      else if (c === "'") quoted = !quoted
      else if (c === ' ' && !quoted) break
    }
    if (i >= buf.length) break
    bounds[bounds.length - 1]![1] = i
    while (buf[i] === ' ') i++
  }
  return bounds.map(([s, e]) => cleanup(buf.slice(s, e), undefined))
}

/** switch_separate_string: `^^<c>` at the start picks another delimiter. */
export function separateString(input: string, delim: string, max = 1024): string[] {
  let buf = input
  let d = delim
  if (buf.startsWith('^^') && buf.length > 3) {
    d = buf[2]!
    buf = buf.slice(3)
  }
  if (buf === '') return []
  return d === ' ' ? splitOnBlanks(buf, max) : splitOnChar(buf, d, max)
}

/** switch_find_end_paren: counts nesting; no quote or escape protects a brace. */
export function findEndParen(s: string, open: string, close: string): number {
  let i = 0
  while (s[i] === ' ') i++
  if (s[i] !== open) return -1
  let depth = 1
  for (i++; i < s.length; i++) {
    if (s[i] === open && open !== close) depth++
    else if (s[i] === close && --depth === 0) return i
  }
  return -1
}

/**
 * Leading `{k=v,…}` blocks of an originate's call url (switch_ivr_originate.c): the variables,
 * in order, and the rest; undefined where FreeSWITCH logs "Parse Error!" and fails the call.
 */
export function originateBrackets(url: string): { vars: Map<string, string>; rest: string } | undefined {
  const vars = new Map<string, string>()
  let rest = url
  while (rest.startsWith('{')) {
    const end = findEndParen(rest, '{', '}')
    if (end < 0) return undefined
    let body = rest.slice(1, end)
    let delim = ','
    if (body.startsWith('^^') && body.length > 2) {
      delim = body[2]!
      body = body.slice(3)
    }
    for (const item of separateString(body, delim)) {
      const kv = separateString(item, '=', 2)
      if (kv.length === 2) vars.set(kv[0]!, kv[1]!)
    }
    rest = rest.slice(end + 1).replace(/^ +/, '')
  }
  return { vars, rest }
}

/**
 * The arguments of FreeSWITCH api commands that carry values (caller names, IVR facts, numbers),
 * built in this one place so that every value arrives on the channel exactly as it was given.
 *
 * FreeSWITCH splits a command argument in layers, each with switch_separate_string
 * (switch_utils.c), which drops single quotes and turns `\x` escapes back into characters at
 * every layer it is applied:
 *   1. the api argument on blanks (mod_commands.c originate_function, transfer_function …):
 *      `\\` `\'` `\s` (space) are unescaped, other `\x` kept as they are;
 *   2. the `{…}` block on commas (switch_event_create_brackets, switch_event.c): `\,` too;
 *   3. each `k=v` item on its first `=`, whose value is cleaned once more.
 * So a value is escaped once per layer, innermost first. Spaces at either end of a value are
 * trimmed by every layer, and the block's end is found by counting braces
 * (switch_find_end_paren), which no escape protects. Checked on FreeSWITCH 1.11.3 with names
 * such as `Zhang Wei`, `ACME, Inc`, `it's O'Brien`, `{x}` and 张伟 (docs/esl.md).
 */

/** A FreeSWITCH channel variable name: letters, digits, `_` (and `-`, `.` as some modules use). */
const VARIABLE_NAME = /^[A-Za-z0-9_.-]+$/

const escapeEach = (value: string, chars: RegExp): string => value.replace(chars, (c) => `\\${c}`)

/**
 * A value made safe to carry at all: control characters (a newline would end the ESL command)
 * become spaces, and the ends are trimmed as FreeSWITCH would trim them anyway. `${` becomes
 * `$ {`: switch_channel_set_variable_var_check (switch_channel.c) refuses any value with `${`
 * in it (logging "Invalid data"), so the variable would silently be missing; and braces that do
 * not pair up are shown as parentheses, since nothing can keep them from ending the `{…}` block.
 */
export function carriedValue(value: string): string {
  let v = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().replace(/\$(\\*)\{/g, '$$$1 {')
  if (!bracesPair(v)) v = v.replace(/\{/g, '(').replace(/\}/g, ')')
  return v
}

function bracesPair(v: string): boolean {
  let depth = 0
  for (const c of v) {
    if (c === '{') depth++
    else if (c === '}' && --depth < 0) return false
  }
  return depth === 0
}

/** Layer 1: one blank-separated api argument (quotes dropped, `\s` a space). */
export function apiWord(value: string): string {
  return escapeEach(value, /[\\']/g).replace(/ /g, '\\s')
}

/** Layers 2 and 3: a value inside `{k=v,…}`, before the whole argument goes through layer 1. */
function bracketValue(value: string): string {
  return escapeEach(escapeEach(carriedValue(value), /[\\']/g), /[\\',]/g)
}

function checkedName(name: string): string {
  // Names are ours (hotline_call_id, origination_caller_id_name): a bad one is a bug.
  if (!VARIABLE_NAME.test(name)) throw new Error(`not a FreeSWITCH variable name: ${JSON.stringify(name)}`)
  return name
}

export interface OriginateParts {
  readonly vars: Readonly<Record<string, string>>
  /** `user/2001@hotline.local`, `sofia/gateway/carrier/13800138000`, `loopback/96200/default`. */
  readonly dial: string
  /** `&park()`, `&txfax(/path)` or an extension. */
  readonly app: string
}

/** The argument of `originate`: `{k=v,…}<dial> <app>`, every value escaped for its three layers. */
export function originateArgs(p: OriginateParts): string {
  const vars = Object.entries(p.vars).map(([k, v]) => `${checkedName(k)}=${bracketValue(v)}`)
  const leg = vars.length > 0 ? `{${vars.join(',')}}${p.dial}` : p.dial
  return `${apiWord(leg)} ${apiWord(p.app)}`
}

/**
 * The argument of `uuid_setvar_multi <uuid> k=v;k=v`: mod_commands.c splits the list once on `;`
 * (switch_separate_string, so `\;` `\'` `\\` are unescaped) and each item on its first `=`.
 */
export function setVarsArgs(uuid: string, vars: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(vars).map(([k, v]) => `${checkedName(k)}=${escapeEach(carriedValue(v), /[\\';]/g)}`)
  return `${uuid} ${pairs.join(';')}`
}

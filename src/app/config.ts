import { existsSync, readFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { err, ok, type Result } from '../shared/index.ts'
import { configSchema, envVars, type Config } from './config-schema.ts'

export { FREESWITCH_DEFAULT_PASSWORD, envVars, type Config, type DbConfig, type EslConfig, type HttpConfig, type LogConfig } from './config-schema.ts'

/** One bad key: where it is and what is wrong with it. */
export interface ConfigProblem {
  readonly path: string
  readonly reason: string
}

/** Why no Config could be built. The message lists every problem, one per line. */
export interface ConfigError {
  readonly code: 'config-invalid' | 'config-file-unreadable'
  readonly message: string
  readonly problems: readonly ConfigProblem[]
}

type Raw = Record<string, unknown>

export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Relative paths (the file, defaults) are resolved against it. */
  readonly cwd: string
  /** From `--config`; otherwise HOTLINE_CONFIG; otherwise ./hotline.yaml when it exists. */
  readonly file?: string | undefined
  /** Highest precedence: command-line flags such as doctor's --esl-host, as a nested object. */
  readonly overrides?: Raw
  /** `start` and `doctor` talk to a real FreeSWITCH and cannot run without its password. */
  readonly requireEslPassword?: boolean
}

export const DEFAULT_CONFIG_FILE = 'hotline.yaml'

/** Builds the one Config object: defaults ← file ← environment ← overrides. */
export function loadConfig(src: ConfigSources): Result<Config, ConfigError> {
  const file = readConfigFile(src)
  if (!file.ok) return file
  const fromEnv = envLayer(src.env)
  const raw = merge(merge(file.value.raw, fromEnv.raw), src.overrides ?? {})
  const parsed = configSchema.safeParse(raw)
  const problems = parsed.success ? [] : parsed.error.issues.flatMap((i) => describe(i, raw, fromEnv.origin))
  if (src.requireEslPassword === true && valueAt(raw, ['esl', 'password']) === undefined) {
    problems.push({
      path: 'esl.password',
      reason: 'required to connect to FreeSWITCH (there is no default): set esl.password or HOTLINE_ESL_PASSWORD',
    })
  }
  if (problems.length > 0 || !parsed.success) {
    const where = [file.value.name, fromEnv.origin.size > 0 ? 'environment' : undefined].filter(Boolean).join(' + ')
    const header = `invalid configuration${where ? ` (${where})` : ''}:`
    return err({ code: 'config-invalid', problems, message: [header, ...problems.map((p) => `  ${p.path}: ${p.reason}`)].join('\n') })
  }
  return ok(parsed.data)
}

function configFilePath(src: ConfigSources): { path: string; explicit: boolean } | undefined {
  const named = src.file ?? nonEmpty(src.env['HOTLINE_CONFIG'])
  if (named !== undefined) return { path: resolve(src.cwd, named), explicit: true }
  const fallback = resolve(src.cwd, DEFAULT_CONFIG_FILE)
  return existsSync(fallback) ? { path: fallback, explicit: false } : undefined
}

function readConfigFile(src: ConfigSources): Result<{ raw: Raw; name: string | undefined }, ConfigError> {
  const located = configFilePath(src)
  if (located === undefined) return ok({ raw: {}, name: undefined })
  const { path } = located
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e)
    return err(unreadable(path, why))
  }
  let doc: unknown
  try {
    // YAML 1.2 is a superset of JSON, but JSON.parse gives the clearer message for a .json file.
    doc = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text)
  } catch (e) {
    return err(unreadable(path, e instanceof Error ? e.message : String(e)))
  }
  if (doc === null || doc === undefined) return ok({ raw: {}, name: path })
  if (!isRecord(doc)) return err(unreadable(path, 'expected a mapping of sections (esl:, http:, db: …) at the top level'))
  return ok({ raw: doc, name: path })
}

function unreadable(path: string, why: string): ConfigError {
  return { code: 'config-file-unreadable', problems: [{ path: '(file)', reason: why }], message: `cannot read config file ${path}: ${why}` }
}

function envLayer(env: ConfigSources['env']): { raw: Raw; origin: Map<string, string> } {
  const raw: Raw = {}
  const origin = new Map<string, string>()
  for (const [name, path] of envVars) {
    const value = nonEmpty(env[name])
    if (value === undefined) continue
    setAt(raw, path.split('.'), value)
    origin.set(path, name)
  }
  return { raw, origin }
}

function describe(issue: z.core.$ZodIssue, raw: Raw, origin: Map<string, string>): ConfigProblem[] {
  const at = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...at, key].join('.'), reason: `unknown key${suggest(key, knownKeys(at))}` }))
  }
  const path = at.join('.') || '(top level)'
  const value = valueAt(raw, at)
  const from = origin.get(path)
  const got = value === undefined || isSecret(at, value) ? '' : `, got ${show(value)}`
  return [{ path, reason: `${issue.message}${got}${from ? ` (from ${from})` : ''}` }]
}

/**
 * Secrets never reach a message. A key holds one when a part of its name says so: a password or
 * secret anywhere in it (`esl.password`, `webhookSecret`), or a name that ends like a credential
 * (`sms.token`, `apiKey`), or a URL (`db.url`, `sms.url`: `postgres://user:pass@…` or a key in the
 * query string). `auth.tokenTtlMs` only starts with "token": it is a lifetime and is echoed.
 * A section given whole (`db: "postgres://…"`) is hidden when it holds such a key or credentials.
 */
const SECRET_IN_NAME = /passw(or)?d|passphrase|secret|credential/i
const SECRET_NAME_END = /(token|api-?key|private-?key|url|uri|dsn)$/i
const URL_WITH_USER = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i

const secretName = (key: string): boolean => SECRET_IN_NAME.test(key) || SECRET_NAME_END.test(key)

function isSecret(path: readonly string[], value: unknown): boolean {
  return path.some(secretName) || holdsSecret(value)
}

function holdsSecret(value: unknown): boolean {
  if (typeof value === 'string') return URL_WITH_USER.test(value.trim())
  if (Array.isArray(value)) return value.some(holdsSecret)
  if (isRecord(value)) return Object.entries(value).some(([k, v]) => secretName(k) || holdsSecret(v))
  return false
}

function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/** The keys the schema allows at a path, to suggest `http` for the typo `htpp`. */
function knownKeys(path: readonly string[]): string[] {
  let node: unknown = configSchema
  for (const key of [...path, '']) {
    while (!(node instanceof z.ZodObject) && node !== null && typeof node === 'object' && 'unwrap' in node) {
      node = (node as { unwrap(): unknown }).unwrap()
    }
    if (!(node instanceof z.ZodObject)) return []
    if (key === '') return Object.keys(node.shape)
    node = (node.shape as Record<string, unknown>)[key]
  }
  return []
}

function suggest(key: string, known: string[]): string {
  const close = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d)[0]
  if (close) return ` (did you mean "${close.k}"?)`
  return known.length > 0 ? ` (expected one of: ${known.join(', ')})` : ''
}

/** Edit distance where swapping two neighbours counts as one edit (htpp → http). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1)
      d[i]![j] = best
    }
  }
  return at(a.length, b.length)
}

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s
}

function merge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k]
    out[k] = isRecord(prev) && isRecord(v) ? merge(prev, v) : v
  }
  return out
}

function setAt(obj: Raw, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path
  if (head === undefined) return
  if (rest.length === 0) {
    obj[head] = value
    return
  }
  const child = isRecord(obj[head]) ? obj[head] : {}
  obj[head] = child
  setAt(child, rest, value)
}

function valueAt(obj: unknown, path: readonly string[]): unknown {
  let node = obj
  for (const key of path) node = isRecord(node) ? node[key] : undefined
  return node
}

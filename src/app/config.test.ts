import t, { type Test } from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { envVars, loadConfig, type ConfigSources } from './config.ts'

const dirWith = (t: Test, files: Record<string, string>): string => t.testdir(files)

function load(src: Partial<ConfigSources> & { cwd: string }) {
  return loadConfig({ env: {}, ...src })
}

t.test('with no file and no environment every key has its documented default', (t) => {
  const r = load({ cwd: dirWith(t, {}) })
  t.ok(r.ok)
  if (!r.ok) return t.end()
  t.same(r.value, {
    esl: {
      host: '127.0.0.1',
      port: 8021,
      connectTimeoutMs: 5000,
      commandTimeoutMs: 10000,
      heartbeatTimeoutMs: 60000,
      maxBodyBytes: 64 << 20,
      auditEveryMs: 5000,
      reconnect: { initialMs: 500, maxMs: 30000 },
    },
    http: { host: '127.0.0.1', port: 8080 },
    auth: { tokenTtlMs: 12 * 60 * 60_000 },
    db: { client: 'better-sqlite3', filename: './var/hotline.sqlite' },
    log: { level: 'info', pretty: false },
    ivr: { scriptsDir: 'ivr-scripts', soundsDir: 'sounds', maxPorts: 30, overflowQueue: 'general' },
    phones: { domain: 'hotline.local' },
    paths: { fax: './var/fax', messages: './var/messages', switchCdr: '/var/log/freeswitch/xml_cdr' },
    recording: r.value.recording,
    sms: { timeoutMs: 10000 },
    fax: { channels: 1, maxAttempts: 4, faxDids: [], noT38Dids: [], t38Outbound: true, ringSeconds: 60 },
  })
  t.match(r.value, { ivr: { overflowQueue: 'general' }, recording: { root: './var/recordings', format: 'wav', retention: { floorDays: 31 } } })
  t.end()
})

t.test('./hotline.yaml is read when present and environment variables override it', (t) => {
  const cwd = dirWith(t, { 'hotline.yaml': 'esl:\n  host: fs1.example\n  port: 9021\nhttp:\n  port: 8000\n' })
  const r = load({ cwd, env: { HOTLINE_HTTP_PORT: '9090', HOTLINE_ESL_PASSWORD: 's3cret', HOTLINE_LOG_PRETTY: 'true' } })
  t.ok(r.ok)
  if (!r.ok) return t.end()
  t.equal(r.value.esl.host, 'fs1.example', 'from the file')
  t.equal(r.value.esl.port, 9021, 'from the file')
  t.equal(r.value.http.port, 9090, 'the environment wins over the file')
  t.equal(r.value.esl.password, 's3cret')
  t.equal(r.value.log.pretty, true)
  t.end()
})

t.test('the file named by --config wins over HOTLINE_CONFIG, and JSON files are read as JSON', (t) => {
  const cwd = dirWith(t, { 'a.json': '{"http": {"port": 8001}}', 'b.yaml': 'http:\n  port: 8002\n' })
  const byFlag = load({ cwd, file: 'a.json', env: { HOTLINE_CONFIG: 'b.yaml' } })
  const byEnv = load({ cwd, env: { HOTLINE_CONFIG: 'b.yaml' } })
  t.equal(byFlag.ok && byFlag.value.http.port, 8001)
  t.equal(byEnv.ok && byEnv.value.http.port, 8002)
  t.end()
})

t.test('flags given as overrides win over the environment', (t) => {
  const r = load({ cwd: dirWith(t, {}), env: { HOTLINE_ESL_HOST: 'a' }, overrides: { esl: { host: 'b' } } })
  t.equal(r.ok && r.value.esl.host, 'b')
  t.end()
})

t.test('an invalid value is reported with its key path, the reason and the value given', (t) => {
  const r = load({ cwd: dirWith(t, {}), env: { HOTLINE_HTTP_PORT: 'abc' } })
  t.notOk(r.ok)
  if (r.ok) return t.end()
  t.equal(r.error.code, 'config-invalid')
  t.match(r.error.message, 'http.port: expected a number from 1 to 65535, got "abc" (from HOTLINE_HTTP_PORT)')
  t.end()
})

t.test('every problem is reported at once, not only the first', (t) => {
  const cwd = dirWith(t, { 'hotline.yaml': 'http:\n  port: 70000\nlog:\n  level: loud\ndb:\n  client: pg\n' })
  const r = load({ cwd })
  t.notOk(r.ok)
  if (r.ok) return t.end()
  t.same(r.error.problems.map((p) => p.path).sort(), ['db.url', 'http.port', 'log.level'])
  t.match(r.error.message, 'got 70000')
  t.match(r.error.message, 'db.url: required when db.client is "pg"')
  t.end()
})

t.test('an unknown key is rejected and the likely intended key is suggested', (t) => {
  const cwd = dirWith(t, { 'hotline.yaml': 'htpp:\n  port: 8000\nesl:\n  hots: x\n' })
  const r = load({ cwd })
  t.notOk(r.ok)
  if (r.ok) return t.end()
  t.match(r.error.message, 'htpp: unknown key (did you mean "http"?)')
  t.match(r.error.message, 'esl.hots: unknown key (did you mean "host"?)')
  t.end()
})

t.test('FreeSWITCH\'s default password ClueCon is refused with the reason, and never echoed', (t) => {
  const r = load({ cwd: dirWith(t, {}), env: { HOTLINE_ESL_PASSWORD: 'ClueCon' } })
  t.notOk(r.ok)
  if (r.ok) return t.end()
  t.match(r.error.message, /esl\.password: refusing FreeSWITCH's well-known default password "ClueCon"/)
  t.notMatch(r.error.message, 'got', 'the value given is not repeated')
  t.end()
})

t.test('a command that talks to FreeSWITCH fails without a password, naming where to set it', (t) => {
  const cwd = dirWith(t, {})
  const r = load({ cwd, requireEslPassword: true })
  t.notOk(r.ok)
  if (r.ok) return t.end()
  t.match(r.error.message, 'esl.password: required to connect to FreeSWITCH')
  t.match(r.error.message, 'HOTLINE_ESL_PASSWORD')
  t.ok(load({ cwd, requireEslPassword: true, env: { HOTLINE_ESL_PASSWORD: 'x9' } }).ok)
  t.end()
})

t.test('a broken or missing config file is a clear error naming the file', (t) => {
  const cwd = dirWith(t, { 'bad.yaml': 'http: [\n', 'list.yaml': '- 1\n- 2\n', 'bad.json': '{"http":' })
  for (const [file, reason] of [
    ['bad.yaml', /cannot read config file .*bad\.yaml: /],
    ['bad.json', /cannot read config file .*bad\.json: /],
    ['list.yaml', /expected a mapping of sections/],
    ['nope.yaml', /nope\.yaml: no such file/],
  ] as const) {
    const r = load({ cwd, file })
    t.equal(!r.ok && r.error.code, 'config-file-unreadable', file)
    t.match(!r.ok && r.error.message, reason, file)
  }
  t.end()
})

t.test('an empty config file means all defaults', (t) => {
  const cwd = dirWith(t, {})
  writeFileSync(join(cwd, 'hotline.yaml'), '# nothing yet\n')
  const r = load({ cwd })
  t.equal(r.ok && r.value.http.port, 8080)
  t.end()
})

t.test('reconnect backoff must not start above its cap', (t) => {
  const r = load({ cwd: dirWith(t, {}), env: { HOTLINE_ESL_RECONNECT_INITIAL_MS: '5000', HOTLINE_ESL_RECONNECT_MAX_MS: '1000' } })
  t.match(!r.ok && r.error.message, 'esl.reconnect.maxMs: maxMs must be at least initialMs')
  t.end()
})

t.test('the API token lifetime is auth.tokenTtlMs, from the file or HOTLINE_AUTH_TOKEN_TTL_MS', (t) => {
  const cwd = dirWith(t, { 'hotline.yaml': 'auth:\n  tokenTtlMs: 3600000\n' })
  const file = load({ cwd })
  t.equal(file.ok && file.value.auth.tokenTtlMs, 3_600_000, 'from the file')
  const r = load({ cwd, env: { HOTLINE_AUTH_TOKEN_TTL_MS: '1800000' } })
  t.equal(r.ok && r.value.auth.tokenTtlMs, 1_800_000, 'the environment wins over the file')
  t.end()
})

t.test('a token lifetime under 5 minutes, over 30 days or not a whole number is refused, naming auth.tokenTtlMs', (t) => {
  const reason = 'auth.tokenTtlMs: expected milliseconds from 300000 (5 minutes) to 2592000000 (30 days)'
  for (const bad of ['299999', '2592000001', '12h', '600000.5', '-1']) {
    const r = load({ cwd: dirWith(t, {}), env: { HOTLINE_AUTH_TOKEN_TTL_MS: bad } })
    t.notOk(r.ok, bad)
    t.match(!r.ok && r.error.message, reason, bad)
    t.match(!r.ok && r.error.message, '(from HOTLINE_AUTH_TOKEN_TTL_MS)', `${bad}: names the variable`)
  }
  const fromFile = load({ cwd: dirWith(t, { 'hotline.yaml': 'auth:\n  tokenTtlMs: 60000\n' }) })
  t.match(!fromFile.ok && fromFile.error.message, reason, 'one minute in the file')
  t.ok(load({ cwd: dirWith(t, {}), env: { HOTLINE_AUTH_TOKEN_TTL_MS: '300000' } }).ok, 'exactly 5 minutes is allowed')
  t.ok(load({ cwd: dirWith(t, {}), env: { HOTLINE_AUTH_TOKEN_TTL_MS: '2592000000' } }).ok, 'exactly 30 days is allowed')
  t.end()
})

t.test("the phones' SIP domain defaults to the kit's, is set by HOTLINE_PHONES_DOMAIN, and must be a domain", (t) => {
  const cwd = dirWith(t, {})
  t.match(load({ cwd, env: {} }), { ok: true, value: { phones: { domain: 'hotline.local' } } })
  t.match(load({ cwd, env: { HOTLINE_PHONES_DOMAIN: 'pbx.example.cn' } }), { ok: true, value: { phones: { domain: 'pbx.example.cn' } } })
  const bad = load({ cwd, env: { HOTLINE_PHONES_DOMAIN: 'pbx example' } })
  t.match(bad, { ok: false, error: { problems: [{ path: 'phones.domain', reason: /SIP domain/ }] } })
  t.end()
})

t.test('docs/configuration.md: its example file is valid and every environment variable is documented', (t) => {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')
  const example = /## Example `hotline\.yaml`\s+```yaml\n([\s\S]*?)```/.exec(doc)?.[1]
  if (example === undefined) throw new Error('no yaml example in docs/configuration.md')
  const r = load({ cwd: dirWith(t, { 'hotline.yaml': example }) })
  t.ok(r.ok, r.ok ? 'example valid' : r.error.message)
  for (const [name, path] of envVars) {
    t.match(doc, `| \`${path}\` |`, `${path} documented`)
    t.match(doc, name, `${name} documented`)
  }
  t.end()
})

t.test('a bad value of a secret key is never repeated in the error: passwords, tokens, database and gateway URLs', (t) => {
  const SECRET = 'hunter2-do-not-print'
  const cases: Array<readonly [string, string, Record<string, string>]> = [
    ['esl.password', `esl:\n  password: [${SECRET}]\n`, {}],
    ['db.url', '', { HOTLINE_DB_URL: `mysql://admin:${SECRET}@db/hotline` }],
    ['db.url', `db:\n  client: pg\n  url: "http://${SECRET}.example"\n`, {}],
    ['sms.url', '', { HOTLINE_SMS_URL: `gateway?key=${SECRET}` }],
    ['sms.token', `sms:\n  token: {value: ${SECRET}}\n`, {}],
    ['db', `db: "postgres://admin:${SECRET}@db/hotline"\n`, {}],
    ['esl', `esl:\n  - password: ${SECRET}\n`, {}],
  ]
  for (const [path, yaml, env] of cases) {
    const r = load({ cwd: dirWith(t, { 'hotline.yaml': yaml }), env })
    t.notOk(r.ok, path)
    if (r.ok) continue
    t.match(r.error.message, `${path}: `, `${path}: the key is named`)
    t.notMatch(r.error.message, SECRET, `${path}: the value is not`)
    t.notMatch(JSON.stringify(r.error.problems), SECRET, `${path}: nor in the problems list`)
  }
  t.end()
})

t.test('a bad token lifetime is not a secret: the value given is repeated so the engineer sees the typo', (t) => {
  const fromEnv = load({ cwd: dirWith(t, {}), env: { HOTLINE_AUTH_TOKEN_TTL_MS: '12h' } })
  t.match(!fromEnv.ok && fromEnv.error.message, 'auth.tokenTtlMs: expected milliseconds from 300000 (5 minutes) to 2592000000 (30 days), got "12h" (from HOTLINE_AUTH_TOKEN_TTL_MS)')
  const fromFile = load({ cwd: dirWith(t, { 'hotline.yaml': 'auth:\n  tokenTtlMs: 60000\n' }) })
  t.match(!fromFile.ok && fromFile.error.message, /auth\.tokenTtlMs: .*, got 60000$/m)
  const port = load({ cwd: dirWith(t, {}), env: { HOTLINE_ESL_PORT: '80211' } })
  t.match(!port.ok && port.error.message, 'esl.port: expected a number from 1 to 65535, got "80211"', 'other plain keys are echoed as before')
  t.end()
})

t.test("the site's fax number, station id and channels come from fax.*; a number that is not digits is refused, naming the key", (t) => {
  const ok = load({ cwd: dirWith(t, { 'hotline.yaml': 'fax: { channels: 3, callerIdNumber: "02596300", stationId: "ACME HOTLINE", noT38Dids: ["96301"] }\n' }) })
  t.match(ok, { ok: true, value: { fax: { channels: 3, callerIdNumber: '02596300', stationId: 'ACME HOTLINE', noT38Dids: ['96301'], t38Outbound: true } } })
  const bad = load({ cwd: dirWith(t, { 'hotline.yaml': 'fax: { callerIdNumber: "025-9630", stationId: "A STATION ID OVER TWENTY" }\n' }) })
  t.equal(bad.ok, false)
  if (!bad.ok) {
    t.match(bad.error.message, /fax\.callerIdNumber/)
    t.match(bad.error.message, /fax\.stationId/)
  }
  t.end()
})

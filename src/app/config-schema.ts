import { recordingConfigSchema } from '../recording/index.ts'
import { DEFAULT_TOKEN_TTL_MS } from '../users/index.ts'
import { KIT_PHONE_DOMAIN } from '../phones/index.ts'
import { z } from 'zod'

/**
 * The shape of Hotline's configuration. Every section has defaults so an empty file (or none)
 * is valid, except what must never have a default: the ESL password (checked by loadConfig
 * when a command needs it) and the PostgreSQL URL when db.client is "pg".
 *
 * Objects are strict: a typo such as `htpp:` is an error, not a silently ignored section.
 */

/** Env vars arrive as strings: accept "8021" where a number is expected, keep "abc" for the error. */
const numeric = (v: unknown): unknown => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v)
const boolish = (v: unknown): unknown => {
  if (typeof v !== 'string') return v
  const s = v.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(s)) return true
  if (['false', '0', 'no', 'off', ''].includes(s)) return false
  return v
}

function intIn(lo: number, hi: number) {
  const error = `expected a number from ${lo} to ${hi}`
  return z.preprocess(numeric, z.int({ error }).min(lo, { error }).max(hi, { error }))
}
const port = intIn(1, 65535)
const millis = intIn(1, 3_600_000)
const flag = z.preprocess(boolish, z.boolean({ error: 'expected true or false' }))
const text = z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' })

/** FreeSWITCH ships event_socket.conf.xml with this password; every scanner on the Internet tries it. */
export const FREESWITCH_DEFAULT_PASSWORD = 'ClueCon'

const eslPassword = text.refine((p) => p !== FREESWITCH_DEFAULT_PASSWORD, {
  error:
    'refusing FreeSWITCH\'s well-known default password "ClueCon": set a long random password in ' +
    'autoload_configs/event_socket.conf.xml and use the same one here',
})

const reconnect = z
  .strictObject({ initialMs: millis.default(500), maxMs: millis.default(30_000) })
  .refine((r) => r.maxMs >= r.initialMs, { error: 'maxMs must be at least initialMs', path: ['maxMs'] })

const esl = z.strictObject({
  host: text.default('127.0.0.1'),
  port: port.default(8021),
  password: eslPassword.optional(),
  connectTimeoutMs: millis.default(5_000),
  commandTimeoutMs: millis.default(10_000),
  // FreeSWITCH sends HEARTBEAT every 20 s: three missed ones mean the connection is dead.
  heartbeatTimeoutMs: millis.default(60_000),
  /**
   * The largest message body read from the switch. A bigger Content-Length is a corrupt stream
   * (every later message would be swallowed): the connection is dropped and made again. The
   * biggest real answers (`show channels as json` on a full switch) are a few MiB.
   */
  maxBodyBytes: intIn(65_536, 1 << 30).default(64 << 20),
  /**
   * How often the calls Hotline tracks are checked against `show channels` while connected: a
   * call whose hangup event was lost ends, a caller whose events were lost is adopted, within
   * two checks. 0 turns it off (then only reconnects reconcile).
   */
  auditEveryMs: intIn(0, 3_600_000).default(5_000),
  reconnect: reconnect.prefault({}),
})

const http = z.strictObject({
  host: text.default('127.0.0.1'),
  port: port.default(8080),
})

const db = z
  .strictObject({
    client: z.enum(['better-sqlite3', 'pg'], { error: 'expected "better-sqlite3" or "pg"' }).default('better-sqlite3'),
    filename: text.default('./var/hotline.sqlite'),
    url: text
      .refine((u) => /^postgres(ql)?:\/\//.test(u), { error: 'expected a postgres:// or postgresql:// URL' })
      .optional(),
  })
  .superRefine((d, ctx) => {
    if (d.client === 'pg' && d.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'required when db.client is "pg"' })
    }
  })

const log = z.strictObject({
  level: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  pretty: flag.default(false),
})

const ivr = z.strictObject({
  scriptsDir: text.default('ivr-scripts'),
  soundsDir: text.default('sounds'),
  maxPorts: intIn(1, 10_000).default(30),
  /** Where a caller goes when every IVR port is taken: straight to this queue, never silence. */
  overflowQueue: text.default('general'),
})

/** The SMS gateway (an HTTP endpoint of the site's SMS provider); without a URL, SMS are refused and logged. */
const sms = z.strictObject({
  url: z.url().optional(),
  token: text.optional(),
  timeoutMs: millis.default(10_000),
})

const MINUTE_MS = 60_000
const TOKEN_TTL = { minMs: 5 * MINUTE_MS, maxMs: 30 * 24 * 60 * MINUTE_MS }
const tokenTtlError = `expected milliseconds from ${TOKEN_TTL.minMs} (5 minutes) to ${TOKEN_TTL.maxMs} (30 days)`

/** API logins: how long a bearer token lives after login (then the console asks to log in again). */
const auth = z.strictObject({
  tokenTtlMs: z
    .preprocess(numeric, z.int({ error: tokenTtlError }).min(TOKEN_TTL.minMs, { error: tokenTtlError }).max(TOKEN_TTL.maxMs, { error: tokenTtlError }))
    .default(DEFAULT_TOKEN_TTL_MS),
  /**
   * The bearer token a Prometheus scraper presents at GET /metrics (its `authorization:
   * credentials_file`): sessions expire, a scraper cannot log in. Unset: only a supervisor's or an
   * admin's session may read /metrics.
   */
  metricsToken: z.string().min(24, { error: 'auth.metricsToken: at least 24 characters (e.g. openssl rand -hex 24)' }).optional(),
})

/**
 * The agents' and supervisors' SIP phones. Offers, transfers, callbacks and eavesdrops dial
 * `user/<extension>@<domain>`: FreeSWITCH looks the user up in this directory domain (vars.xml
 * `domain`), not at the ESL host; another domain is "Can't find user", SUBSCRIBER_ABSENT.
 */
const sipDomain = text.refine((d) => /^[A-Za-z0-9.-]+$/.test(d), { error: 'expected a SIP domain such as hotline.local (letters, digits, dots, hyphens)' })
const phones = z.strictObject({
  domain: sipDomain.default(KIT_PHONE_DOMAIN),
})

const paths = z.strictObject({
  fax: text.default('./var/fax'),
  messages: text.default('./var/messages'),
  /**
   * Where FreeSWITCH's mod_xml_cdr writes a file per call (the kit: its log folder's xml_cdr,
   * /var/log/freeswitch/xml_cdr with the official packages): the end time and cause of calls that
   * ended while Hotline was away. Read only.
   */
  switchCdr: text.default('/var/log/freeswitch/xml_cdr'),
})

/** A DID or a dialled number: digits, optionally with a leading +. */
const digits = z.string({ error: 'expected digits' }).regex(/^\+?\d{1,20}$/, { error: 'expected digits (a DID or number), e.g. 96300' })

/**
 * Fax. Inbound faxes arrive on the kit's fax DID (trunk-inbound.xml `did-fax`) or on `faxDids`;
 * outbound jobs dial out through the trunks. `stationId` is the TSI/CSI the far machine prints on
 * each page, `callerIdNumber` the number the far end sees — a site sets its own fax number here
 * (without it, the trunk's default caller id goes out).
 */
const fax = z.strictObject({
  /** Faxes sent or received at once (each holds a trunk channel and a spandsp engine). */
  channels: intIn(1, 240).default(1),
  /** Attempts per outbound job before it ends failed (busy, no answer, a broken transfer). */
  maxAttempts: intIn(1, 20).default(4),
  faxDids: z.array(digits).default([]),
  /** Fax DIDs whose trunk mangles T.38: received on G.711 with ECM instead. */
  noT38Dids: z.array(digits).default([]),
  /** Accept and ask for T.38 on outbound faxes (when the far end offers it, the call moves to T.38). */
  t38Outbound: flag.default(true),
  callerIdNumber: digits.optional(),
  stationId: z.string().max(20, { error: 'a fax station id holds at most 20 characters (T.30)' }).optional(),
  pageHeader: z.string().max(80).optional(),
  /** How long an outbound fax call rings before it counts as no answer. */
  ringSeconds: intIn(5, 300).default(60),
})

export const configSchema = z.strictObject({
  esl: esl.prefault({}),
  http: http.prefault({}),
  auth: auth.prefault({}),
  db: db.prefault({}),
  log: log.prefault({}),
  ivr: ivr.prefault({}),
  phones: phones.prefault({}),
  paths: paths.prefault({}),
  recording: recordingConfigSchema.prefault({}),
  sms: sms.prefault({}),
  fax: fax.prefault({}),
})

export type Config = z.infer<typeof configSchema>
export type EslConfig = Config['esl']
export type HttpConfig = Config['http']
export type AuthConfig = Config['auth']
export type DbConfig = Config['db']
export type LogConfig = Config['log']

/**
 * Environment variables and the key each one sets. They override the file; flags override them.
 * docs/configuration.md lists the same table: keep the two in step.
 */
export const envVars: ReadonlyArray<readonly [name: string, path: string]> = [
  ['HOTLINE_ESL_HOST', 'esl.host'],
  ['HOTLINE_ESL_PORT', 'esl.port'],
  ['HOTLINE_ESL_PASSWORD', 'esl.password'],
  ['HOTLINE_ESL_CONNECT_TIMEOUT_MS', 'esl.connectTimeoutMs'],
  ['HOTLINE_ESL_COMMAND_TIMEOUT_MS', 'esl.commandTimeoutMs'],
  ['HOTLINE_ESL_HEARTBEAT_TIMEOUT_MS', 'esl.heartbeatTimeoutMs'],
  ['HOTLINE_ESL_RECONNECT_INITIAL_MS', 'esl.reconnect.initialMs'],
  ['HOTLINE_ESL_RECONNECT_MAX_MS', 'esl.reconnect.maxMs'],
  ['HOTLINE_HTTP_HOST', 'http.host'],
  ['HOTLINE_HTTP_PORT', 'http.port'],
  ['HOTLINE_AUTH_TOKEN_TTL_MS', 'auth.tokenTtlMs'],
  ['HOTLINE_METRICS_TOKEN', 'auth.metricsToken'],
  ['HOTLINE_DB_CLIENT', 'db.client'],
  ['HOTLINE_DB_FILENAME', 'db.filename'],
  ['HOTLINE_DB_URL', 'db.url'],
  ['HOTLINE_LOG_LEVEL', 'log.level'],
  ['HOTLINE_LOG_PRETTY', 'log.pretty'],
  ['HOTLINE_IVR_SCRIPTS_DIR', 'ivr.scriptsDir'],
  ['HOTLINE_IVR_SOUNDS_DIR', 'ivr.soundsDir'],
  ['HOTLINE_IVR_MAX_PORTS', 'ivr.maxPorts'],
  ['HOTLINE_PHONES_DOMAIN', 'phones.domain'],
  ['HOTLINE_RECORDING_ROOT', 'recording.root'],
  ['HOTLINE_SMS_URL', 'sms.url'],
  ['HOTLINE_SMS_TOKEN', 'sms.token'],
  ['HOTLINE_PATHS_FAX', 'paths.fax'],
  ['HOTLINE_PATHS_MESSAGES', 'paths.messages'],
  ['HOTLINE_PATHS_SWITCH_CDR', 'paths.switchCdr'],
]

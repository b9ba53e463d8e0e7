/**
 * The text of ESL commands. A command is a line plus optional `Name: value` header lines, ended by
 * a blank line, so a newline inside any argument would end the command early and smuggle a second
 * one onto the wire: every piece is checked here, and a bad one is an `esl-bad-command` value.
 */
import { err, ok, type Result } from '../shared/index.ts'
import { eslError, type EslError } from './errors.ts'

export type CommandText = Result<string, EslError>

const NEWLINE = /[\r\n]/
const TOKEN = /^[A-Za-z0-9_:.-]+$/

function clean(what: string, value: string): EslError | undefined {
  return NEWLINE.test(value) ? eslError('esl-bad-command', `${what} contains a newline`) : undefined
}

function build(line: string, headers: readonly (readonly [string, string])[] = []): CommandText {
  const bad = clean('command', line) ?? headers.map(([k, v]) => clean(k, k) ?? clean(k, v)).find((e) => e !== undefined)
  if (bad) return err(bad)
  return ok([line, ...headers.map(([k, v]) => `${k}: ${v}`)].join('\n') + '\n\n')
}

export const authCommand = (password: string): CommandText => build(`auth ${password}`)

export function apiCommand(cmd: string): CommandText {
  if (cmd.trim() === '') return err(eslError('esl-bad-command', 'api needs a command'))
  return build(`api ${cmd}`)
}

/** fact 4: a client-chosen Job-UUID header is honoured, so the job is known before the reply. */
export function bgapiCommand(cmd: string, jobUuid: string): CommandText {
  if (cmd.trim() === '') return err(eslError('esl-bad-command', 'bgapi needs a command'))
  return build(`bgapi ${cmd}`, [['Job-UUID', jobUuid]])
}

/** `event json A B CUSTOM x::y` — CUSTOM must come last, its subclasses after it. */
export function eventCommand(format: 'plain' | 'json', names: readonly string[], subclasses: readonly string[]): CommandText {
  const all = [...names.filter((n) => n !== 'CUSTOM'), ...(subclasses.length ? ['CUSTOM', ...subclasses] : [])]
  const bad = all.find((n) => !TOKEN.test(n))
  if (bad !== undefined) return err(eslError('esl-bad-command', `bad event name ${JSON.stringify(bad)}`))
  if (all.length === 0) return err(eslError('esl-bad-command', 'no events to subscribe to'))
  return build(`event ${format} ${all.join(' ')}`)
}

export function filterCommand(header: string, value: string): CommandText {
  if (!TOKEN.test(header) || value === '' || /\s/.test(value)) {
    return err(eslError('esl-bad-command', `bad filter ${JSON.stringify(header)} ${JSON.stringify(value)}`))
  }
  return build(`filter ${header} ${value}`)
}

export interface ExecuteOptions {
  /**
   * fact 13: with event-lock, back-to-back executes run one after another; without it the second
   * starts nested inside the first and completes first. Default true: IVR steps run in order.
   */
  readonly eventLock?: boolean
  readonly loops?: number
  /** Outbound sync mode only: return the reply before the app finishes (fact 12). */
  readonly async?: boolean
}

/** `sendmsg [uuid]` execute; Event-UUID comes back as Application-UUID (fact 12). */
export function executeCommand(uuid: string | undefined, app: string, arg: string | undefined, appUuid: string, o: ExecuteOptions = {}): CommandText {
  if (!TOKEN.test(app)) return err(eslError('esl-bad-command', `bad application name ${JSON.stringify(app)}`))
  const headers: [string, string][] = [['call-command', 'execute'], ['execute-app-name', app]]
  if (arg !== undefined && arg !== '') headers.push(['execute-app-arg', arg])
  if (o.loops !== undefined) headers.push(['loops', String(o.loops)])
  if (o.eventLock ?? true) headers.push(['event-lock', 'true'])
  if (o.async) headers.push(['async', 'true'])
  headers.push(['Event-UUID', appUuid])
  return build(uuid === undefined ? 'sendmsg' : `sendmsg ${uuid}`, headers)
}

export function hangupCommand(uuid: string | undefined, cause: string): CommandText {
  if (!/^[A-Z_]+$/.test(cause)) return err(eslError('esl-bad-command', `bad hangup cause ${JSON.stringify(cause)}`))
  return build(uuid === undefined ? 'sendmsg' : `sendmsg ${uuid}`, [['call-command', 'hangup'], ['hangup-cause', cause]])
}

/** Plain verbs with no argument or a checked one (connect, myevents, linger, exit …). */
export const verbCommand = (line: string): CommandText => build(line)

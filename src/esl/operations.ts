/**
 * The commands Hotline sends, over either kind of connection, each turned into a Result. The
 * socket-level correlation lives in EslConnection; this file says what counts as success.
 */
import { err, ok, type Result } from '../shared/index.ts'
import { apiCommand, bgapiCommand, executeCommand, hangupCommand, type CommandText, type ExecuteOptions } from './commands.ts'
import type { EslConnection, EslReply } from './connection.ts'
import { eslError, type EslError } from './errors.ts'
import type { EslEvent } from './message.ts'
import type { WaitOptions } from './pending.ts'

export interface ExecuteResult {
  /** Application-Response (`FILE PLAYED`, `FILE NOT FOUND`, `_none_` …), fact 15. */
  readonly response: string | undefined
  /** The CHANNEL_EXECUTE_COMPLETE itself: variables such as variable_pagd_result are in its headers. */
  readonly event: EslEvent
}

export type ExecuteCallOptions = WaitOptions & ExecuteOptions

/** A command answered by command/reply: `+OK …` is success, `-ERR …` an esl-command-failed value. */
export async function command(conn: EslConnection, text: CommandText, opts: WaitOptions, what: string): Promise<Result<string, EslError>> {
  const r = await conn.request(text, opts, what)
  return r.ok ? replyText(r.value, what) : r
}

/** `api X`: the body is the answer, `-ERR …` bodies included (the caller knows what they mean). */
export async function api(conn: EslConnection, cmd: string, opts: WaitOptions): Promise<Result<string, EslError>> {
  const r = await conn.request(apiCommand(cmd), opts, `api ${verb(cmd)}`)
  if (!r.ok) return r
  if (r.value.kind === 'api-response') return ok(r.value.body)
  // A bare or refused api answers with a command/reply `-ERR command not found` (fact 3).
  return err(eslError('esl-command-failed', `api ${verb(cmd)}: ${r.value.reply}`))
}

/** `bgapi X` with our own Job-UUID; resolves with the BACKGROUND_JOB body (`+OK <uuid>\n`, `-ERR NO_ANSWER\n` …). */
export async function bgapi(conn: EslConnection, cmd: string, jobUuid: string, opts: WaitOptions): Promise<Result<string, EslError>> {
  const what = `bgapi ${verb(cmd)}`
  const text = bgapiCommand(cmd, jobUuid)
  if (!text.ok) return text
  const job = conn.awaitJob(jobUuid, opts, what)
  const r = await command(conn, text, opts, what)
  if (!r.ok) job.settle(r)
  return job.promise
}

/** sendmsg execute; resolves on the CHANNEL_EXECUTE_COMPLETE carrying our Event-UUID as Application-UUID. */
export async function execute(
  conn: EslConnection,
  uuid: string | undefined,
  app: string,
  arg: string | undefined,
  appUuid: string,
  opts: ExecuteCallOptions,
): Promise<Result<ExecuteResult, EslError>> {
  const what = `execute ${app}`
  const text = executeCommand(uuid, app, arg, appUuid, opts)
  if (!text.ok) return text
  // Registered before sending: in sync outbound mode the completion arrives before the reply (08).
  const done = conn.awaitExecute(appUuid, opts, what)
  const r = await command(conn, text, opts, what)
  if (!r.ok) done.settle(r)
  const ev = await done.promise
  return ev.ok ? ok({ response: ev.value.header('Application-Response'), event: ev.value }) : ev
}

export async function hangup(conn: EslConnection, uuid: string | undefined, cause: string, opts: WaitOptions): Promise<Result<void, EslError>> {
  const r = await command(conn, hangupCommand(uuid, cause), opts, `hangup ${cause}`)
  return r.ok ? ok(undefined) : r
}

function replyText(reply: EslReply, what: string): Result<string, EslError> {
  if (reply.kind === 'api-response') return err(eslError('esl-command-failed', `${what}: unexpected api/response`))
  return reply.ok ? ok(reply.reply) : err(eslError('esl-command-failed', `${what}: ${reply.reply}`))
}

/** Only the verb goes into messages and logs: arguments may carry numbers or variables. */
const verb = (cmd: string): string => cmd.trim().split(/\s/, 1)[0] ?? ''

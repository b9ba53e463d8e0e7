/**
 * Expected ESL failures, as values. The codes are API: other modules and the HTTP error map
 * match on them, so never rename one.
 */
import { failure, type Failure } from '../shared/index.ts'

export type EslErrorCode =
  /** The command, job or execute did not settle within its timeoutMs. */
  | 'esl-timeout'
  /** The caller's AbortSignal fired first. */
  | 'esl-aborted'
  /** The connection dropped (or was not up) while the command was pending. It is never re-sent. */
  | 'esl-disconnected'
  /** `auth` answered `-ERR invalid`, or the switch's ACL rejected us (text/rude-rejection). */
  | 'esl-auth-failed'
  /** TCP connect or the auth handshake did not complete. */
  | 'esl-connect-failed'
  /** The switch answered `-ERR …` to a command (a command/reply, not an api body). */
  | 'esl-command-failed'
  /** An argument would break the line-based protocol (a newline in an app argument, an empty name). */
  | 'esl-bad-command'
  /** The outbound-socket server could not listen on its port. */
  | 'esl-listen-failed'
  /** The client or session was closed by its owner. */
  | 'esl-closed'

export type EslError = Failure<EslErrorCode>

export const eslError = (code: EslErrorCode, message: string): EslError => failure(code, message)

/**
 * The CallControl port: what the IVR, the ACD and media need to do to a leg, independent of how.
 * Its ESL adapter is esl-call-control.ts; tests may use any other implementation.
 * Every operation is bounded by a deadline and may be aborted (ARCHITECTURE principle 7).
 */
import type { ChannelUuid, Failure, Result } from '../shared/index.ts'

export type CallControlErrorCode =
  | 'leg-gone' // the channel no longer exists (hung up meanwhile)
  | 'switch-refused' // FreeSWITCH answered -ERR
  | 'switch-unreachable' // no ESL connection, timeout or abort
  | 'originate-failed' // the new leg was not answered: see `cause`
export type CallControlError = Failure<CallControlErrorCode> & { readonly cause?: string }

export interface Wait {
  readonly timeoutMs?: number
  readonly signal?: AbortSignal
}

export interface CollectSpec {
  readonly prompts: readonly string[]
  readonly invalidPrompt: string | undefined
  readonly min: number
  readonly max: number
  readonly tries: number
  readonly timeoutMs: number
  readonly digitTimeoutMs: number
  readonly terminators: string
  /** A regular expression the digits must match (FreeSWITCH checks it, PCRE). */
  readonly pattern: string
}

export type Collected = { readonly kind: 'digits'; readonly digits: string; readonly terminator: string | undefined } | { readonly kind: 'no-input' }

export type PlayOutcome = 'played' | 'interrupted' | 'missing-file'

export interface OriginateSpec {
  /** The new leg's uuid, chosen by us so nothing needs looking up later (fact 9). */
  readonly uuid: ChannelUuid
  readonly dial: string
  /** Channel variables for the new leg: hotline_offer_id, hotline_call_id, originate_timeout … */
  readonly vars: Readonly<Record<string, string>>
  /** What the new leg runs once answered; `&park()` by default. */
  readonly app?: string
}

export interface CallControl {
  answer(leg: ChannelUuid, o?: Wait): Promise<Result<void, CallControlError>>
  play(leg: ChannelUuid, files: readonly string[], o?: Wait): Promise<Result<PlayOutcome, CallControlError>>
  collect(leg: ChannelUuid, spec: CollectSpec, o?: Wait): Promise<Result<Collected, CallControlError>>
  record(leg: ChannelUuid, file: string, maxSeconds: number, o?: Wait): Promise<Result<void, CallControlError>>
  setVars(leg: ChannelUuid, vars: Readonly<Record<string, string>>, o?: Wait): Promise<Result<void, CallControlError>>
  bridge(customer: ChannelUuid, agent: ChannelUuid, o?: Wait): Promise<Result<void, CallControlError>>
  originate(spec: OriginateSpec, o?: Wait): Promise<Result<ChannelUuid, CallControlError>>
  transfer(leg: ChannelUuid, destination: string, context: string, o?: Wait): Promise<Result<void, CallControlError>>
  /** Stops what the leg is playing; `all` also drops queued apps (fact 7). */
  breakMedia(leg: ChannelUuid, all: boolean, o?: Wait): Promise<Result<void, CallControlError>>
  /**
   * Plays hold music (a `local_stream://` source, which never ends by itself) until it is broken
   * (breakMedia), bridged, transferred or hung up; resolves then, with how it ended. A plain
   * breakMedia ends it and lets what was queued behind it play.
   */
  hold(leg: ChannelUuid, music: string, o?: Wait): Promise<Result<PlayOutcome, CallControlError>>
  hangup(leg: ChannelUuid, cause: string, o?: Wait): Promise<Result<void, CallControlError>>
}

/**
 * CallControl over the inbound ESL connection: parked calls driven with sendmsg execute, uuid_*
 * api commands and bgapi originate (ARCHITECTURE principle 4). FreeSWITCH quirks are noted where
 * they decide the code.
 */
import { originateArgs, setVarsArgs, type EslClient, type ExecuteResult } from '../esl/index.ts'
import { channelUuid, err, ok, type ChannelUuid, type Result } from '../shared/index.ts'
import type { CallControl, CallControlError, CallControlErrorCode, Collected, CollectSpec, OriginateSpec, PlayOutcome, Wait } from './call-control.ts'

type Esl = Pick<EslClient, 'api' | 'bgapi' | 'execute'>

const DEFAULT_MS = 10_000
/** Media apps end when the caller hangs up (fact 8), so this is only a safety net. */
const MEDIA_MS = 15 * 60_000
/** Hold music lasts as long as the caller waits: only a safety net, like MEDIA_MS. */
const HOLD_MS = 12 * 3600_000
const ORIGINATE_MS = 120_000
const PAGD_VAR = 'hotline_digits'

const failed = (code: CallControlErrorCode, message: string, cause?: string): CallControlError => (cause ? { code, message, cause } : { code, message })

export class EslCallControl implements CallControl {
  readonly #esl: Esl
  constructor(esl: Esl) {
    this.#esl = esl
  }

  answer(leg: ChannelUuid, o?: Wait): Promise<Result<void, CallControlError>> {
    return this.#exec(leg, 'answer', undefined, o, DEFAULT_MS).then((r) => (r.ok ? ok(undefined) : r))
  }

  async play(leg: ChannelUuid, files: readonly string[], o?: Wait): Promise<Result<PlayOutcome, CallControlError>> {
    if (files.length === 0) return ok('played')
    // One playback of a file_string:// list keeps the prompts gapless and barge-in consistent.
    const arg = files.length === 1 ? files[0]! : `file_string://${files.join('!')}`
    const r = await this.#exec(leg, 'playback', arg, o, MEDIA_MS)
    if (!r.ok) return r
    // FILE PLAYED also after uuid_break; PLAYBACK ERROR when a transfer or hangup cut it (fact 15) —
    // mostly: a hangup can also end it as FILE PLAYED (test/live/freeswitch.test.ts), so a hangup is
    // learned from its event, never from this outcome.
    if (r.value.response === 'FILE NOT FOUND') return ok('missing-file')
    if (r.value.response === 'PLAYBACK ERROR') return ok('interrupted')
    return ok('played')
  }

  async collect(leg: ChannelUuid, s: CollectSpec, o?: Wait): Promise<Result<Collected, CallControlError>> {
    const prompt = s.prompts.length <= 1 ? (s.prompts[0] ?? 'silence_stream://250') : `file_string://${s.prompts.join('!')}`
    const args = [s.min, s.max, s.tries, s.timeoutMs, s.terminators || 'none', prompt, s.invalidPrompt ?? 'silence_stream://250', PAGD_VAR, s.pattern, s.digitTimeoutMs]
    const r = await this.#exec(leg, 'play_and_get_digits', args.join(' '), o, MEDIA_MS)
    if (!r.ok) return r
    // The outcome is on the EXECUTE_COMPLETE, not in Application-Response (`_none_`), fact 5.
    const ev = r.value.event
    const digits = ev.header(`variable_${PAGD_VAR}`)
    if (ev.header('variable_read_result') !== 'success' || !digits) return ok({ kind: 'no-input' })
    return ok({ kind: 'digits', digits, terminator: ev.header('variable_read_terminator_used') })
  }

  async record(leg: ChannelUuid, file: string, maxSeconds: number, o?: Wait): Promise<Result<void, CallControlError>> {
    const r = await this.#exec(leg, 'record', `${file} ${maxSeconds}`, o, (maxSeconds + 30) * 1000)
    return r.ok ? ok(undefined) : r
  }

  setVars(leg: ChannelUuid, vars: Readonly<Record<string, string>>, o?: Wait): Promise<Result<void, CallControlError>> {
    // Values are escaped for uuid_setvar_multi's ';' split (esl/switch-syntax.ts).
    return this.#api(`uuid_setvar_multi ${setVarsArgs(leg, vars)}`, o)
  }

  bridge(customer: ChannelUuid, agent: ChannelUuid, o?: Wait): Promise<Result<void, CallControlError>> {
    // One CHANNEL_BRIDGE fires on the first uuid's channel (fact 10): the customer goes first.
    return this.#api(`uuid_bridge ${customer} ${agent}`, o)
  }

  async originate(s: OriginateSpec, o?: Wait): Promise<Result<ChannelUuid, CallControlError>> {
    // Every value (a caller's name: "Zhang Wei", "ACME, Inc") is escaped for the three layers
    // FreeSWITCH splits an originate in (esl/switch-syntax.ts); unescaped, a space is "Parse Error!".
    const args = originateArgs({ vars: { ...s.vars, origination_uuid: s.uuid }, dial: s.dial, app: s.app ?? '&park()' })
    const r = await this.#esl.bgapi(`originate ${args}`, { timeoutMs: o?.timeoutMs ?? ORIGINATE_MS, ...(o?.signal ? { signal: o.signal } : {}) })
    if (!r.ok) return err(failed('switch-unreachable', r.error.message))
    // `+OK <uuid>\n` or `-ERR <HANGUP_CAUSE>\n` in the BACKGROUND_JOB body (fact 13).
    const m = /^\+OK ([0-9a-fA-F-]+)/.exec(r.value)
    if (m) return ok(channelUuid(m[1]!))
    const cause = /^-ERR (\S+)/.exec(r.value)?.[1] ?? 'UNKNOWN'
    return err(failed('originate-failed', `originate ${s.dial}: ${cause}`, cause))
  }

  transfer(leg: ChannelUuid, destination: string, context: string, o?: Wait): Promise<Result<void, CallControlError>> {
    return this.#api(`uuid_transfer ${leg} ${destination} XML ${context}`, o)
  }

  breakMedia(leg: ChannelUuid, all: boolean, o?: Wait): Promise<Result<void, CallControlError>> {
    return this.#api(`uuid_break ${leg}${all ? ' all' : ''}`, o)
  }

  async hold(leg: ChannelUuid, music: string, o?: Wait): Promise<Result<PlayOutcome, CallControlError>> {
    // `playback`, not `endless_playback`: mod_dptools.c endless_playback_function loops on
    // SWITCH_STATUS_BREAK, so after a uuid_break (even `all`) the music starts again and whatever
    // was queued behind it never plays. A local_stream:// source never ends by itself, so playback
    // plays it until a uuid_break (FILE PLAYED), a bridge or a hangup (PLAYBACK ERROR). Checked on
    // FreeSWITCH 1.11.3: PLAYBACK_STOP Playback-Status=break, then the queued app starts.
    const r = await this.#exec(leg, 'playback', music, o, HOLD_MS)
    if (!r.ok) return r
    if (r.value.response === 'FILE NOT FOUND') return ok('missing-file')
    return ok(r.value.response === 'PLAYBACK ERROR' ? 'interrupted' : 'played')
  }

  hangup(leg: ChannelUuid, cause: string, o?: Wait): Promise<Result<void, CallControlError>> {
    return this.#api(`uuid_kill ${leg} ${cause}`, o)
  }

  async #api(cmd: string, o: Wait | undefined): Promise<Result<void, CallControlError>> {
    const r = await this.#esl.api(cmd, { timeoutMs: o?.timeoutMs ?? DEFAULT_MS, ...(o?.signal ? { signal: o.signal } : {}) })
    if (!r.ok) return err(failed('switch-unreachable', r.error.message))
    return r.value.startsWith('-ERR') ? err(failed(/no such channel/i.test(r.value) ? 'leg-gone' : 'switch-refused', `${cmd.split(' ')[0]}: ${r.value.trim()}`)) : ok(undefined)
  }

  async #exec(leg: ChannelUuid, app: string, arg: string | undefined, o: Wait | undefined, defaultMs: number): Promise<Result<ExecuteResult, CallControlError>> {
    const r = await this.#esl.execute(leg, app, arg, { eventLock: true, timeoutMs: o?.timeoutMs ?? defaultMs, ...(o?.signal ? { signal: o.signal } : {}) })
    if (!r.ok) {
      const code: CallControlErrorCode = /no such channel|invalid session/i.test(r.error.message) ? 'leg-gone' : r.error.code === 'esl-command-failed' ? 'switch-refused' : 'switch-unreachable'
      return err(failed(code, `${app}: ${r.error.message}`))
    }
    return ok(r.value)
  }
}

export type { Collected, CollectSpec, OriginateSpec, PlayOutcome, Wait }

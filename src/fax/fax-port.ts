/**
 * The FaxPort: what the fax service needs from FreeSWITCH beyond CallControl, and its ESL
 * adapter. The adapter runs over two functions the composition root binds to the ESL client,
 * so this module needs no ESL import.
 */
import type { CallControlError } from '../calls/index.ts'
import { originateArgs } from '../esl/index.ts'
import { channelUuid, err, ok, type ChannelUuid, type Failure, type Result } from '../shared/index.ts'

export interface FaxPort {
  /** Runs rxfax on an answered leg; resolves when the app completes (after spandsp::rxfaxresult, fact 22). */
  receive(leg: ChannelUuid, tiffPath: string): Promise<Result<void, CallControlError>>
  /**
   * Dials and runs txfax once answered. `vars.origination_uuid` names the new leg. Resolves
   * when the far end answered (the fax is then in progress; its end is spandsp::txfaxresult)
   * or failed with `originate-failed` and the hangup cause.
   */
  send(dial: string, vars: Readonly<Record<string, string>>, tiffPath: string): Promise<Result<ChannelUuid, CallControlError>>
}

/** The two ESL operations the adapter needs, already bound to a connection and a timeout. */
export interface FaxSwitch {
  /** `sendmsg <uuid>` execute; resolves on the app's CHANNEL_EXECUTE_COMPLETE. */
  execute(uuid: string, app: string, arg: string): Promise<Result<unknown, Failure>>
  /** `bgapi <cmd>`; resolves with the BACKGROUND_JOB body (`+OK <uuid>\n`, `-ERR USER_BUSY\n`). */
  bgapi(cmd: string): Promise<Result<string, Failure>>
}

/** The originate of a fax, every value escaped as FreeSWITCH reads it (esl/switch-syntax.ts). */
export function originateCommand(dial: string, vars: Readonly<Record<string, string>>, tiffPath: string): string {
  return `originate ${originateArgs({ vars, dial, app: `&txfax(${tiffPath})` })}`
}

const unreachable = (f: Failure): CallControlError => ({ code: 'switch-unreachable', message: f.message })

export class EslFaxPort implements FaxPort {
  readonly #sw: FaxSwitch
  constructor(sw: FaxSwitch) {
    this.#sw = sw
  }

  async receive(leg: ChannelUuid, tiffPath: string): Promise<Result<void, CallControlError>> {
    const r = await this.#sw.execute(leg, 'rxfax', tiffPath)
    if (r.ok) return ok(undefined)
    // sendmsg to a leg that is gone answers -ERR (a command failure): the caller hung up.
    if (r.error.code === 'esl-command-failed') return err({ code: 'leg-gone', message: r.error.message })
    return err(unreachable(r.error))
  }

  async send(dial: string, vars: Readonly<Record<string, string>>, tiffPath: string): Promise<Result<ChannelUuid, CallControlError>> {
    const r = await this.#sw.bgapi(originateCommand(dial, vars, tiffPath))
    if (!r.ok) return err(unreachable(r.error))
    const body = r.value.trim()
    const okMatch = /^\+OK\s+(\S+)/.exec(body)
    if (okMatch?.[1]) return ok(channelUuid(okMatch[1]))
    // A failed originate is `-ERR <CAUSE>` (esl-captures fact 13).
    const cause = /^-ERR\s+(\S+)/.exec(body)?.[1] ?? 'UNKNOWN'
    return err({ code: 'originate-failed', message: `originate failed: ${body}`, cause })
  }
}

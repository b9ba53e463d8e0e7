/**
 * A scripted caller: dials a DID like `bgapi originate {…}loopback/<did>/hotline &park()` did in
 * captures 12-20. `leg` is the hotline leg (loopback/<did>-b) that Hotline drives; `phone` is the
 * caller's own a-leg ("caller hangs up" is a hangup of this leg).
 */
import { randomUUID } from 'node:crypto'
import type { SimSwitch } from './switch.ts'
import { originate } from './originate.ts'

export interface CallRequest {
  readonly did: string
  readonly caller: string
  readonly callerName?: string
}

export interface ScriptedCall {
  /** The caller's phone (loopback a-leg). */
  readonly phoneUuid: string
  /** The hotline leg (loopback b-leg), undefined when the DID has no route. */
  readonly legUuid: string | undefined
  /** The caller presses keys (they arrive on the hotline leg). */
  press(digits: string): void
  /** The caller hangs up. */
  hangup(): void
  /** Resolves with `+OK <uuid>` once answered, or `-ERR <cause>`. */
  readonly answered: Promise<string>
  /** Resolves with the cause once the caller's phone is gone. */
  readonly ended: Promise<string>
}

export function placeCall(sw: SimSwitch, req: CallRequest): ScriptedCall {
  const phoneUuid = randomUUID()
  const vars = new Map([
    ['origination_uuid', phoneUuid],
    ['origination_caller_id_number', req.caller],
    ['origination_caller_id_name', req.callerName ?? req.caller],
  ])
  let answered!: (s: string) => void
  const answeredP = new Promise<string>((r) => { answered = r })
  let ended!: (s: string) => void
  const endedP = new Promise<string>((r) => { ended = r })
  sw.watch(phoneUuid, ended)
  originate(sw, { vars, dial: `loopback/${req.did}/hotline`, app: 'park', appArg: '' }, answered)
  const phone = sw.channels.get(phoneUuid)
  const legUuid = phone?.loopbackPeer
  if (!phone) ended('NO_ROUTE_DESTINATION')
  return {
    phoneUuid, legUuid, answered: answeredP, ended: endedP,
    press(digits) {
      const leg = legUuid ? sw.channels.get(legUuid) : undefined
      if (leg) sw.receiveDtmf(leg, digits, 'RTP')
    },
    hangup() {
      const p = sw.channels.get(phoneUuid)
      if (p) sw.hangup(p, 'NORMAL_CLEARING')
    },
  }
}

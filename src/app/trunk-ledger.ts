/**
 * Channels in use per trunk, kept from call events (inbound callers carry hotline_trunk, set by
 * dialplan/trunk-inbound.xml) and from Hotline's own dial-outs, so new outbound work goes to a
 * trunk with room or waits, instead of FreeSWITCH failing it.
 */
import type { CallEvent } from '../calls/index.ts'
import { chooseTrunk, recordChannel, trunkState, type OutboundPurpose, type TrunkChoice, type TrunkPlan, type TrunkState } from '../trunks/index.ts'

/** The kit's trunks (freeswitch-conf/sip_profiles/external/): two E1 spans via the media gateway, then the carrier. */
export const KIT_TRUNK_PLAN: TrunkPlan = {
  trunks: [
    { kind: 'e1', name: 'e1-span-1', spans: ['1'] },
    { kind: 'e1', name: 'e1-span-2', spans: ['1'] },
    { kind: 'sip', name: 'carrier', channels: 30 },
  ],
  outboundOrder: ['e1-span-1', 'e1-span-2', 'carrier'],
}

export class TrunkLedger {
  #state: TrunkState
  readonly #warn: (o: object, m: string) => void

  constructor(plan: TrunkPlan, warn: (o: object, m: string) => void) {
    this.#state = trunkState(plan)
    this.#warn = warn
  }

  choose(purpose: OutboundPurpose): TrunkChoice {
    return chooseTrunk(this.#state, purpose)
  }

  seatTaken(uuid: string, trunk: string): void {
    this.#apply({ kind: 'channel-created', uuid, trunk })
  }

  ended(uuid: string): void {
    this.#apply({ kind: 'channel-ended', uuid })
  }

  onCallEvent(e: CallEvent): void {
    if (e.type === 'call-arrived' && e.call.vars['hotline_trunk']) this.seatTaken(e.call.customerLeg, e.call.vars['hotline_trunk'])
    if (e.type === 'call-ended') this.ended(e.call.customerLeg)
  }

  #apply(fact: Parameters<typeof recordChannel>[1]): void {
    const r = recordChannel(this.#state, fact)
    this.#state = r.state
    for (const ev of r.events) this.#warn({ ...ev }, `trunks: ${ev.kind}`)
  }
}

/**
 * The trunks of a site and how Hotline may use them. An E1 span carries 30 voice channels
 * (B-channels 1-15 and 17-31; timeslot 16 is ISDN signalling). A SIP trunk's capacity is what
 * the carrier sold.
 */
export const CHANNELS_PER_E1_SPAN = 30

export type TrunkName = string
export type SpanName = string

export type Trunk =
  | { readonly kind: 'e1'; readonly name: TrunkName; readonly spans: readonly SpanName[] }
  | { readonly kind: 'sip'; readonly name: TrunkName; readonly channels: number }

/** What Hotline itself dials out for. Agents' manual calls are routed by the dialplan. */
export type OutboundPurpose = 'callback' | 'remote-agent' | 'fax'

export interface TrunkPlan {
  readonly trunks: readonly Trunk[]
  /** Trunk names in the order new outbound work tries them. */
  readonly outboundOrder: readonly TrunkName[]
  /** A different order for one purpose (fax often prefers the E1 spans over a SIP carrier). */
  readonly outboundOrderFor?: Partial<Record<OutboundPurpose, readonly TrunkName[]>>
  /** Channels per trunk that outbound work leaves free for callers ringing in. */
  readonly keepFreeForInbound?: number
  /** Load (0..1) at which a trunk is reported as nearly full. */
  readonly warnAt?: number
}

export const DEFAULT_WARN_AT = 0.8

export function trunkCapacity(trunk: Trunk): number {
  switch (trunk.kind) {
    case 'e1': return trunk.spans.length * CHANNELS_PER_E1_SPAN
    case 'sip': return trunk.channels
  }
}

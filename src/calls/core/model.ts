import type { CallId, ChannelUuid, Instant, OfferId } from '../../shared/index.ts'

/**
 * What FreeSWITCH told us about channels, reduced to the facts call tracking needs.
 * `vars` holds only Hotline's own `hotline_*` channel variables (without the `variable_` prefix).
 */
export type ChannelFact =
  | { readonly kind: 'created'; readonly leg: ChannelUuid; readonly name: string; readonly vars: HotlineVars }
  | { readonly kind: 'parked'; readonly leg: ChannelUuid; readonly name: string; readonly answered: boolean; readonly caller: CallerId; readonly destination: string; readonly vars: HotlineVars }
  | { readonly kind: 'answered'; readonly leg: ChannelUuid; readonly vars: HotlineVars }
  | { readonly kind: 'bridged'; readonly a: ChannelUuid; readonly b: ChannelUuid }
  | { readonly kind: 'unbridged'; readonly a: ChannelUuid; readonly b: ChannelUuid | undefined }
  | { readonly kind: 'hungup'; readonly leg: ChannelUuid; readonly cause: string; readonly vars: HotlineVars }
  /** A DTMF digit received on the leg (the DTMF event fires whatever app runs, even hold music). */
  | { readonly kind: 'pressed'; readonly leg: ChannelUuid; readonly digit: string }

export type HotlineVars = Readonly<Record<string, string>>

export interface CallerId {
  readonly number: string
  readonly name: string
}

export type LegRole = 'customer' | 'agent' | 'other'

export interface Leg {
  readonly uuid: ChannelUuid
  readonly name: string
  readonly role: LegRole
  readonly callId: CallId | undefined
  readonly offerId: OfferId | undefined
  readonly answered: boolean
  readonly parked: boolean
  readonly bridgedTo: ChannelUuid | undefined
}

export interface Call {
  readonly id: CallId
  readonly customerLeg: ChannelUuid
  readonly entry: string
  readonly did: string
  readonly region: string | undefined
  readonly caller: CallerId
  readonly arrivedAt: Instant
  readonly answeredAt: Instant | undefined
  readonly agentLeg: ChannelUuid | undefined
  readonly ended: { readonly at: Instant; readonly cause: string } | undefined
  /** Our hotline_* variables as the channel had them at arrival (or recovery). */
  readonly vars: HotlineVars
}

export interface CallsState {
  readonly legs: ReadonlyMap<ChannelUuid, Leg>
  readonly calls: ReadonlyMap<CallId, Call>
}

export const emptyCalls = (): CallsState => ({ legs: new Map(), calls: new Map() })

/** Things that happened to calls, in the past tense, for the IVR, the ACD, CDRs and screen-pop. */
export type CallEvent =
  | { readonly type: 'call-arrived'; readonly call: Call; readonly recovered: boolean }
  | { readonly type: 'call-answered'; readonly callId: CallId }
  | { readonly type: 'call-bridged'; readonly callId: CallId; readonly customerLeg: ChannelUuid; readonly agentLeg: ChannelUuid }
  | { readonly type: 'call-unbridged'; readonly callId: CallId; readonly customerLeg: ChannelUuid; readonly agentLeg: ChannelUuid | undefined }
  | { readonly type: 'customer-reparked'; readonly callId: CallId; readonly leg: ChannelUuid }
  /** The customer pressed a key (the ACD's callback key while waiting; the IVR reads digits itself). */
  | { readonly type: 'caller-pressed'; readonly callId: CallId; readonly digit: string }
  | { readonly type: 'call-ended'; readonly call: Call }
  | { readonly type: 'agent-leg-answered'; readonly offerId: OfferId; readonly leg: ChannelUuid; readonly callId: CallId | undefined }
  | { readonly type: 'agent-leg-ended'; readonly offerId: OfferId; readonly leg: ChannelUuid; readonly cause: string; readonly callId: CallId | undefined }
  | { readonly type: 'agent-leg-reparked'; readonly offerId: OfferId; readonly leg: ChannelUuid }

/** What the shell must do for the tracker: stamp our call id on a new customer leg. */
export type CallEffect = { readonly type: 'stamp-call-id'; readonly leg: ChannelUuid; readonly callId: CallId }

export interface TrackResult {
  readonly state: CallsState
  readonly events: readonly CallEvent[]
  readonly effects: readonly CallEffect[]
}

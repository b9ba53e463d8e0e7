import type { OutboundPurpose, SpanName, Trunk, TrunkName, TrunkPlan } from './plan.ts'
import { CHANNELS_PER_E1_SPAN, DEFAULT_WARN_AT, trunkCapacity } from './plan.ts'

/** One channel occupying a trunk, keyed by its FreeSWITCH Unique-ID. */
interface Occupant {
  readonly trunk: TrunkName
  readonly span: SpanName | undefined
}

export interface TrunkState {
  readonly plan: TrunkPlan
  readonly channels: ReadonlyMap<string, Occupant>
  /** Trunks currently reported as nearly full, so each crossing is reported once. */
  readonly loaded: ReadonlySet<TrunkName>
}

/**
 * Channel facts from the switch. Feed `channel-created` also when Hotline sends an originate
 * with a preset origination_uuid: the seat is taken before FreeSWITCH's CHANNEL_CREATE arrives,
 * so two callbacks chosen in the same instant cannot both take the last channel; the later
 * CHANNEL_CREATE for the same uuid is then a no-op.
 */
export type ChannelFact =
  | { readonly kind: 'channel-created'; readonly uuid: string; readonly trunk: TrunkName; readonly span?: SpanName }
  | { readonly kind: 'channel-ended'; readonly uuid: string }

export type TrunkEvent =
  | { readonly kind: 'trunk-nearly-full'; readonly trunk: TrunkName; readonly inUse: number; readonly capacity: number }
  | { readonly kind: 'trunk-load-normal'; readonly trunk: TrunkName; readonly inUse: number; readonly capacity: number }
  | { readonly kind: 'channel-on-unknown-trunk'; readonly uuid: string; readonly trunk: TrunkName }

export type TrunkChoice =
  | { readonly kind: 'use-trunk'; readonly trunk: TrunkName }
  | { readonly kind: 'hold'; readonly reason: 'all-trunks-full' }

export function trunkState(plan: TrunkPlan): TrunkState {
  return { plan, channels: new Map(), loaded: new Set() }
}

function findTrunk(plan: TrunkPlan, name: TrunkName): Trunk | undefined {
  return plan.trunks.find((t) => t.name === name)
}

export function channelsInUse(state: TrunkState, trunk: TrunkName, span?: SpanName): number {
  let n = 0
  for (const o of state.channels.values()) {
    if (o.trunk === trunk && (span === undefined || o.span === span)) n++
  }
  return n
}

/** An E1 trunk with one span needs no span in the fact: the channel can only be on it. */
function spanOf(trunk: Trunk, span: SpanName | undefined): SpanName | undefined {
  if (span !== undefined || trunk.kind !== 'e1') return span
  return trunk.spans.length === 1 ? trunk.spans[0] : undefined
}

export function recordChannel(state: TrunkState, fact: ChannelFact): { state: TrunkState; events: TrunkEvent[] } {
  switch (fact.kind) {
    case 'channel-created': {
      if (state.channels.has(fact.uuid)) return { state, events: [] }
      const trunk = findTrunk(state.plan, fact.trunk)
      if (!trunk) return { state, events: [{ kind: 'channel-on-unknown-trunk', uuid: fact.uuid, trunk: fact.trunk }] }
      const channels = new Map(state.channels).set(fact.uuid, { trunk: trunk.name, span: spanOf(trunk, fact.span) })
      return reportLoad({ ...state, channels }, trunk)
    }
    case 'channel-ended': {
      const occupant = state.channels.get(fact.uuid)
      if (!occupant) return { state, events: [] }
      const channels = new Map(state.channels)
      channels.delete(fact.uuid)
      const trunk = findTrunk(state.plan, occupant.trunk)
      return trunk ? reportLoad({ ...state, channels }, trunk) : { state: { ...state, channels }, events: [] }
    }
  }
}

/** One event when a trunk crosses the warning line upwards, one when it falls back below. */
function reportLoad(state: TrunkState, trunk: Trunk): { state: TrunkState; events: TrunkEvent[] } {
  const inUse = channelsInUse(state, trunk.name)
  const capacity = trunkCapacity(trunk)
  const high = capacity > 0 && inUse >= capacity * (state.plan.warnAt ?? DEFAULT_WARN_AT)
  const wasHigh = state.loaded.has(trunk.name)
  if (high === wasHigh) return { state, events: [] }
  const loaded = new Set(state.loaded)
  if (high) loaded.add(trunk.name)
  else loaded.delete(trunk.name)
  const kind = high ? 'trunk-nearly-full' : 'trunk-load-normal'
  return { state: { ...state, loaded }, events: [{ kind, trunk: trunk.name, inUse, capacity }] }
}

/**
 * The trunk for a new piece of outbound work: the first in the configured order with a free
 * channel beyond those kept for callers ringing in. When none has room the work is held
 * (queued by its owner and retried on the next channel-ended) rather than handed to
 * FreeSWITCH to fail with NORMAL_CIRCUIT_CONGESTION.
 */
export function chooseTrunk(state: TrunkState, purpose: OutboundPurpose): TrunkChoice {
  const order = state.plan.outboundOrderFor?.[purpose] ?? state.plan.outboundOrder
  const keepFree = state.plan.keepFreeForInbound ?? 0
  for (const name of order) {
    const trunk = findTrunk(state.plan, name)
    if (!trunk) continue
    if (channelsInUse(state, name) + keepFree < trunkCapacity(trunk)) return { kind: 'use-trunk', trunk: name }
  }
  return { kind: 'hold', reason: 'all-trunks-full' }
}

export interface SpanUsage { readonly span: SpanName; readonly inUse: number; readonly capacity: number }
export interface TrunkUsage {
  readonly trunk: TrunkName
  readonly inUse: number
  readonly capacity: number
  readonly spans: readonly SpanUsage[]
}

/** The read model for the wallboard and `hotline doctor`. */
export function trunkUsage(state: TrunkState): TrunkUsage[] {
  return state.plan.trunks.map((trunk) => ({
    trunk: trunk.name,
    inUse: channelsInUse(state, trunk.name),
    capacity: trunkCapacity(trunk),
    spans: trunk.kind === 'e1'
      ? trunk.spans.map((span) => ({ span, inUse: channelsInUse(state, trunk.name, span), capacity: CHANNELS_PER_E1_SPAN }))
      : [],
  }))
}

/**
 * One simulated FreeSWITCH leg: the fields that FreeSWITCH puts in every channel event, the
 * channel variables, and the app stack that runs inside its park.
 */
import type { TimerHandle } from '../shared/index.ts'

export type ChannelState =
  | 'CS_NEW' | 'CS_INIT' | 'CS_ROUTING' | 'CS_SOFT_EXECUTE' | 'CS_EXECUTE' | 'CS_EXCHANGE_MEDIA'
  | 'CS_PARK' | 'CS_HANGUP' | 'CS_REPORTING' | 'CS_DESTROY'
export type CallState = 'DOWN' | 'RINGING' | 'EARLY' | 'ACTIVE' | 'HANGUP'
export type AnswerState = 'ringing' | 'early' | 'answered' | 'hangup'

const STATE_NUMBER: Record<ChannelState, number> = {
  CS_NEW: 0, CS_INIT: 1, CS_ROUTING: 2, CS_SOFT_EXECUTE: 3, CS_EXECUTE: 4, CS_EXCHANGE_MEDIA: 5,
  CS_PARK: 6, CS_HANGUP: 10, CS_REPORTING: 11, CS_DESTROY: 12,
}
const CALL_STATE_NUMBER: Record<CallState, number> = { DOWN: 0, RINGING: 2, EARLY: 3, ACTIVE: 4, HANGUP: 10 }
export const callStateNumber = (s: CallState): number => CALL_STATE_NUMBER[s]

/** An app started by sendmsg (or the dialplan) that has not completed yet. */
export interface RunningApp {
  readonly name: string
  readonly arg: string
  readonly appUuid: string
  /** Set while the app waits on the clock (prompt length, ring time, fax duration). */
  timer: TimerHandle | undefined
  /** Stop the app early: 'break' (uuid_break), 'hangup', 'transfer', 'bridge'. */
  stop: (why: AppStopReason) => void
  /** Digits received while this app is on top of the stack. */
  dtmf?: (digit: string, source: string) => void
}
export type AppStopReason = 'break' | 'hangup' | 'transfer' | 'bridge'

export interface QueuedApp {
  readonly name: string
  readonly arg: string
  readonly appUuid: string
}

export interface Channel {
  readonly uuid: string
  readonly name: string
  readonly direction: 'inbound' | 'outbound'
  readonly source: 'mod_loopback' | 'mod_sofia'
  readonly createdAt: number
  context: string
  dest: string
  cidName: string
  cidNum: string
  calleeName: string
  calleeNum: string
  state: ChannelState
  callState: CallState
  answerState: AnswerState
  answeredAt: number
  progressAt: number
  hangupAt: number
  bridgedAt: number
  transferredAt: number
  readonly vars: Map<string, string>
  /** The other loopback leg (caller's phone ↔ hotline leg). */
  loopbackPeer: string | undefined
  /** Bridge partner, and whether this leg was the first uuid of uuid_bridge (it carries the events). */
  bridgePeer: string | undefined
  bridgeFirst: boolean
  /** Inside the `park` app (from the dialplan, &park() or park_after_bridge). */
  parked: boolean
  parkAppUuid: string
  /** The app that runs after the originate answers (`&park()`, `&eavesdrop(x)`). */
  readonly apps: RunningApp[]
  readonly queue: QueuedApp[]
  lastApp: string
  lastAppData: string
  lastResponse: string
  hangupCause: string | undefined
  /** Recordings in progress by file path. */
  readonly recordings: Map<string, { startedAt: number; timer: TimerHandle | undefined }>
  /** Digits received while no running app reads them: the next reader (play_and_get_digits) takes them. */
  readonly dtmfQueue: Array<{ digit: string; source: string }>
  /** Called once when this leg is answered / hung up (originate bookkeeping). */
  onAnswer: (() => void) | undefined
  onHangup: ((cause: string) => void) | undefined
  /** Called when this leg's bridge ends while it stays up (the bridge app completes). */
  onBridgeEnd: ((cause: string) => void) | undefined
}

export function newChannel(
  init: Pick<Channel, 'uuid' | 'name' | 'direction' | 'source' | 'createdAt' | 'context' | 'dest' | 'cidName' | 'cidNum'>
    & Partial<Pick<Channel, 'calleeName' | 'calleeNum'>>,
): Channel {
  return {
    ...init,
    calleeName: init.calleeName ?? '',
    calleeNum: init.calleeNum ?? '',
    state: 'CS_NEW', callState: 'DOWN', answerState: 'ringing',
    answeredAt: 0, progressAt: 0, hangupAt: 0, bridgedAt: 0, transferredAt: 0,
    vars: new Map(),
    loopbackPeer: undefined, bridgePeer: undefined, bridgeFirst: false,
    parked: false, parkAppUuid: '',
    apps: [], queue: [],
    lastApp: '', lastAppData: '', lastResponse: '_none_',
    hangupCause: undefined,
    recordings: new Map(),
    dtmfQueue: [],
    onAnswer: undefined, onHangup: undefined, onBridgeEnd: undefined,
  }
}

const usec = (ms: number): string => (ms === 0 ? '0' : String(ms * 1000))

/** Channel-* and Caller-* headers as FreeSWITCH's switch_channel_event_set_data writes them. */
export function channelFields(ch: Channel): Record<string, string> {
  const f: Record<string, string> = {
    'Channel-State': ch.state,
    'Channel-Call-State': ch.callState,
    'Channel-State-Number': String(STATE_NUMBER[ch.state]),
    'Channel-Name': ch.name,
    'Unique-ID': ch.uuid,
    'Call-Direction': ch.direction,
    'Presence-Call-Direction': ch.direction,
    'Channel-HIT-Dialplan': ch.direction === 'inbound' ? 'true' : 'false',
    'Channel-Call-UUID': ch.vars.get('call_uuid') ?? ch.uuid,
    'Answer-State': ch.answerState,
    'Channel-Read-Codec-Name': 'L16', 'Channel-Read-Codec-Rate': '8000', 'Channel-Read-Codec-Bit-Rate': '128000',
    'Channel-Write-Codec-Name': 'L16', 'Channel-Write-Codec-Rate': '8000', 'Channel-Write-Codec-Bit-Rate': '128000',
  }
  Object.assign(f, profileFields('Caller', ch))
  if (ch.hangupCause) f['Hangup-Cause'] = ch.hangupCause
  return f
}

/** The caller-profile block; `Other-Leg` uses the same shape for the bridge partner. */
export function profileFields(prefix: 'Caller' | 'Other-Leg', ch: Channel): Record<string, string> {
  const p = (k: string, v: string): [string, string] => [`${prefix}-${k}`, v]
  return Object.fromEntries([
    p('Direction', ch.direction), p('Logical-Direction', ch.direction), p('Dialplan', 'xml'),
    p('Caller-ID-Name', ch.cidName), p('Caller-ID-Number', ch.cidNum),
    p('Orig-Caller-ID-Name', ch.cidName), p('Orig-Caller-ID-Number', ch.cidNum),
    p('Callee-ID-Name', ch.calleeName), p('Callee-ID-Number', ch.calleeNum),
    p('ANI', ch.cidNum), p('Destination-Number', ch.dest), p('Unique-ID', ch.uuid), p('Source', ch.source),
    p('Context', ch.context), p('Channel-Name', ch.name), p('Profile-Index', '1'),
    p('Profile-Created-Time', usec(ch.createdAt)), p('Channel-Created-Time', usec(ch.createdAt)),
    p('Channel-Answered-Time', usec(ch.answeredAt)), p('Channel-Progress-Time', usec(ch.progressAt)),
    p('Channel-Progress-Media-Time', '0'), p('Channel-Hangup-Time', usec(ch.hangupAt)),
    p('Channel-Transfer-Time', usec(ch.transferredAt)), p('Channel-Resurrect-Time', '0'),
    p('Channel-Bridged-Time', usec(ch.bridgedAt)), p('Channel-Last-Hold', '0'), p('Channel-Hold-Accum', '0'),
    p('Screen-Bit', 'true'), p('Privacy-Hide-Name', 'false'), p('Privacy-Hide-Number', 'false'),
  ])
}

/** The call detail record: what a call did, from arrival to hangup. */
export type CdrOutcome = 'self-service' | 'answered' | 'abandoned' | 'transferred' | 'callback' | 'failed'

export interface CdrOpening {
  readonly callId: string
  readonly entry: string
  readonly did: string
  readonly region: string | undefined
  readonly callerNumber: string
  readonly callerName: string
  readonly arrivedAt: number
}

/** What later stages add; every field optional, each written when its stage happens. */
export interface CdrPatch {
  readonly ivrEndedAt?: number
  readonly ivrPath?: readonly string[]
  readonly facts?: Readonly<Record<string, unknown>>
  readonly queue?: string
  readonly tier?: string
  readonly queuedAt?: number
  readonly answeredAt?: number
  readonly agentId?: string
  readonly disposition?: string
  /** The last transfer's target: `agent:<id>`, `queue:<id>`, `number:<digits>`. */
  readonly transferredTo?: string
  readonly outcome?: CdrOutcome
}

export interface CdrClosing {
  readonly endedAt: number
  readonly hangupCause: string
}

export interface Cdr extends CdrOpening, CdrPatch {
  readonly endedAt?: number
  readonly hangupCause?: string
}

/** The outcome of a call that ended, from what it reached. */
export function outcomeOf(c: CdrPatch): CdrOutcome {
  if (c.outcome === 'transferred' || c.outcome === 'callback') return c.outcome
  if (c.answeredAt !== undefined) return 'answered'
  if (c.queuedAt !== undefined) return 'abandoned'
  return 'self-service'
}

/** Which rows: arrival within [from, to), and any of the filters given. */
export interface CdrQuery {
  readonly from?: number
  readonly to?: number
  readonly before?: number
  readonly queue?: string
  readonly agent?: string
  readonly outcome?: CdrOutcome
  /** The caller's number, exactly. */
  readonly caller?: string
  readonly limit?: number
}

export interface CdrStore {
  /** Opens the row; a second opening of the same call (a recovered call) changes nothing. */
  open(o: CdrOpening): Promise<void>
  patch(callId: string, p: CdrPatch): Promise<void>
  /** Closes the row once, its outcome derived from what the call reached; false when already closed. */
  close(callId: string, c: CdrClosing): Promise<boolean>
  get(callId: string): Promise<Cdr | undefined>
  /** Newest first; `before` pages on (the arrival of the last row seen). */
  list(o: CdrQuery): Promise<Cdr[]>
  /** Every row not closed yet, oldest first: the calls a restart must account for. */
  unclosed(): Promise<Cdr[]>
}

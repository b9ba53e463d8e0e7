/**
 * One caller's walk through a flow set: inputs the shell feeds in, effects it must run, events it
 * may log or publish. The session holds the FlowSet it started with (hot reload safety) and the
 * path and facts that end up in the CDR and the agent's screen-pop.
 */
import { err, ok, type Failure, type Instant, type Result } from '../../shared/index.ts'
import type { FactValue, Facts } from './expr.ts'
import type { FlowSet, Lang, WorkOrderKind } from './flow.ts'

export type Tier = 'diamond' | 'gold' | 'silver' | 'standard'

/** What a CustomerDirectory returns. Money in fen. */
export interface Customer {
  readonly account: string
  readonly name: string
  readonly tier: Tier
  readonly area: string
  readonly balanceFen: number
  readonly bill?: { readonly amountFen: number; readonly due: string }
}
export interface Outage { readonly area: string; readonly until?: string }

export type LookupQuery =
  | { readonly kind: 'customer-by-caller'; readonly caller: string }
  | { readonly kind: 'customer-by-account'; readonly account: string }
  | { readonly kind: 'outage'; readonly area: string }

export interface WorkOrderRequest {
  readonly type: WorkOrderKind; readonly account: string | null; readonly caller: string
  readonly details: Readonly<Record<string, FactValue>>
}

/** Effects, in order. At most the last one is awaited (its outcome comes back as an input). */
export type IvrEffect =
  | { readonly kind: 'play'; readonly files: readonly string[] }
  | { readonly kind: 'collect'; readonly files: readonly string[]; readonly min: number; readonly max: number; readonly terminator: string; readonly timeoutMs: number }
  | { readonly kind: 'lookup'; readonly query: LookupQuery }
  | { readonly kind: 'create-work-order'; readonly order: WorkOrderRequest }
  | { readonly kind: 'record'; readonly mode: 'message' | 'call'; readonly files: readonly string[]; readonly maxSeconds: number }
  | { readonly kind: 'sms'; readonly to: string; readonly text: string }
  | { readonly kind: 'set-language'; readonly lang: Lang }
  | {
      readonly kind: 'enqueue'; readonly queue: string; readonly skills: Readonly<Record<string, number>>; readonly tier: Tier; readonly lang: Lang; readonly facts: Facts; readonly path: readonly string[]
      /** A callback node: the ACD calls the caller back (keeping the place) instead of a wait on hold. */
      readonly callback?: true
    }
  | { readonly kind: 'transfer'; readonly to: string }
  | { readonly kind: 'hangup' }

export type IvrInput =
  | { readonly kind: 'answered' }
  | { readonly kind: 'played' }
  | { readonly kind: 'digits'; readonly digits: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'customer'; readonly customer: Customer | null }
  | { readonly kind: 'outage'; readonly outage: Outage | null }
  | { readonly kind: 'work-order-created'; readonly reference: string }
  | { readonly kind: 'work-order-failed'; readonly code: string }
  | { readonly kind: 'recorded'; readonly file: string }
  | { readonly kind: 'hangup' }

export type IvrOutcome =
  | { readonly kind: 'enqueued'; readonly queue: string }
  | { readonly kind: 'transferred'; readonly to: string }
  | { readonly kind: 'hung-up' }
  | { readonly kind: 'caller-hung-up' }
  | { readonly kind: 'failed'; readonly code: 'ivr-loop' }

export type IvrEvent =
  | { readonly kind: 'node-entered'; readonly flow: string; readonly node: string }
  | { readonly kind: 'fact-set'; readonly name: string; readonly value: FactValue }
  | { readonly kind: 'language-changed'; readonly lang: Lang }
  | { readonly kind: 'input-invalid'; readonly node: string; readonly digits: string }
  | { readonly kind: 'input-timeout'; readonly node: string }
  | { readonly kind: 'retries-exhausted'; readonly node: string }
  | { readonly kind: 'say-failed'; readonly node: string; readonly message: string }
  | { readonly kind: 'ivr-ended'; readonly outcome: IvrOutcome }

/** What input the session waits for; anything else is stale and ignored. */
export type Waiting = 'answered' | 'played' | 'digits' | 'customer' | 'outage' | 'work-order' | 'recorded' | 'nothing'

export interface IvrSession {
  readonly flows: FlowSet
  readonly entry: string
  readonly caller: string
  readonly startedAt: Instant
  readonly lang: Lang
  readonly flow: string
  readonly node: string
  readonly attempts: number
  readonly waiting: Waiting
  readonly facts: Facts
  /** `flow/node` visited, oldest first (capped: a caller looping in a menu must not grow memory). */
  readonly path: readonly string[]
  readonly outcome: IvrOutcome | null
}

export interface StepResult {
  readonly session: IvrSession
  readonly effects: readonly IvrEffect[]
  readonly events: readonly IvrEvent[]
}

export const pathLimit = 200

/** A session for a call to `entry`, waiting for the shell to report the leg answered. */
export function startSession(flows: FlowSet, entry: string, caller: string, now: Instant): Result<IvrSession, Failure<'ivr-entry-unknown'>> {
  const e = flows.entries.get(entry)
  const flow = e ? flows.flows.get(e.flow) : undefined
  if (!e || !flow) return err({ code: 'ivr-entry-unknown', message: `no flow for entry ${entry}` })
  return ok({
    flows, entry, caller, startedAt: now, lang: e.lang, flow: flow.name, node: flow.start, attempts: 0,
    waiting: 'answered', facts: { caller, entry, lang: e.lang }, path: [], outcome: null,
  })
}

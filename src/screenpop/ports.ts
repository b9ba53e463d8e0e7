/** What the screen-pop needs from the rest of Hotline; the composition root wires each port. */
import type { CallId, Failure, Result } from '../shared/index.ts'
import type { CallFacts, PopContact, PopCustomer, PopWorkOrder, ScreenPop } from './core/index.ts'

export interface PopSources {
  /** The call tracker plus the IVR session, in memory: must answer at once (undefined: unknown call). */
  call(id: CallId): CallFacts | undefined
  /** crm.findCustomer fits: by the account the IVR collected, else by the caller's number. */
  customer(by: { readonly phone?: string; readonly account?: string }): Promise<PopCustomer | null | undefined>
  recentContacts(account: string, limit: number): Promise<readonly PopContact[]>
  openWorkOrders(account: string): Promise<readonly PopWorkOrder[]>
}

/** A queue's CRM webhook: where to POST pops and the shared secret that signs them. */
export interface WebhookTarget {
  readonly url: string
  readonly secret: string
}

export interface WebhookTargets {
  forQueue(queue: string): WebhookTarget | undefined
}

export type DeliveryStatus = 'delivered' | 'retrying' | 'failed' | 'gave-up'

/** One attempt of one delivery, as the delivery log keeps it. */
export interface DeliveryAttempt {
  readonly delivery: string
  readonly queue: string
  readonly call: string
  readonly offer: string
  readonly url: string
  readonly attempt: number
  readonly status: DeliveryStatus
  readonly httpStatus: number | undefined
  readonly error: string | undefined
  readonly at: number
}

export interface DeliveryLog {
  append(a: DeliveryAttempt): Promise<void>
  recent(limit: number): Promise<DeliveryAttempt[]>
}

/** A pop sent outside Hotline (the CRM webhook). */
export interface PopSink {
  send(pop: ScreenPop): void
}

/** Where the agent's wrap-up (disposition code and notes) is written: the lead wires CRM history + CDR. */
export interface DispositionSink {
  record(d: Disposition): Promise<Result<void, Failure>>
  /** Who handled a call (its CDR's agent), or undefined when no such call is on record. */
  handledBy(call: CallId): Promise<{ readonly agent: string | undefined } | undefined>
}

export interface Disposition {
  readonly call: CallId
  readonly agent: string
  readonly code: string
  readonly notes: string
  readonly account: string | undefined
  readonly at: number
}

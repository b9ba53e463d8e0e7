/** What the SMS outbox needs from outside: a gateway to hand messages to, and a table to keep them. */
import type { Instant } from '../shared/index.ts'
import type { SendOutcome, Settlement } from './core/index.ts'

export type SmsStatus = 'queued' | 'sending' | 'sent' | 'failed'
export const SMS_STATUSES: readonly SmsStatus[] = ['queued', 'sending', 'sent', 'failed']

export interface SmsMessage {
  readonly id: string
  readonly to: string
  readonly text: string
  readonly status: SmsStatus
  /** Attempts started so far (a claim counts one). */
  readonly attempts: number
  /** When queued: when it may be sent. When sending: when the claim lapses (the sender died). */
  readonly nextAttemptAt: Instant | undefined
  readonly lastError: string | undefined
  readonly createdAt: Instant
  readonly sentAt: Instant | undefined
  readonly callId: string | undefined
}

/** One message as the gateway receives it; `ref` is the outbox id, for the vendor to drop duplicates. */
export interface OutgoingSms {
  readonly to: string
  readonly text: string
  readonly ref: string
}

/** A way out to the phone network (an HTTP vendor, a GSM modem, a test double). */
export interface SmsGateway {
  /** Expected failures are outcomes; the gateway bounds its own wait. */
  send(sms: OutgoingSms): Promise<SendOutcome>
}

export interface SmsOutboxStore {
  insert(m: SmsMessage): Promise<void>
  /** Messages whose time has come: queued and due, or sending with a lapsed claim. Oldest first. */
  due(now: Instant, limit: number): Promise<SmsMessage[]>
  /**
   * Takes a message seen by `due` for one attempt: status sending, attempts + 1, claimed until
   * `until`. Conditional on the row being unchanged since it was read, so of two Hotlines that
   * read the same row, exactly one gets true.
   */
  claim(m: SmsMessage, now: Instant, until: Instant): Promise<boolean>
  /** Records the attempt's end, unless another sender has claimed the row since (then false). */
  settle(id: string, attempt: number, s: Settlement): Promise<boolean>
  list(q: { readonly status?: SmsStatus; readonly limit: number }): Promise<SmsMessage[]>
}

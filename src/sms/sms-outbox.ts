/**
 * The SMS outbox: `queue()` writes a row and returns; a sender loop on the injected Clock takes
 * due rows, sends each through the gateway and records the outcome, retrying with backoff.
 * Several Hotlines may share one table: a row is claimed with a conditional update before it is
 * sent, so no two senders send one attempt. A claim lapses after leaseMs (a sender that died
 * mid-send); leaseMs must exceed the gateway's timeout, or a slow send could be repeated.
 */
import { randomUUID } from 'node:crypto'
import { err, ok, seconds, minutes, type Clock, type Result, type TimerHandle } from '../shared/index.ts'
import { DEFAULT_SMS_RETRY, settle, smsNumber, smsText, type SendOutcome, type SmsNumberError, type SmsRetryPolicy, type SmsTextError } from './core/index.ts'
import type { SmsGateway, SmsMessage, SmsOutboxStore, SmsStatus } from './ports.ts'

export interface SmsLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface SmsOutboxDeps {
  readonly store: SmsOutboxStore
  readonly gateway: SmsGateway
  readonly clock: Clock
  readonly log: SmsLog
  readonly retry?: SmsRetryPolicy
  /** How often the sender looks for due rows (rows queued by another Hotline, retries). */
  readonly pollMs?: number
  /** Rows taken per look; they are sent concurrently. */
  readonly batch?: number
  readonly leaseMs?: number
  readonly newId?: () => string
}

export interface SmsMeta {
  readonly callId?: string
}

export type SmsQueueError = SmsNumberError | SmsTextError

export const DEFAULT_POLL_MS = seconds(5)
export const DEFAULT_LEASE_MS = minutes(2)

export class SmsOutbox {
  readonly #d: SmsOutboxDeps
  #timer: TimerHandle | undefined
  #running = false
  /** The pass in progress, if any; passes never overlap within one Hotline. */
  #pass: Promise<number> | undefined
  #again = false

  constructor(deps: SmsOutboxDeps) {
    this.#d = deps
  }

  /** Validates and stores one message; the sender picks it up at once when running. */
  async queue(to: string, text: string, meta: SmsMeta = {}): Promise<Result<SmsMessage, SmsQueueError>> {
    const number = smsNumber(to)
    if (!number.ok) return err(number.error)
    const body = smsText(text)
    if (!body.ok) return err(body.error)
    const now = this.#d.clock.now()
    const m: SmsMessage = {
      id: (this.#d.newId ?? randomUUID)(), to: number.value, text: body.value, status: 'queued', attempts: 0, nextAttemptAt: now,
      lastError: undefined, createdAt: now, sentAt: undefined, callId: meta.callId,
    }
    await this.#d.store.insert(m)
    if (this.#running) this.#kick()
    return ok(m)
  }

  list(q: { readonly status?: SmsStatus; readonly limit?: number } = {}): Promise<SmsMessage[]> {
    return this.#d.store.list({ ...(q.status === undefined ? {} : { status: q.status }), limit: q.limit ?? 100 })
  }

  /** Starts the sender loop: a pass now, then one every pollMs. */
  start(): void {
    if (this.#running) return
    this.#running = true
    this.#kick()
  }

  /** Stops the loop and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.#running = false
    this.#timer?.cancel()
    this.#timer = undefined
    await this.idle()
  }

  /** Resolves when no pass is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pass) await this.#pass
  }

  /** One pass: claims the due rows and sends them. Returns how many this Hotline sent or tried. */
  async sendDue(): Promise<number> {
    const { store, clock } = this.#d
    const now = clock.now()
    const due = await store.due(now, this.#d.batch ?? 20)
    const tries = await Promise.all(due.map(async (m) => {
      if (!(await store.claim(m, now, now + (this.#d.leaseMs ?? DEFAULT_LEASE_MS)))) return 0
      await this.#attempt(m, m.attempts + 1)
      return 1
    }))
    return tries.reduce<number>((a, b) => a + b, 0)
  }

  #kick(): void {
    if (this.#pass) {
      this.#again = true
      return
    }
    this.#timer?.cancel()
    this.#timer = undefined
    const pass = this.sendDue().catch((error: unknown) => {
      this.#d.log.warn({ err: error }, 'sms: a sender pass failed; the next one retries')
      return 0
    })
    this.#pass = pass
    void pass.then((n) => {
      this.#pass = undefined
      if (!this.#running) return
      // A full batch or a queue() during the pass: there may be more; otherwise wait a poll.
      if (this.#again || n >= (this.#d.batch ?? 20)) {
        this.#again = false
        this.#kick()
      } else {
        this.#timer = this.#d.clock.setTimer(this.#d.pollMs ?? DEFAULT_POLL_MS, () => this.#kick())
      }
    })
  }

  async #attempt(m: SmsMessage, attempt: number): Promise<void> {
    const outcome = await this.#send(m)
    const s = settle(attempt, outcome, this.#d.clock.now(), this.#d.retry ?? DEFAULT_SMS_RETRY)
    const mine = await this.#d.store.settle(m.id, attempt, s)
    const fields = { sms: m.id, to: m.to, attempt, status: s.status, ...(s.status === 'sent' ? {} : { error: s.lastError }) }
    if (!mine) this.#d.log.warn(fields, 'sms: the claim lapsed before the gateway answered (raise leaseMs above the gateway timeout)')
    else if (s.status === 'sent') this.#d.log.info(fields, 'sms: sent')
    else this.#d.log.warn(fields, s.status === 'failed' ? 'sms: failed for good' : 'sms: will retry')
  }

  async #send(m: SmsMessage): Promise<SendOutcome> {
    try {
      return await this.#d.gateway.send({ to: m.to, text: m.text, ref: m.id })
    } catch (error) {
      // A gateway should answer with an outcome; one that throws is treated as down, not lost.
      return { kind: 'unavailable', reason: `sms-gateway-error: ${error instanceof Error ? error.message : String(error)}` }
    }
  }
}

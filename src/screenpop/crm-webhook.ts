/**
 * The per-queue CRM webhook: each pop is POSTed as JSON to the queue's URL, signed with
 * HMAC-SHA256 so the CRM knows it came from Hotline, retried with backoff on the injected Clock,
 * and every attempt written to the delivery log.
 *
 * Signature: `X-Hotline-Signature: sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<raw body>`),
 * with `X-Hotline-Timestamp: <unix seconds>`. The timestamp is inside the signed text, so a
 * captured request replayed later fails the receiver's freshness check (docs/console.md).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../shared/index.ts'
import { DEFAULT_RETRY, isRetryable, retryDelay, type RetryPolicy, type ScreenPop } from './core/index.ts'
import type { DeliveryAttempt, DeliveryLog, DeliveryStatus, PopSink, WebhookTarget, WebhookTargets } from './ports.ts'
import type { PopLog } from './pop-service.ts'

export const SIGNATURE_HEADER = 'x-hotline-signature'
export const TIMESTAMP_HEADER = 'x-hotline-timestamp'
export const DELIVERY_HEADER = 'x-hotline-delivery'

export function signPayload(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`
}

/** The receiver's check (also what docs/console.md shows): signature and freshness. */
export function verifySignature(secret: string, header: string | undefined, timestamp: string | undefined, rawBody: string, nowMs: number, toleranceS = 300): boolean {
  if (header === undefined || timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceS) return false
  const want = Buffer.from(signPayload(secret, Number(timestamp), rawBody))
  const got = Buffer.from(header)
  return want.length === got.length && timingSafeEqual(want, got)
}

export interface CrmWebhookDeps {
  readonly targets: WebhookTargets
  readonly log: DeliveryLog
  readonly clock: Clock
  readonly warn: PopLog
  readonly retry?: RetryPolicy
  readonly newId?: () => string
  /** Global fetch by default; a test may pass another. */
  readonly fetch?: typeof fetch
}

type AttemptOutcome = { readonly status?: number; readonly error?: string }

export class CrmWebhook implements PopSink {
  readonly #d: CrmWebhookDeps
  readonly #policy: RetryPolicy
  readonly #inFlight = new Set<Promise<DeliveryStatus>>()

  constructor(deps: CrmWebhookDeps) {
    this.#d = deps
    this.#policy = deps.retry ?? DEFAULT_RETRY
  }

  send(pop: ScreenPop): void {
    const target = this.#d.targets.forQueue(pop.queue)
    if (target) this.#track(this.deliver(pop, target))
  }

  /** Resolves with the final status once delivered or given up (tests, shutdown). */
  async deliver(pop: ScreenPop, target: WebhookTarget): Promise<DeliveryStatus> {
    const delivery = (this.#d.newId ?? randomUUID)()
    const body = JSON.stringify({ type: 'screenpop.offered', delivery, pop })
    for (let attempt = 1; ; attempt++) {
      const out = await this.#attempt(target, delivery, body)
      const ok = out.status !== undefined && out.status >= 200 && out.status < 300
      const wait = ok || !isRetryable(out) ? undefined : retryDelay(attempt, this.#policy)
      const status: DeliveryStatus = ok ? 'delivered' : wait !== undefined ? 'retrying' : isRetryable(out) ? 'gave-up' : 'failed'
      // The retry timer is armed before the log write, so a slow store never delays a retry.
      const pause = wait === undefined ? undefined : sleep(this.#d.clock, wait)
      await this.#record({ delivery, queue: pop.queue, call: pop.call, offer: pop.offer, url: target.url, attempt, status, httpStatus: out.status, error: out.error, at: this.#d.clock.now() })
      if (pause === undefined) return status
      await pause
    }
  }

  /** Every delivery started so far has finished. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight])
  }

  #track(p: Promise<DeliveryStatus>): void {
    this.#inFlight.add(p)
    void p.finally(() => this.#inFlight.delete(p))
  }

  async #attempt(target: WebhookTarget, delivery: string, body: string): Promise<AttemptOutcome> {
    const timestamp = Math.floor(this.#d.clock.now() / 1000)
    const abort = new AbortController()
    const timer = this.#d.clock.setTimer(this.#policy.timeoutMs, () => abort.abort())
    try {
      const res = await (this.#d.fetch ?? fetch)(target.url, {
        method: 'POST', body, signal: abort.signal, redirect: 'error',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(target.secret, timestamp, body), [TIMESTAMP_HEADER]: String(timestamp), [DELIVERY_HEADER]: delivery },
      })
      await res.arrayBuffer().catch(() => undefined)
      return { status: res.status }
    } catch (error) {
      return { error: abort.signal.aborted ? `timed out after ${this.#policy.timeoutMs} ms` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) }
    } finally {
      timer.cancel()
    }
  }

  async #record(a: DeliveryAttempt): Promise<void> {
    try {
      await this.#d.log.append(a)
    } catch (error) {
      this.#d.warn.warn({ err: error, delivery: a.delivery }, 'screenpop: could not write the delivery log')
    }
  }
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimer(ms, resolve)
  })
}

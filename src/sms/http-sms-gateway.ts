/**
 * A generic HTTP SMS gateway: POSTs `{ to, text, ref }` as JSON to one URL, with
 * `Authorization: Bearer <token>` when a token is configured. Most SMS vendors (or a small
 * relay in front of one) take this shape; a vendor with another body gets its own adapter.
 *
 * 2xx: sent. 4xx: the vendor refused this message (bad number, bad token, content): permanent,
 * except 408 and 429, which say "later". 5xx, a timeout or no connection: try again later.
 * The attempt is cut off after timeoutMs on the injected Clock, so a vendor that holds the
 * connection open cannot hold a sender claim past its lease.
 */
import { systemClock, type Clock } from '../shared/index.ts'
import type { SendOutcome } from './core/index.ts'
import type { OutgoingSms, SmsGateway } from './ports.ts'

export interface HttpSmsGatewayOptions {
  readonly url: string
  /** Sent as a bearer token; never logged. */
  readonly token?: string
  readonly timeoutMs: number
  readonly clock?: Clock
  /** Global fetch by default. */
  readonly fetch?: typeof fetch
}

/** The vendor's reason is kept short: it lands in last_error (500 characters). */
const REASON_CHARS = 200

export class HttpSmsGateway implements SmsGateway {
  readonly #o: HttpSmsGatewayOptions

  constructor(options: HttpSmsGatewayOptions) {
    this.#o = options
  }

  async send(sms: OutgoingSms): Promise<SendOutcome> {
    const { url, token, timeoutMs } = this.#o
    const abort = new AbortController()
    const timer = (this.#o.clock ?? systemClock).setTimer(timeoutMs, () => abort.abort())
    try {
      const res = await (this.#o.fetch ?? fetch)(url, {
        method: 'POST', signal: abort.signal, redirect: 'error',
        headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ to: sms.to, text: sms.text, ref: sms.ref }),
      })
      const body = (await res.text()).trim().slice(0, REASON_CHARS)
      return outcomeOf(res.status, body)
    } catch (error) {
      if (abort.signal.aborted) return { kind: 'unavailable', reason: `sms-gateway-timeout: no answer within ${timeoutMs} ms` }
      return { kind: 'unavailable', reason: `sms-gateway-unreachable: ${causeOf(error)}` }
    } finally {
      timer.cancel()
    }
  }
}

export function outcomeOf(status: number, body: string): SendOutcome {
  const reason = `HTTP ${status}${body === '' ? '' : `: ${body}`}`
  if (status >= 200 && status < 300) return { kind: 'sent' }
  if (status === 408 || status === 429 || status >= 500) return { kind: 'unavailable', reason }
  return { kind: 'rejected', reason }
}

// fetch wraps the socket error (ECONNREFUSED …) in a TypeError("fetch failed") with a cause.
function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return error.cause instanceof Error ? error.cause.message : error.message
}

/**
 * A FaxPort for tests and the demo: it records what was asked and lets the test decide when
 * and how each receive and send ends.
 */
import type { CallControlError } from '../calls/index.ts'
import { channelUuid, err, ok, type ChannelUuid, type Result } from '../shared/index.ts'
import type { FaxPort } from './fax-port.ts'

interface Pending<T> {
  readonly resolve: (r: Result<T, CallControlError>) => void
}

export interface FakeSend {
  readonly dial: string
  readonly vars: Readonly<Record<string, string>>
  readonly tiffPath: string
}

export class FakeFaxPort implements FaxPort {
  readonly received: Array<{ readonly leg: ChannelUuid; readonly tiffPath: string }> = []
  readonly sent: FakeSend[] = []
  readonly #receives = new Map<string, Pending<void>>()
  readonly #sends: Array<Pending<ChannelUuid> & { readonly uuid: string }> = []

  receive(leg: ChannelUuid, tiffPath: string): Promise<Result<void, CallControlError>> {
    this.received.push({ leg, tiffPath })
    return new Promise((resolve) => this.#receives.set(leg, { resolve }))
  }

  send(dial: string, vars: Readonly<Record<string, string>>, tiffPath: string): Promise<Result<ChannelUuid, CallControlError>> {
    this.sent.push({ dial, vars, tiffPath })
    return new Promise((resolve) => this.#sends.push({ resolve, uuid: vars['origination_uuid'] ?? `leg-${this.sent.length}` }))
  }

  /** rxfax on `leg` completes (the result event is fed to the service separately). */
  finishReceive(leg: string, r: Result<void, CallControlError> = ok(undefined)): void {
    const p = this.#receives.get(leg)
    if (!p) throw new Error(`no rxfax running on ${leg}`)
    this.#receives.delete(leg)
    p.resolve(r)
  }

  /** The oldest pending send is answered; returns its leg (txfax now runs there). */
  answerSend(): ChannelUuid {
    const p = this.#next()
    p.resolve(ok(channelUuid(p.uuid)))
    return channelUuid(p.uuid)
  }

  /** The oldest pending send fails with a hangup cause (`USER_BUSY`, `NO_ANSWER` …). */
  failSend(cause: string): void {
    this.#next().resolve(err({ code: 'originate-failed', message: `originate failed: -ERR ${cause}`, cause }))
  }

  get pendingSends(): number {
    return this.#sends.length
  }

  #next(): Pending<ChannelUuid> & { readonly uuid: string } {
    const p = this.#sends.shift()
    if (!p) throw new Error('no send pending')
    return p
  }
}

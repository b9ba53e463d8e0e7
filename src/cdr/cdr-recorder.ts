/**
 * Writes the CDR from call events: opened at arrival, closed at the end, exactly once each.
 * The IVR and the ACD add their parts through `patch`. A store failure is logged with the whole
 * record, so nothing is lost silently even when the database is down.
 */
import { LOST_WHILE_AWAY, type CallEvent } from '../calls/index.ts'
import type { CdrPatch, CdrStore } from './cdr.ts'
import type { SwitchCdr } from './switch-cdr.ts'

export interface CdrLog {
  error(o: object, msg: string): void
}

export class CdrRecorder {
  readonly #store: CdrStore
  readonly #log: CdrLog
  /** Writes of one call run in order: a close never overtakes its own open. */
  readonly #chains = new Map<string, Promise<void>>()

  readonly #switchRecord: (callId: string) => Promise<SwitchCdr | undefined>

  /** switchRecord: the switch's own record (mod_xml_cdr), for a call that ended while the link was down. */
  constructor(store: CdrStore, log: CdrLog, switchRecord: (callId: string) => Promise<SwitchCdr | undefined> = () => Promise.resolve(undefined)) {
    this.#store = store
    this.#log = log
    this.#switchRecord = switchRecord
  }

  onCallEvent(e: CallEvent): void {
    switch (e.type) {
      case 'call-arrived': {
        const c = e.call
        this.#write(c.id, () => this.#store.open({ callId: c.id, entry: c.entry, did: c.did, region: c.region, callerNumber: c.caller.number, callerName: c.caller.name, arrivedAt: c.arrivedAt }), { call: c })
        return
      }
      case 'call-ended': {
        const c = e.call
        const seen = { endedAt: c.ended?.at ?? c.arrivedAt, hangupCause: c.ended?.cause ?? 'UNKNOWN' }
        this.#write(c.id, async () => {
          // Found gone at a reconcile: the hangup happened while the link was down, and `at` is
          // only when Hotline noticed. The switch's file has when it really ended, and why.
          const found = seen.hangupCause === LOST_WHILE_AWAY ? await this.#switchRecord(c.id) : undefined
          const closing = found ? { endedAt: Math.max(found.endedAt, c.arrivedAt), hangupCause: found.hangupCause } : seen
          await this.#store.close(c.id, closing)
        }, { call: c, closing: seen })
        return
      }
      default:
        return
    }
  }

  /** IVR and ACD facts about a live call. */
  patch(callId: string, p: CdrPatch): void {
    this.#write(callId, () => this.#store.patch(callId, p), { callId, patch: p })
  }

  /** Resolves when every write queued so far has finished (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.#chains.values(), ...this.#pending])
  }

  readonly #pending = new Set<Promise<void>>()

  #write(callId: string, op: () => Promise<void>, context: object): void {
    const prev = this.#chains.get(callId) ?? Promise.resolve()
    const next = prev.then(op).catch((error: unknown) => this.#log.error({ error, ...context }, 'cdr: write failed; the record is in this log line'))
    this.#chains.set(callId, next)
    this.#pending.add(next)
    void next.finally(() => {
      this.#pending.delete(next)
      if (this.#chains.get(callId) === next) this.#chains.delete(callId)
    })
  }
}

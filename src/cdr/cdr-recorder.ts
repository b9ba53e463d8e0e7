/**
 * Writes the CDR from call events: opened at arrival, closed at the end, exactly once each.
 * The IVR and the ACD add their parts through `patch`. A write the store refuses (disk full,
 * database down) is held and retried with backoff, in order per call, until it lands: the store
 * reports `degraded` meanwhile (health), and the log says so once when it starts and once when
 * it ends. Only past `maxHeld` held writes, or at shutdown, is a write given up — and then logged
 * with the whole record, so nothing is lost silently.
 */
import { LOST_WHILE_AWAY, type CallEvent } from '../calls/index.ts'
import { systemClock, type Clock, type TimerHandle } from '../shared/index.ts'
import type { CdrPatch, CdrStore } from './cdr.ts'
import type { SwitchCdr } from './switch-cdr.ts'

export interface CdrLog {
  error(o: object, msg: string): void
  info?(o: object, msg: string): void
}

export interface CdrRecorderOptions {
  readonly clock?: Clock
  /** Backoff between retries of a refused write. */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number }
  /** Writes held for retry at most; beyond, a refused write is logged and given up. */
  readonly maxHeld?: number
}

/** What the store is doing with the CDRs, for health. */
export interface CdrStoreStatus {
  readonly state: 'ok' | 'degraded'
  /** Writes refused and waiting to be retried. */
  readonly heldWrites: number
  /** Since when writes have been refused, and the last reason. */
  readonly since?: number
  readonly reason?: string
  /** Writes given up (logged with their record) since start. */
  readonly givenUp: number
}

export class CdrRecorder {
  readonly #store: CdrStore
  readonly #log: CdrLog
  /** Writes of one call run in order: a close never overtakes its own open. */
  readonly #chains = new Map<string, Promise<void>>()

  readonly #switchRecord: (callId: string) => Promise<SwitchCdr | undefined>
  readonly #clock: Clock
  readonly #retry: { readonly initialMs: number; readonly maxMs: number }
  readonly #maxHeld: number
  #held = 0
  #givenUp = 0
  #failing: { since: number; reason: string } | undefined
  #stopping = false
  readonly #sleeps = new Set<{ timer: TimerHandle; wake: () => void }>()

  /** switchRecord: the switch's own record (mod_xml_cdr), for a call that ended while the link was down. */
  constructor(store: CdrStore, log: CdrLog, switchRecord: (callId: string) => Promise<SwitchCdr | undefined> = () => Promise.resolve(undefined), o: CdrRecorderOptions = {}) {
    this.#store = store
    this.#log = log
    this.#switchRecord = switchRecord
    this.#clock = o.clock ?? systemClock
    this.#retry = o.retry ?? { initialMs: 1000, maxMs: 30_000 }
    this.#maxHeld = o.maxHeld ?? 50_000
  }

  status(): CdrStoreStatus {
    const f = this.#failing
    return f ? { state: 'degraded', heldWrites: this.#held, since: f.since, reason: f.reason, givenUp: this.#givenUp } : { state: 'ok', heldWrites: this.#held, givenUp: this.#givenUp }
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

  /** Shutdown: held writes are tried once more, then given up into the log; then flushed. */
  async stop(): Promise<void> {
    this.#stopping = true
    for (const s of [...this.#sleeps]) {
      s.timer.cancel()
      s.wake()
    }
    await this.flush()
  }

  readonly #pending = new Set<Promise<void>>()

  #write(callId: string, op: () => Promise<void>, context: object): void {
    const prev = this.#chains.get(callId) ?? Promise.resolve()
    const next = prev.then(() => this.#land(op, context))
    this.#chains.set(callId, next)
    this.#pending.add(next)
    void next.finally(() => {
      this.#pending.delete(next)
      if (this.#chains.get(callId) === next) this.#chains.delete(callId)
    })
  }

  /** Runs one write until the store takes it (later writes of the same call wait behind it). */
  async #land(op: () => Promise<void>, context: object): Promise<void> {
    for (let delay = this.#retry.initialMs; ; delay = Math.min(this.#retry.maxMs, delay * 2)) {
      try {
        await op()
        this.#landed()
        return
      } catch (error) {
        if (this.#stopping || this.#held >= this.#maxHeld) {
          this.#givenUp++
          this.#log.error({ error, ...context }, 'cdr: write failed; the record is in this log line')
          return
        }
        this.#refused(error)
        this.#held++
        await this.#sleep(delay)
        this.#held--
      }
    }
  }

  #refused(error: unknown): void {
    // Health is public: the reason is the store's cause only ("database or disk is full"), never
    // knex's SQL text before it, which carries caller numbers.
    const reason = (error instanceof Error ? error.message : String(error)).split(' - ').at(-1) ?? ''
    if (this.#failing) {
      this.#failing.reason = reason
      return
    }
    this.#failing = { since: this.#clock.now(), reason }
    this.#log.error({ error, retryMs: this.#retry }, 'cdr: the store refuses writes; they are held in memory and retried until it takes them (health: store degraded)')
  }

  #landed(): void {
    if (!this.#failing || this.#held > 0) return
    const since = this.#failing.since
    this.#failing = undefined
    this.#log.info?.({ downMs: this.#clock.now() - since }, 'cdr: the store takes writes again; every held write landed')
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const s = { timer: this.#clock.setTimer(ms, () => (this.#sleeps.delete(s), resolve())), wake: resolve }
      this.#sleeps.add(s)
    })
  }
}

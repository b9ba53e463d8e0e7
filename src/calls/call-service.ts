/**
 * The shell around the pure tracker: owns the one CallsState, feeds it ESL events, runs its
 * effects, publishes call events, and rebuilds the picture after a restart or reconnect.
 */
import type { EslEvent } from '../esl/index.ts'
import { err, failure, ok, type Bus, type Clock, type Failure, type Result } from '../shared/index.ts'
import type { CallControl } from './call-control.ts'
import { toChannelFact } from './channel-fact.ts'
import {
  audit, bridgedPairs, channelRows, emptyCalls, freshAudit, parseRecovery, recoveryExpression, recoveryFacts, track,
  type AuditMemory, type Call, type CallEvent, type CallsState, type ChannelFact, type RecoveredChannel,
} from './core/index.ts'

export interface CallServiceLog {
  info(o: object, msg: string): void
  warn(o: object, msg: string): void
}

export interface CallServiceDeps {
  readonly control: Pick<CallControl, 'setVars'>
  readonly api: (cmd: string) => Promise<Result<string, Failure>>
  readonly clock: Clock
  readonly bus: Bus<CallEvent>
  readonly log: CallServiceLog
}

/** The cause recorded for a call whose channel vanished while Hotline was not connected. */
export const LOST_WHILE_AWAY = 'ENDED_WHILE_DISCONNECTED'

export class CallService {
  #state: CallsState = emptyCalls()
  readonly #d: CallServiceDeps
  #audit: AuditMemory = freshAudit
  #corrections = 0

  constructor(deps: CallServiceDeps) {
    this.#d = deps
  }

  /** Ghost calls ended and stray callers adopted by the periodic audit since start (health). */
  get corrections(): number {
    return this.#corrections
  }

  /**
   * The periodic audit (core/audit.ts): one `show channels as json`. A leg gone from the switch
   * at two audits in a row is ended (its CDR closes from the switch's own record); a caller held
   * for Hotline and untracked at two audits in a row makes a full reconcile, which adopts it.
   */
  async audit(): Promise<Result<{ readonly ghosts: number; readonly adopted: number }, Failure>> {
    const list = await this.#d.api('show channels as json')
    if (!list.ok) return list
    const rows = channelRows(list.value)
    if (typeof rows === 'string') return err(failure('reconcile-unreadable', `show channels: ${rows}`))
    const v = audit(this.#audit, new Set([...this.#state.legs.keys()].map(String)), rows)
    this.#audit = v.memory
    for (const leg of v.ghosts) {
      const tracked = [...this.#state.legs.values()].find((l) => String(l.uuid) === leg)
      if (tracked) this.apply({ kind: 'hungup', leg: tracked.uuid, cause: LOST_WHILE_AWAY, vars: {} })
    }
    let adopted = 0
    if (v.strays.length > 0) {
      const r = await this.reconcile()
      if (r.ok) adopted = r.value.recovered
    }
    if (v.ghosts.length + adopted > 0) {
      this.#corrections += v.ghosts.length + adopted
      this.#d.log.warn({ ghosts: v.ghosts, adopted, strays: v.strays }, 'calls: the audit found calls the events missed and corrected them')
    }
    return ok({ ghosts: v.ghosts.length, adopted })
  }

  get calls(): readonly Call[] {
    return [...this.#state.calls.values()]
  }

  call(id: string): Call | undefined {
    for (const c of this.#state.calls.values()) if (c.id === id) return c
    return undefined
  }

  /** Feed every decoded ESL event here; events that are not channel facts are ignored. */
  handle(ev: EslEvent): void {
    const fact = toChannelFact(ev)
    if (fact) this.apply(fact)
  }

  apply(fact: ChannelFact): void {
    const now = this.#d.clock.now()
    const r = track(this.#state, fact, now)
    this.#state = r.state
    for (const e of r.effects) {
      // Stamped so that a restarted Hotline finds the same call and its original arrival time.
      void this.#d.control.setVars(e.leg, { hotline_call_id: e.callId, hotline_arrived_at: String(now) }).then((s) => {
        if (!s.ok && s.error.code !== 'leg-gone') this.#d.log.warn({ leg: e.leg, error: s.error }, 'calls: could not stamp the call id')
      })
    }
    for (const e of r.events) this.#d.bus.publish(e)
  }

  /**
   * Rebuilds from what FreeSWITCH holds (fact 17): `show channels as json`, `show bridged_calls as
   * json`, then one `eval` per channel. Channels we already track are left as they are; calls whose
   * channel is gone are ended, so their CDR closes and no agent waits for them.
   */
  async reconcile(): Promise<Result<{ readonly recovered: number; readonly ended: number }, Failure>> {
    const list = await this.#d.api('show channels as json')
    if (!list.ok) return list
    const rows = channelRows(list.value)
    if (typeof rows === 'string') return err(failure('reconcile-unreadable', `show channels: ${rows}`))
    const bridged = await this.#d.api('show bridged_calls as json')
    const pairs = bridged.ok ? bridgedPairs(bridged.value) : []
    const expr = recoveryExpression()
    const found: RecoveredChannel[] = []
    for (const row of rows) {
      const r = await this.#d.api(`eval uuid:${row.uuid} ${expr}`)
      const ch = r.ok ? parseRecovery(row, r.value) : undefined
      if (ch) found.push(ch)
    }
    const live = new Set(found.map((c) => c.uuid))
    let ended = 0
    for (const leg of [...this.#state.legs.values()]) {
      if (live.has(leg.uuid)) continue
      this.apply({ kind: 'hungup', leg: leg.uuid, cause: LOST_WHILE_AWAY, vars: {} })
      ended++
    }
    const fresh = found.filter((c) => !this.#state.legs.has(c.uuid))
    const before = this.#state.calls.size
    for (const f of recoveryFacts(fresh, typeof pairs === 'string' ? [] : pairs)) this.apply(f)
    const recovered = this.#state.calls.size - before
    this.#audit = freshAudit
    this.#d.log.info({ channels: rows.length, recovered, ended }, 'calls: reconciled with the switch')
    return ok({ recovered, ended })
  }
}

export type { CallEvent }

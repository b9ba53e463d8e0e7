/**
 * Hotline's side of the switch: the one inbound ESL connection, call control over it, call
 * tracking, CDRs, and what happens on every (re)connect. Domain services (IVR, ACD, media) hang
 * off the CallService bus and the event stream this exposes.
 */
import { CALL_EVENTS, CallService, EslCallControl, type CallEvent } from '../calls/index.ts'
import { CdrRecorder, KnexCdrStore, SwitchCdrFiles, sweepUnclosed, type CdrStore } from '../cdr/index.ts'
import { EslClient, type EslConnectionState, type EslEvent } from '../esl/index.ts'
import type { SwitchState, SwitchStatus } from '../api/index.ts'
import { Bus, failure, type Clock, type Failure, type Result } from '../shared/index.ts'
import type { Store } from '../store/index.ts'
import type { EslConfig } from './config.ts'
import type { Logger } from './log.ts'

/** Every event Hotline's modules use (principle 8: subscribe to what you use). */
export const SUBSCRIBED_EVENTS = [
  ...CALL_EVENTS,
  'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'PLAYBACK_START', 'PLAYBACK_STOP', 'RECORD_START', 'RECORD_STOP',
  'BACKGROUND_JOB', 'HEARTBEAT', 'CUSTOM',
] as const
export const SUBSCRIBED_SUBCLASSES = ['sofia::register', 'sofia::unregister', 'sofia::expire', 'spandsp::rxfaxresult', 'spandsp::txfaxresult'] as const

/** How often Hotline tells the dialplan's safety net it is alive (dialplan/hotline-gate.xml). */
export const ALIVE_EVERY_MS = 10_000

export interface SwitchLink {
  readonly esl: EslClient
  readonly control: EslCallControl
  readonly calls: CallService
  readonly callEvents: Bus<CallEvent>
  readonly switchEvents: Bus<EslEvent>
  readonly cdr: CdrRecorder
  /** The CDRs as stored (read side: who handled a call). */
  readonly cdrs: CdrStore
  /** Runs after every successful (re)connect, after calls were reconciled. */
  onReconnected(fn: () => Promise<void> | void): void
  status(): SwitchStatus
  start(): void
  stop(): Promise<void>
}

/** switchCdrDir: mod_xml_cdr's folder (paths.switchCdr), resolved. */
export function createSwitchLink(cfg: EslConfig & { readonly password: string }, store: Store, clock: Clock, log: Logger, switchCdrDir?: string): SwitchLink {
  const esl = new EslClient({
    host: cfg.host, port: cfg.port, password: cfg.password, events: SUBSCRIBED_EVENTS, subclasses: SUBSCRIBED_SUBCLASSES,
    connectTimeoutMs: cfg.connectTimeoutMs, heartbeatTimeoutMs: cfg.heartbeatTimeoutMs, maxBodyBytes: cfg.maxBodyBytes,
    backoff: { initialMs: cfg.reconnect.initialMs, maxMs: cfg.reconnect.maxMs }, clock, log: log.child({ module: 'esl' }),
  })
  const control = new EslCallControl(esl)
  const onBusError = (error: unknown, event: unknown): void => log.error({ err: error, event }, 'a module failed handling an event')
  const callEvents = new Bus<CallEvent>(onBusError)
  const switchEvents = new Bus<EslEvent>(onBusError)
  const api = async (cmd: string): Promise<Result<string, Failure>> => {
    const r = await esl.api(cmd, { timeoutMs: cfg.commandTimeoutMs })
    return r.ok ? r : { ok: false, error: failure(r.error.code, r.error.message) }
  }
  const calls = new CallService({ control, api, clock, bus: callEvents, log: log.child({ module: 'calls' }) })
  const cdrLog = log.child({ module: 'cdr' })
  const cdrStore = new KnexCdrStore(store)
  const switchCdrs = new SwitchCdrFiles(switchCdrDir, cdrLog)
  const cdr = new CdrRecorder(cdrStore, cdrLog, (id) => switchCdrs.lookup(id), { clock })
  callEvents.subscribe((e) => cdr.onCallEvent(e))
  esl.onEvent((ev) => {
    calls.handle(ev)
    switchEvents.publish(ev)
  })

  const reconnected: Array<() => Promise<void> | void> = []
  let alive: { cancel(): void } | undefined
  const beat = (): void => {
    // `db insert/realm/key/value` (mod_db): the gate compares this epoch with now (hotline-gate.xml).
    void api(`db insert/hotline/alive/${Math.floor(clock.now() / 1000)}`)
    alive = clock.setTimer(ALIVE_EVERY_MS, beat)
  }
  // The periodic audit (calls/core/audit.ts) while connected: what lost events left behind is
  // corrected within two audits instead of at the next reconnect.
  let auditTimer: { cancel(): void } | undefined
  const auditEvery = cfg.auditEveryMs ?? 5000
  const auditLater = (): void => {
    if (auditEvery <= 0) return
    auditTimer = clock.setTimer(auditEvery, () => {
      if (esl.state.kind !== 'connected') return
      void calls.audit().then((r) => {
        if (!r.ok) log.warn({ error: r.error }, 'calls: the periodic audit could not list the channels')
      }).catch((e: unknown) => log.error({ err: e }, 'calls: the periodic audit failed')).finally(auditLater)
    })
  }
  esl.onStateChange((s) => {
    if (s.kind !== 'connected') return
    alive?.cancel()
    beat()
    auditTimer?.cancel()
    auditLater()
    void (async () => {
      const r = await calls.reconcile()
      if (!r.ok) log.warn({ error: r.error }, 'calls: could not reconcile after connecting')
      else {
        // Rows of calls that ended while Hotline was down (or not connected) and are not in
        // memory: only after a reconcile that worked is "not live" known to mean "gone".
        // Not while the store refuses writes (a full disk): held writes would keep flush() waiting
        // and the ACD's recovery below with it. The next reconnect sweeps.
        if (await settledWithin(cdr.flush(), 10_000, clock)) {
          const swept = await sweepUnclosed(cdrStore, new Set(calls.calls.map((c) => c.id)), switchCdrs, cdrLog)
          if (swept.closed > 0) cdrLog.info(swept, 'cdr: closed the records of calls that ended while Hotline was away')
        } else cdrLog.error({ store: cdr.status() }, 'cdr: the store is not taking writes; the records of calls that ended while Hotline was away are closed at a later reconnect')
      }
      for (const fn of reconnected) await fn()
    })().catch((e: unknown) => log.error({ err: e }, 'reconnect handling failed'))
  })

  return {
    esl, control, calls, callEvents, switchEvents, cdr, cdrs: cdrStore,
    onReconnected: (fn) => void reconnected.push(fn),
    status: () => switchStatus(esl.state, esl.counters, calls.corrections),
    start: () => esl.start(),
    async stop() {
      alive?.cancel()
      auditTimer?.cancel()
      // Tell the safety net at once that calls should fall back, rather than after the timeout.
      if (esl.state.kind === 'connected') await api('db delete/hotline/alive')
      esl.close()
      await cdr.stop()
    },
  }
}

const STATE: Record<EslConnectionState['kind'], SwitchState> = {
  connecting: 'connecting', authenticating: 'authenticating', connected: 'connected', 'backing-off': 'reconnecting', closed: 'stopped',
}

/** Whether `p` settles within `ms` (true) or the time ran out first (false). */
function settledWithin(p: Promise<unknown>, ms: number, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(ms, () => resolve(false))
    void p.finally(() => {
      timer.cancel()
      resolve(true)
    })
  })
}

function switchStatus(s: EslConnectionState, c: EslClient['counters'], corrections: number): SwitchStatus {
  return { state: STATE[s.kind], since: s.since, reconnects: c.reconnects, eventsPerSecond: c.eventsPerSecond, lagMs: c.lagMs, decodeErrors: c.decodeErrors, corrections }
}

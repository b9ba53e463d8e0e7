/**
 * The fax service: the one owner of the fax channel schedule. Inputs (calls arriving, spandsp
 * results, submitted jobs, attempt ends, its timer) go through the pure `decide`; this shell
 * runs the effects (dial, wake-at) and records the events.
 */
import type { Call, CallControl } from '../calls/index.ts'
import { assertNever, type Clock, type Result, type TimerHandle } from '../shared/index.ts'
import { decide, faxSchedule, parseFaxResult, type AttemptOutcome, type FaxEvent, type FaxInput, type FaxSchedule } from './core/index.ts'
import type { FaxConfig } from './fax-config.ts'
import type { FaxConversion } from './fax-conversion.ts'
import type { FaxPort } from './fax-port.ts'
import type { FaxAttempt, FaxJob, FaxListQuery, FaxStore, ReceivedFax } from './fax-store.ts'
import { FaxTasks, type FaxLog } from './fax-tasks.ts'
import { InboundFax, isFaxCall } from './inbound-fax.ts'
import { OutboundFax, type FaxTrunks, type SubmitError, type Submission } from './outbound-fax.ts'

export interface FaxServiceDeps {
  readonly config: FaxConfig
  readonly calls: Pick<CallControl, 'answer' | 'setVars' | 'hangup'>
  readonly fax: FaxPort
  readonly store: FaxStore
  readonly conversion: FaxConversion
  readonly trunks: FaxTrunks
  readonly clock: Clock
  readonly newId: () => string
  readonly log: FaxLog
  /** Each scheduler event, for the wallboard or a bus. */
  readonly onEvent?: (e: FaxEvent) => void
}

export interface FaxService {
  /** Resumes unfinished jobs and closes faxes a previous run left open. */
  start(): Promise<void>
  stop(): void
  /** Feed every call-arrived event; returns true when the call is a fax and the service took it. */
  onCallArrived(call: Call): boolean
  /** Feed the headers of every spandsp::rxfaxresult and spandsp::txfaxresult event. */
  onFaxResult(headers: Readonly<Record<string, string>>): void
  submitJob(s: Submission): Promise<Result<FaxJob, SubmitError>>
  listReceived(q: FaxListQuery): Promise<ReceivedFax[]>
  getReceived(id: string): Promise<ReceivedFax | undefined>
  listJobs(q: FaxListQuery): Promise<FaxJob[]>
  getJob(id: string): Promise<(FaxJob & { readonly attemptLog: readonly FaxAttempt[] }) | undefined>
  /** The current schedule (read model: channels in use, queue). */
  schedule(): FaxSchedule
  /** Waits until every background task and write has settled (tests, shutdown). */
  flush(): Promise<void>
}

export function createFaxService(deps: FaxServiceDeps): FaxService {
  return new FaxShell(deps)
}

class FaxShell implements FaxService {
  readonly #d: FaxServiceDeps
  readonly #tasks: FaxTasks
  readonly #inbound: InboundFax
  readonly #outbound: OutboundFax
  #state: FaxSchedule
  #timer: TimerHandle | undefined

  constructor(deps: FaxServiceDeps) {
    this.#d = deps
    this.#tasks = new FaxTasks(deps.log)
    this.#state = faxSchedule(deps.config.policy)
    const schedule = (input: FaxInput): void => this.#apply(input)
    const common = { config: deps.config, fax: deps.fax, store: deps.store, conversion: deps.conversion, clock: deps.clock, newId: deps.newId, tasks: this.#tasks, schedule }
    this.#inbound = new InboundFax({ ...common, calls: deps.calls })
    this.#outbound = new OutboundFax({ ...common, trunks: deps.trunks })
  }

  async start(): Promise<void> {
    const { store, clock, log, config } = this.#d
    const now = clock.now()
    const closed = await store.failUnfinishedReceived(now, 'Hotline restarted while the fax was being received')
    if (closed) log.warn({ count: closed }, 'faxes left open by the previous run recorded as failed')
    for (const job of await store.openJobs()) {
      if (job.status === 'sending') {
        // The attempt in flight when we stopped has an unknown end: count it as failed and retry.
        await store.finishAttempt(job.id, job.attempts, { endedAt: now, outcome: 'dial-failed', cause: 'HOTLINE_RESTARTED' })
      }
      if (job.attempts >= config.policy.maxAttempts) {
        await store.updateJob(job.id, { status: 'failed', finishedAt: now, updatedAt: now, finalReason: 'Hotline restarted during the last attempt' })
        continue
      }
      this.#outbound.resume(job)
    }
  }

  stop(): void {
    this.#timer?.cancel()
    this.#timer = undefined
  }

  onCallArrived(call: Call): boolean {
    if (call.ended || !isFaxCall(call, this.#d.config)) return false
    this.#inbound.start(call)
    return true
  }

  onFaxResult(headers: Readonly<Record<string, string>>): void {
    const r = parseFaxResult(headers)
    if (!r) return
    if (r.direction === 'rx') this.#inbound.onResult(r)
    else this.#outbound.onResult(r)
  }

  submitJob(s: Submission): Promise<Result<FaxJob, SubmitError>> {
    return this.#outbound.submit(s)
  }

  listReceived(q: FaxListQuery): Promise<ReceivedFax[]> {
    return this.#d.store.listReceived(q)
  }

  getReceived(id: string): Promise<ReceivedFax | undefined> {
    return this.#d.store.getReceived(id)
  }

  listJobs(q: FaxListQuery): Promise<FaxJob[]> {
    return this.#d.store.listJobs(q)
  }

  async getJob(id: string): Promise<(FaxJob & { readonly attemptLog: readonly FaxAttempt[] }) | undefined> {
    const job = await this.#d.store.getJob(id)
    return job ? { ...job, attemptLog: await this.#d.store.attempts(id) } : undefined
  }

  schedule(): FaxSchedule {
    return this.#state
  }

  flush(): Promise<void> {
    return this.#tasks.flush()
  }

  #apply(input: FaxInput): void {
    const now = this.#d.clock.now()
    const d = decide(this.#state, input, now)
    this.#state = d.state
    for (const e of d.events) this.#record(e, now)
    for (const e of d.effects) {
      switch (e.kind) {
        case 'dial': this.#outbound.dial(e.job, e.attempt); break
        case 'wake-at': this.#wakeAt(e.at, now); break
        default: assertNever(e)
      }
    }
  }

  #wakeAt(at: number, now: number): void {
    this.#timer?.cancel()
    this.#timer = this.#d.clock.setTimer(at - now, () => {
      this.#timer = undefined
      this.#apply({ kind: 'tick' })
    })
  }

  #record(e: FaxEvent, now: number): void {
    const { store, log } = this.#d
    const write = (what: string, fn: () => Promise<unknown>): void => this.#tasks.write(what, fn)
    switch (e.kind) {
      case 'job-queued': case 'attempt-started': break
      case 'job-held': write('hold fax job', () => store.updateJob(e.job, { status: 'held', nextAttemptAt: e.until, updatedAt: now })); break
      case 'retry-scheduled': write('schedule retry', () => store.updateJob(e.job, { status: 'retrying', nextAttemptAt: e.at, updatedAt: now })); break
      case 'job-sent':
        this.#outbound.forget(e.job)
        write('fax job sent', () => store.updateJob(e.job, { status: 'sent', finishedAt: now, updatedAt: now, finalReason: `sent ${e.pages} page(s)` }))
        break
      case 'job-failed':
        this.#outbound.forget(e.job)
        log.warn({ job: e.job, attempts: e.attempts, last: e.last }, 'fax job failed')
        write('fax job failed', () => store.updateJob(e.job, { status: 'failed', finishedAt: now, updatedAt: now, finalReason: describeOutcome(e.last) }))
        break
      case 'inbound-took-channel':
        if (e.overCap) log.info({ leg: e.leg }, 'inbound fax answered with every fax channel busy; outbound waits')
        break
      default: assertNever(e)
    }
    this.#d.onEvent?.(e)
  }
}

export function describeOutcome(o: AttemptOutcome): string {
  switch (o.kind) {
    case 'sent': return `sent ${o.pages} page(s)`
    case 'busy': return `busy (${o.cause})`
    case 'no-answer': return `no answer (${o.cause})`
    case 'dial-failed': return `call failed (${o.cause})`
    case 'number-rejected': return `number rejected (${o.cause})`
    case 'fax-failed': return `fax failed: ${o.code === undefined ? '' : `code ${o.code} `}${o.text}`
    default: return assertNever(o)
  }
}

/**
 * Sending faxes: a submitted document becomes a fax TIFF and a queued job; each `dial` effect
 * takes a trunk with room (or holds the queue when all are full), originates with txfax, and
 * feeds the attempt's end back to the scheduler.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TrunkChoice } from '../trunks/index.ts'
import { err, failure, ok, type Clock, type Failure, type Result, type TimerHandle } from '../shared/index.ts'
import { outcomeOfDialFailure, outcomeOfSend, type AttemptOutcome, type FaxInput, type FaxResult } from './core/index.ts'
import type { FaxConfig } from './fax-config.ts'
import { documentKind, type ConversionErrorCode, type FaxConversion } from './fax-conversion.ts'
import { outboundDir } from './fax-files.ts'
import type { FaxPort } from './fax-port.ts'
import type { AttemptEnding, FaxJob, FaxStore } from './fax-store.ts'
import type { FaxTasks } from './fax-tasks.ts'

export interface FaxTrunks {
  /** `chooseTrunk(state, 'fax')` from src/trunks. */
  choose(): TrunkChoice
  /** Tells trunk accounting the seat is taken before CHANNEL_CREATE arrives (see trunks ChannelFact). */
  seatTaken?(leg: string, trunk: string): void
}

export interface OutboundDeps {
  readonly config: FaxConfig
  readonly fax: FaxPort
  readonly store: FaxStore
  readonly conversion: FaxConversion
  readonly trunks: FaxTrunks
  readonly clock: Clock
  readonly newId: () => string
  readonly tasks: FaxTasks
  readonly schedule: (input: FaxInput) => void
}

export type SubmitErrorCode = ConversionErrorCode | 'fax-destination-invalid'
export type SubmitError = Failure<SubmitErrorCode>

export interface Submission {
  readonly document: Buffer
  readonly destination: string
  readonly submittedBy?: string
}

interface InFlight {
  readonly job: string
  readonly attempt: number
  readonly deadline: TimerHandle
  ended: boolean
}

/** Digits, an optional leading +, as the trunk takes them. */
const DESTINATION = /^\+?\d{3,20}$/

export class OutboundFax {
  readonly #d: OutboundDeps
  /** Jobs the scheduler knows, for the dial effect: destination and file. */
  readonly #jobs = new Map<string, Pick<FaxJob, 'destination' | 'tiffPath'>>()
  /** Answered or ringing attempts by leg, for spandsp::txfaxresult. */
  readonly #legs = new Map<string, InFlight>()

  constructor(deps: OutboundDeps) {
    this.#d = deps
  }

  async submit(s: Submission): Promise<Result<FaxJob, SubmitError>> {
    const destination = s.destination.replace(/[\s\-()]/g, '')
    if (!DESTINATION.test(destination)) return err(failure('fax-destination-invalid', 'the destination must be 3 to 20 digits, optionally starting with +'))
    const kind = documentKind(s.document)
    if (!kind.ok) return kind
    const { config, clock, conversion, tasks, store } = this.#d
    const id = this.#d.newId()
    const dir = outboundDir(config.faxDir, id)
    await mkdir(dir, { recursive: true })
    const tiffPath = join(dir, 'fax.tif')
    const converted = await conversion.toFaxTiff(s.document, tiffPath)
    if (!converted.ok) {
      await rm(dir, { recursive: true, force: true })
      return converted
    }
    await writeFile(join(dir, kind.value === 'pdf' ? 'source.pdf' : 'source.tif'), s.document)
    const now = clock.now()
    const job: FaxJob = {
      id, destination, status: 'queued', createdAt: now, updatedAt: now, sourceKind: kind.value, tiffPath, pages: converted.value.pages, attempts: 0,
      ...(s.submittedBy === undefined ? {} : { submittedBy: s.submittedBy }),
    }
    tasks.write('insert fax job', () => store.insertJob(job))
    this.resume(job)
    return ok(job)
  }

  /** Hands a stored job to the scheduler (after submit, or after a restart). */
  resume(job: FaxJob): void {
    this.#jobs.set(job.id, { destination: job.destination, tiffPath: job.tiffPath })
    const notBefore = job.nextAttemptAt
    this.#d.schedule({ kind: 'job-submitted', job: job.id, attemptsMade: job.attempts, ...(notBefore === undefined ? {} : { notBefore }) })
  }

  /** The scheduler's `dial` effect. */
  dial(job: string, attempt: number): void {
    const j = this.#jobs.get(job)
    if (!j) return
    const choice = this.#d.trunks.choose()
    if (choice.kind === 'hold') return this.#d.schedule({ kind: 'dial-held', job })
    const { config, clock, tasks, store, fax } = this.#d
    const leg = this.#d.newId()
    this.#d.trunks.seatTaken?.(leg, choice.trunk)
    const now = clock.now()
    tasks.write('start fax attempt', async () => {
      await store.updateJob(job, { status: 'sending', attempts: attempt, updatedAt: now })
      await store.startAttempt({ jobId: job, attempt, trunk: choice.trunk, leg, startedAt: now })
    })
    // Registered before dialling: the attempt can end by a result event or by its deadline.
    const flight: InFlight = { job, attempt, ended: false, deadline: clock.setTimer(config.attemptTimeoutMs, () => {
      this.#end(leg, { kind: 'fax-failed', code: undefined, text: 'no fax result from FreeSWITCH in time', pages: 0 })
    }) }
    this.#legs.set(leg, flight)
    // Answered: txfax runs and its end is the spandsp::txfaxresult (onResult) or the deadline.
    tasks.detach(`send fax ${job}`, fax.send(`sofia/gateway/${choice.trunk}/${j.destination}`, this.#vars(job, leg, choice.trunk), j.tiffPath).then((r) => {
      if (!r.ok) this.#end(leg, r.error.code === 'originate-failed' ? outcomeOfDialFailure(r.error.cause ?? '') : { kind: 'dial-failed', cause: r.error.code })
    }))
  }

  /** spandsp::txfaxresult for one of our legs. */
  onResult(r: FaxResult): void {
    this.#end(r.leg, outcomeOfSend(r), r)
  }

  #vars(job: string, leg: string, trunk: string): Record<string, string> {
    const c = this.#d.config
    const v: Record<string, string> = {
      origination_uuid: leg, hotline_fax_job: job, hotline_trunk: trunk, originate_timeout: String(c.ringSeconds),
      fax_enable_t38: String(c.t38Outbound), ignore_early_media: 'true',
    }
    if (c.callerIdNumber) v['origination_caller_id_number'] = c.callerIdNumber
    if (c.stationId) v['fax_ident'] = c.stationId
    if (c.pageHeader) v['fax_header'] = c.pageHeader
    return v
  }

  #end(leg: string, outcome: AttemptOutcome, r?: FaxResult): void {
    const f = this.#legs.get(leg)
    if (!f || f.ended) return
    f.ended = true
    f.deadline.cancel()
    this.#legs.delete(leg)
    const ending = attemptEnding(this.#d.clock.now(), outcome, r)
    this.#d.tasks.write('finish fax attempt', () => this.#d.store.finishAttempt(f.job, f.attempt, ending))
    this.#d.schedule({ kind: 'attempt-finished', job: f.job, outcome })
  }

  /** The job is finished (sent or failed): it no longer needs dialling data. */
  forget(job: string): void {
    this.#jobs.delete(job)
  }
}

function attemptEnding(at: number, o: AttemptOutcome, r: FaxResult | undefined): AttemptEnding {
  const base = { endedAt: at, outcome: o.kind }
  const fromResult = r ? { resultCode: r.code, resultText: r.text, pages: r.pages, transferRate: r.transferRate } : {}
  switch (o.kind) {
    case 'sent': return clean({ ...base, ...fromResult, pages: o.pages })
    case 'fax-failed': return clean({ ...base, ...fromResult, resultCode: o.code, resultText: o.text, pages: o.pages })
    case 'busy': case 'no-answer': case 'dial-failed': case 'number-rejected': return clean({ ...base, cause: o.cause })
  }
}

/** Drops undefined fields (exactOptionalPropertyTypes: absent, not undefined). */
const clean = (o: Record<string, unknown>): AttemptEnding => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

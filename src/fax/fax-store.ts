/** What the fax service keeps, and the port the store implements (knex-fax-store.ts). */
import type { Instant } from '../shared/index.ts'
import type { AttemptOutcome } from './core/index.ts'

export type ReceivedStatus = 'receiving' | 'received' | 'failed'

export interface ReceivedFax {
  readonly id: string
  readonly callId?: string
  readonly leg: string
  readonly callerNumber: string
  readonly callerName?: string
  readonly did: string
  readonly status: ReceivedStatus
  readonly startedAt: Instant
  readonly endedAt?: Instant
  readonly pages?: number
  readonly totalPages?: number
  readonly resultCode?: number
  readonly resultText?: string
  readonly transferRate?: number
  readonly ecm?: boolean
  readonly t38Status?: string
  readonly badRows?: number
  readonly remoteStationId?: string
  /** Absent when FreeSWITCH wrote no file (a fax that failed before its first page). */
  readonly tiffPath?: string
  readonly pdfPath?: string
  /** Why no PDF could be made from a TIFF that exists. */
  readonly pdfError?: string
}

export type ReceivedEnding = Omit<ReceivedFax, 'id' | 'callId' | 'leg' | 'callerNumber' | 'callerName' | 'did' | 'startedAt'>

export type JobStatus = 'queued' | 'sending' | 'held' | 'retrying' | 'sent' | 'failed'

export interface FaxJob {
  readonly id: string
  readonly destination: string
  readonly submittedBy?: string
  readonly status: JobStatus
  readonly createdAt: Instant
  readonly updatedAt: Instant
  readonly sourceKind: 'pdf' | 'tiff'
  readonly tiffPath: string
  readonly pages: number
  readonly attempts: number
  readonly nextAttemptAt?: Instant
  readonly finishedAt?: Instant
  readonly finalReason?: string
}

export type JobPatch = Partial<Pick<FaxJob, 'status' | 'updatedAt' | 'attempts' | 'nextAttemptAt' | 'finishedAt' | 'finalReason'>>

export interface FaxAttempt {
  readonly jobId: string
  readonly attempt: number
  readonly trunk?: string
  readonly leg?: string
  readonly startedAt: Instant
  readonly endedAt?: Instant
  readonly outcome?: AttemptOutcome['kind']
  readonly cause?: string
  readonly resultCode?: number
  readonly resultText?: string
  readonly pages?: number
  readonly transferRate?: number
}

export type AttemptEnding = Omit<FaxAttempt, 'jobId' | 'attempt' | 'startedAt' | 'trunk' | 'leg'>

export interface FaxListQuery {
  readonly from?: Instant | undefined
  readonly to?: Instant | undefined
  readonly limit?: number | undefined
}

export interface FaxStore {
  insertReceived(f: ReceivedFax): Promise<void>
  finishReceived(id: string, e: ReceivedEnding): Promise<void>
  /** Marks faxes left `receiving` by a previous run as failed; returns how many. */
  failUnfinishedReceived(at: Instant, text: string): Promise<number>
  getReceived(id: string): Promise<ReceivedFax | undefined>
  listReceived(q: FaxListQuery): Promise<ReceivedFax[]>
  insertJob(j: FaxJob): Promise<void>
  updateJob(id: string, p: JobPatch): Promise<void>
  getJob(id: string): Promise<FaxJob | undefined>
  listJobs(q: FaxListQuery): Promise<FaxJob[]>
  /** Jobs not yet sent or failed, oldest first (to resume after a restart). */
  openJobs(): Promise<FaxJob[]>
  startAttempt(a: FaxAttempt): Promise<void>
  finishAttempt(jobId: string, attempt: number, e: AttemptEnding): Promise<void>
  attempts(jobId: string): Promise<FaxAttempt[]>
}

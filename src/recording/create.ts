/** Builds the recording module from config: the one place it `new`s its adapters. */
import type { Knex } from 'knex'
import { Bus, type Clock } from '../shared/index.ts'
import type { CallContext } from './core/index.ts'
import type { RecordingEvent, RecordingLog } from './events.ts'
import { KnexQualityStore } from './knex-quality-store.ts'
import { KnexRecordingStore } from './knex-recording-store.ts'
import { policyOf, retentionOf, type RecordingConfig } from './recording-config.ts'
import { diskRecordingFiles, type RecordingFiles } from './recording-files.ts'
import type { RecordingRouteDeps } from './recording-routes.ts'
import { RecordingService } from './recording-service.ts'
import { EslRecorder, type EslApi, type RecorderPort } from './recorder-port.ts'
import { RetentionSweeper } from './retention-sweeper.ts'

export interface RecordingModuleDeps {
  readonly db: Knex
  /** The ESL client's api(cmd) (uuid_record / uuid_setvar go through it). */
  readonly api: EslApi
  readonly clock: Clock
  readonly log: RecordingLog
  readonly config: RecordingConfig
  readonly contextOf: (callId: string, agentLeg: string) => CallContext | Promise<CallContext>
  readonly recorder?: RecorderPort
  readonly files?: RecordingFiles
}

export interface RecordingModule {
  readonly service: RecordingService
  readonly sweeper: RetentionSweeper
  readonly events: Bus<RecordingEvent>
  readonly routeDeps: RecordingRouteDeps
}

export function createRecordingService(d: RecordingModuleDeps): RecordingModule {
  const store = new KnexRecordingStore(d.db)
  const quality = new KnexQualityStore(d.db)
  const files = d.files ?? diskRecordingFiles
  const events = new Bus<RecordingEvent>((error) => d.log.error({ error }, 'recording: an event subscriber failed'))
  const service = new RecordingService({
    store, files, events, clock: d.clock, log: d.log, contextOf: d.contextOf, recorder: d.recorder ?? new EslRecorder(d.api),
    policy: policyOf(d.config), retention: retentionOf(d.config), stopGraceMs: d.config.stopGraceSeconds * 1000,
  })
  const sweeper = new RetentionSweeper({ store, files, clock: d.clock, log: d.log, events }, {
    root: d.config.root, intervalMs: d.config.sweepEveryMinutes * 60_000, freeSpaceAlarmBytes: d.config.freeSpaceAlarmMb * 1024 * 1024,
  })
  return { service, sweeper, events, routeDeps: { store, quality, service, sweeper, clock: d.clock, log: d.log } }
}

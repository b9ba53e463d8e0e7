export type { Cdr, CdrClosing, CdrOpening, CdrOutcome, CdrPatch, CdrStore } from './cdr.ts'
export { outcomeOf } from './cdr.ts'
export { KnexCdrStore } from './knex-cdr-store.ts'
export { CdrRecorder, type CdrLog } from './cdr-recorder.ts'

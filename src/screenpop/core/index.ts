export * from './pop.ts'
export * from './board.ts'
export * from './backoff.ts'

export * from './model.ts'
export { track } from './track.ts'
export * from './reconcile.ts'
export * from './audit.ts'

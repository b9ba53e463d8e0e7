export * from './eavesdrop.ts'
export * from './wallboard.ts'

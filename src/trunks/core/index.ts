export * from './plan.ts'
export * from './accounting.ts'

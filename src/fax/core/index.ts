export * from './model.ts'
export { decide, isRetryable, backoffAfter } from './decide.ts'
export { parseFaxResult, outcomeOfSend, outcomeOfDialFailure, type FaxResult, type FaxDirection } from './fax-result.ts'

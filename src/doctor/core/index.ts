export * from './verdict.ts'
export * from './replies.ts'
export * from './judge.ts'
export * from './report.ts'

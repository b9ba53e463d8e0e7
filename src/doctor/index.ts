export * from './core/index.ts'
export * from './xml-wellformed.ts'
export * from './run.ts'
export * from './kit-sounds.ts'

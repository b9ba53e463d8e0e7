export { default } from '../src/recording/retention-sweep.bench.ts'

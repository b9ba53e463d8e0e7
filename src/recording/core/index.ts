/** Recording's pure core: policy, segments, pauses, event parsing, ranges, scoring. No I/O. */
export * from './policy.ts'
export * from './segments.ts'
export * from './pauses.ts'
export * from './record-event.ts'
export * from './byte-range.ts'
export * from './scoring.ts'

// Reads a tap run's output and prints the one closing line CI looks for: "N passed, N failed".
// It counts test points (ok / not ok lines) at every depth, so a subtest's failure is counted
// even when its parent is reported as a single point.
import { readFileSync } from 'node:fs'

const text = readFileSync(process.argv[2] ?? 0, 'utf8')
let passed = 0
let failed = 0
let skipped = 0
for (const line of text.split('\n')) {
  const m = /^\s*(not ok|ok) \d+ /.exec(line)
  if (!m) continue
  // A subtest parent line (ok N - file.ts) repeats its children's verdict: count only leaves,
  // which tap marks as points with no indented "1..N" plan after them. Parents end with "# time=".
  if (/ # time=/.test(line) && !/ # (SKIP|TODO)/i.test(line)) continue
  if (/ # (SKIP|TODO)/i.test(line)) skipped++
  else if (m[1] === 'ok') passed++
  else failed++
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''))

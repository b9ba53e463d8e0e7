// Reads a tap run's output and prints the one closing line CI looks for: "N passed, N failed".
// tap ends a run with a summary comment `# { total: N, pass: P, fail: F, skip: S }`; when a run
// died before printing it, the test points (ok / not ok lines) are counted instead.
import { readFileSync } from 'node:fs'

const text = readFileSync(process.argv[2] ?? 0, 'utf8')
// Several runs (the main suite, the PostgreSQL tier) may share one log: their summaries add up.
const summaries = [...text.matchAll(/^# \{ (total: \d+[^}]*) \}$/gm)].map((m) => m[1])
let passed = 0
let failed = 0
let skipped = 0
if (summaries.length > 0) {
  for (const s of summaries) {
    const field = (name) => Number(new RegExp(`${name}: (\\d+)`).exec(s)?.[1] ?? 0)
    passed += field('pass')
    failed += field('fail')
    skipped += field('skip') + field('todo')
  }
} else {
  for (const line of text.split('\n')) {
    const m = /^\s*(not ok|ok) \d+/.exec(line)
    if (!m) continue
    if (/ # (SKIP|TODO)/i.test(line)) skipped++
    else if (m[1] === 'ok') passed++
    else failed++
  }
  // A run that never reached tap (typecheck or lint failed) still must not look green.
  if (passed + failed === 0) failed = 1
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''))

/**
 * `npm run bench`: every figure next to its baseline measured in the same run, as a ratio.
 * Each bench/*.bench.ts default-exports an async function returning its printed lines, in the form
 *   name: <figure> <unit> (<baseline name> <figure> <unit>, ratio <r>)
 * Run one with `npm run bench -- esl`.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<string[]> }
  for (const line of await mod.default()) console.log(line)
}

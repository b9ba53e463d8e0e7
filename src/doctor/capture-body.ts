// Test support: reads one api/response body out of a byte-exact capture in test/fixtures/esl-captures, located by
// the byte offset that the capture's .cmds.txt index gives (`RECV @<offset>`).
import { readFileSync } from 'node:fs'

const repoRoot = new URL('../../', import.meta.url)
const captures = new URL('test/fixtures/esl-captures/', repoRoot)

export function captureBody(file: string, offset: number): string {
  const bytes = readFileSync(new URL(file, captures))
  const headerEnd = bytes.indexOf('\n\n', offset)
  const headers = bytes.subarray(offset, headerEnd).toString('latin1')
  const length = /Content-Length: (\d+)/.exec(headers)
  if (!length) throw new Error(`no Content-Length at ${file}@${offset}`)
  const start = headerEnd + 2
  return bytes.subarray(start, start + Number(length[1])).toString('utf8')
}

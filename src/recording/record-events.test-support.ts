/**
 * RECORD_START / RECORD_STOP events exactly as FreeSWITCH sent them in capture 14, read through
 * the capture's RECV index. Test support only.
 */
import { readFileSync } from 'node:fs'

const dir = new URL('../../test/fixtures/esl-captures/', import.meta.url)

export function capturedRecordEvents(): Array<Record<string, string>> {
  const bytes = readFileSync(new URL('14-record-bridged.esl', dir))
  const index = readFileSync(new URL('14-record-bridged.cmds.txt', dir), 'utf8')
  const out: Array<Record<string, string>> = []
  for (const m of index.matchAll(/RECV @(\d+) len=(\d+) text\/event-json (RECORD_START|RECORD_STOP)/g)) {
    const frame = bytes.subarray(Number(m[1]), Number(m[1]) + Number(m[2])).toString('utf8')
    out.push(JSON.parse(frame.slice(frame.indexOf('\n\n') + 2)) as Record<string, string>)
  }
  return out
}

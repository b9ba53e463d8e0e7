/**
 * The spandsp result events of the real capture 19-fax-parked (fact 22), read with the ESL
 * parser, so fax tests use FreeSWITCH's own header names and values. Test support only.
 */
import { readFileSync } from 'node:fs'
import { parseAll } from '../esl/index.ts'

/** src/fax → repo → test/fixtures/esl-captures, the captures kept in the repository. */
const capture = new URL('../../test/fixtures/esl-captures/19-fax-parked.esl', import.meta.url)

export interface CapturedFaxResults {
  /** 8a: 2 of 2 pages received, code 0, 14400 bps, ECM. */
  readonly rxOk: Readonly<Record<string, string>>
  /** 8a: the matching txfax result. */
  readonly txOk: Readonly<Record<string, string>>
  /** 8c: the sender hung up mid-fax: code 49, 0 pages, no remote station id. */
  readonly rxDropped: Readonly<Record<string, string>>
  readonly txDropped: Readonly<Record<string, string>>
}

export function capturedFaxResults(): CapturedFaxResults {
  const results = parseAll(readFileSync(capture)).flatMap((m) => (m.kind === 'event' && m.event.subclass?.startsWith('spandsp::') ? [m.event.headers] : []))
  const rx = results.filter((h) => h['Event-Subclass'] === 'spandsp::rxfaxresult')
  const tx = results.filter((h) => h['Event-Subclass'] === 'spandsp::txfaxresult')
  const [rxOk, , rxDropped] = rx
  const [txOk, , txDropped] = tx
  if (!rxOk || !rxDropped || !txOk || !txDropped) throw new Error('19-fax-parked.esl: expected three rx and three tx fax results')
  return { rxOk, txOk, rxDropped, txDropped }
}

/** The same headers re-addressed to another leg, as the switch would send them for it. */
export const forLeg = (h: Readonly<Record<string, string>>, leg: string): Record<string, string> => ({ ...h, 'Unique-ID': leg })

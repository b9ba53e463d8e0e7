/** A fax service on a temp SQLite store, a FakeClock, a FakeFaxPort and a fake converter. Test support only. */
import type { Test } from 'tap'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Call } from '../calls/index.ts'
import { callId, channelUuid, FakeClock, minutes, ok, seconds } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import type { TrunkChoice } from '../trunks/index.ts'
import { createFaxService, defaultFaxConfig, FakeFaxPort, KnexFaxStore, type FaxConfig, type FaxConversion } from './index.ts'

/** Stands in for Ghostscript/tiff2pdf: writes placeholder files so paths can be checked. */
export const fakeConversion: FaxConversion = {
  toFaxTiff: (_doc, out) => { writeFileSync(out, 'II*\0fax'); return Promise.resolve(ok({ pages: 2 })) },
  toPdf: (tiff, out) => { writeFileSync(out, `%PDF-1.4 from ${tiff}`); return Promise.resolve(ok(undefined)) },
  describeTiff: () => Promise.resolve(ok({ pages: 2, width: 1728, xDpi: 204, yDpi: 196, compression: 'CCITT Group 4' })),
}

export async function faxHarness(t: Test, over: Partial<FaxConfig> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fax-svc-'))
  const db = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  await migrateLatest(db)
  const store = new KnexFaxStore(db)
  const clock = new FakeClock()
  const port = new FakeFaxPort()
  const hungUp: string[] = []
  const varsSet: Array<Readonly<Record<string, string>>> = []
  const calls = {
    answer: () => Promise.resolve(ok(undefined)),
    setVars: (_leg: string, v: Readonly<Record<string, string>>) => { varsSet.push(v); return Promise.resolve(ok(undefined)) },
    hangup: (leg: string) => { hungUp.push(leg); return Promise.resolve(ok(undefined)) },
  }
  const trunk: { choice: TrunkChoice } = { choice: { kind: 'use-trunk', trunk: 'e1-span-1' } }
  const seats: string[] = []
  let n = 0
  const logs: Array<{ obj: object; msg: string }> = []
  const log = { info: (obj: object, msg: string) => logs.push({ obj, msg }), warn: (obj: object, msg: string) => logs.push({ obj, msg }), error: (obj: object, msg: string) => logs.push({ obj, msg }) }
  const config = defaultFaxConfig(join(dir, 'fax'), {
    policy: { channels: 1, maxAttempts: 3, backoffMs: [minutes(1), minutes(5), minutes(15)], trunkHoldMs: seconds(30) },
    callerIdNumber: '02596200', stationId: 'HOTLINE 96200', ...over,
  })
  const service = createFaxService({
    config, calls, fax: port, store, conversion: fakeConversion, clock, log, newId: () => `id-${++n}`,
    trunks: { choose: () => trunk.choice, seatTaken: (leg) => seats.push(leg) },
  })
  // Work a test leaves behind (a filing after its last assertion) ends before the store closes.
  t.teardown(async () => {
    service.stop()
    await service.flush()
    await closeStore(db)
  })
  /** Lets promise callbacks and file I/O run until `cond` holds (yields to the event loop; no fake time passes). */
  const until = async (cond: () => boolean): Promise<void> => {
    const giveUp = Date.now() + 5_000
    while (!cond() && Date.now() < giveUp) await new Promise((r) => setImmediate(r))
    if (!cond()) throw new Error('condition never became true')
  }
  return { service, store, clock, port, hungUp, varsSet, trunk, seats, logs, config, until, exists: existsSync }
}

export const faxCall = (leg: string, over: Partial<Call> = {}): Call => ({
  id: callId(`call-${leg}`), customerLeg: channelUuid(leg), entry: 'fax', did: '96300', region: undefined,
  caller: { number: '13800000061', name: 'Caller0061' }, arrivedAt: 0, answeredAt: undefined, agentLeg: undefined, ended: undefined, vars: { hotline_entry: 'fax', hotline_fax: 'true' }, ...over,
})

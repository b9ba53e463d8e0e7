/**
 * Receiving a fax on a parked call: take a fax channel, answer, rxfax into the dated file, then
 * record what spandsp reported. Every fax that reached us leaves a row, failed ones included.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Call, CallControl } from '../calls/index.ts'
import type { Clock, TimerHandle } from '../shared/index.ts'
import type { FaxInput, FaxResult } from './core/index.ts'
import type { FaxConfig } from './fax-config.ts'
import type { FaxConversion } from './fax-conversion.ts'
import { inboundTiffPath, pdfPathFor } from './fax-files.ts'
import type { FaxPort } from './fax-port.ts'
import type { FaxStore, ReceivedEnding } from './fax-store.ts'
import type { FaxTasks } from './fax-tasks.ts'

export interface InboundDeps {
  readonly config: FaxConfig
  readonly calls: Pick<CallControl, 'answer' | 'setVars' | 'hangup'>
  readonly fax: FaxPort
  readonly store: FaxStore
  readonly conversion: FaxConversion
  readonly clock: Clock
  readonly newId: () => string
  readonly tasks: FaxTasks
  readonly schedule: (input: FaxInput) => void
}

interface Receiving {
  readonly id: string
  readonly leg: Call['customerLeg']
  readonly tiff: string
  result: FaxResult | undefined
  /** rxfax completed (or could not run): why, when it failed. */
  done: { readonly problem: string | undefined } | undefined
  grace: TimerHandle | undefined
}

/** Is this arriving call a fax? The dialplan flags fax DIDs (hotline_fax=true, entry `fax`); configured DIDs count too. */
export function isFaxCall(call: Call, config: Pick<FaxConfig, 'faxDids'>): boolean {
  return call.vars['hotline_fax'] === 'true' || call.entry === 'fax' || config.faxDids.includes(call.did)
}

export class InboundFax {
  readonly #d: InboundDeps
  readonly #receiving = new Map<string, Receiving>()

  constructor(deps: InboundDeps) {
    this.#d = deps
  }

  start(call: Call): void {
    const { clock, newId, config } = this.#d
    const now = clock.now()
    const id = newId()
    const rx: Receiving = { id, leg: call.customerLeg, tiff: inboundTiffPath(config.faxDir, id, now), result: undefined, done: undefined, grace: undefined }
    this.#receiving.set(call.customerLeg, rx)
    this.#d.tasks.write('insert received fax', () => this.#d.store.insertReceived({
      id, callId: call.id, leg: call.customerLeg, callerNumber: call.caller.number, ...(call.caller.name ? { callerName: call.caller.name } : {}), did: call.did, status: 'receiving', startedAt: now,
    }))
    this.#d.schedule({ kind: 'inbound-started', leg: call.customerLeg })
    this.#d.tasks.run(`receive fax on ${call.customerLeg}`, () => this.#receive(rx, call.did))
  }

  /** spandsp::rxfaxresult for one of our legs. It normally comes ~20 ms before rxfax completes (fact 22). */
  onResult(r: FaxResult): void {
    const rx = this.#receiving.get(r.leg)
    if (!rx || rx.result) return
    rx.result = r
    if (rx.done) this.#finish(rx)
  }

  async #receive(rx: Receiving, did: string): Promise<void> {
    const { calls, fax, config } = this.#d
    // The dialplan sets fax_enable_t38=true on the fax DID; a DID whose trunk mangles T.38 is turned back to G.711.
    const t38 = !config.noT38Dids.includes(did)
    const vars: Record<string, string> = { fax_enable_t38: String(t38) }
    if (config.stationId) vars['fax_ident'] = config.stationId
    const set = await calls.setVars(rx.leg, vars)
    const answered = set.ok ? await calls.answer(rx.leg) : set
    if (!answered.ok) return this.#completed(rx, `not answered: ${answered.error.message}`)
    await mkdir(dirname(rx.tiff), { recursive: true })
    this.#d.tasks.detach(`rxfax on ${rx.leg}`, fax.receive(rx.leg, rx.tiff).then((r) => {
      this.#completed(rx, r.ok ? undefined : `rxfax did not run to the end: ${r.error.message}`)
    }))
  }

  #completed(rx: Receiving, problem: string | undefined): void {
    rx.done = { problem }
    if (rx.result) return this.#finish(rx)
    // No result yet: give a late event a moment, then record the fax as failed without one.
    rx.grace = this.#d.clock.setTimer(this.#d.config.resultGraceMs, () => this.#finish(rx))
  }

  #finish(rx: Receiving): void {
    if (this.#receiving.get(rx.leg) !== rx) return
    this.#receiving.delete(rx.leg)
    rx.grace?.cancel()
    this.#d.tasks.run(`file received fax ${rx.id}`, () => this.#file(rx))
  }

  async #file(rx: Receiving): Promise<void> {
    const { store, conversion, calls, clock, tasks } = this.#d
    const r = rx.result
    // code 49 (sender hung up) leaves no file at all: then there is nothing to convert (fact 22).
    const hasFile = existsSync(rx.tiff)
    let pdf: { pdfPath?: string; pdfError?: string } = {}
    if (hasFile) {
      const made = await conversion.toPdf(rx.tiff, pdfPathFor(rx.tiff))
      pdf = made.ok ? { pdfPath: pdfPathFor(rx.tiff) } : { pdfError: made.error.message }
    }
    const ending: ReceivedEnding = {
      status: r?.success && hasFile ? 'received' : 'failed',
      endedAt: clock.now(),
      ...(hasFile ? { tiffPath: rx.tiff } : {}),
      ...pdf,
      ...(r ? resultFields(r) : { resultText: rx.done?.problem ?? 'FreeSWITCH reported no fax result' }),
    }
    tasks.write('finish received fax', () => store.finishReceived(rx.id, ending))
    this.#d.schedule({ kind: 'inbound-finished', leg: rx.leg })
    // After rxfax the leg stays parked (fact 22): hang it up; a leg already gone is fine.
    await calls.hangup(rx.leg, 'NORMAL_CLEARING')
  }
}

function resultFields(r: FaxResult): Partial<ReceivedEnding> {
  const f: Record<string, unknown> = {
    pages: r.pages, totalPages: r.totalPages, resultCode: r.code, resultText: r.text, transferRate: r.transferRate,
    ecm: r.ecm, t38Status: r.t38, badRows: r.badRows, remoteStationId: r.remoteStationId,
  }
  for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k]
  return f
}

/**
 * Closes the CDRs of calls that ended while Hotline was not watching (killed, stopped, or cut off
 * from the switch): run after every reconcile with the calls still up. Each is closed with the
 * switch's own end time and cause from mod_xml_cdr's file when there is one (switch-cdr.ts), else
 * at the last moment Hotline saw it; its outcome follows from what the call had reached (a call
 * that never queued is self-service, one that queued and was not answered abandoned).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CdrStore } from './cdr.ts'
import { closingOf, parseSwitchCdr, switchCdrFiles, type SwitchCdr } from './switch-cdr.ts'

export interface CdrSweepLog {
  info(o: object, msg: string): void
  warn(o: object, msg: string): void
}

export class SwitchCdrFiles {
  readonly #dir: string | undefined
  readonly #log: CdrSweepLog
  #warned = false
  constructor(dir: string | undefined, log: CdrSweepLog) {
    this.#dir = dir
    this.#log = log
  }

  /** The switch's record of the call's customer leg, if mod_xml_cdr wrote one. */
  async lookup(callId: string): Promise<SwitchCdr | undefined> {
    if (!this.#dir || !/^[A-Za-z0-9_.:-]{1,128}$/.test(callId)) return undefined
    for (const name of switchCdrFiles(callId)) {
      let text: string
      try {
        text = await readFile(join(this.#dir, name), 'utf8')
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code !== 'ENOENT' && !this.#warned) {
          this.#warned = true
          this.#log.warn({ dir: this.#dir, code }, 'cdr: cannot read the switch\'s CDR files (paths.switchCdr); calls that end while Hotline is away close at the time last seen')
        }
        continue
      }
      const parsed = parseSwitchCdr(text)
      if (parsed.ok) return parsed.value
      this.#log.warn({ file: name, reason: parsed.reason }, 'cdr: a switch CDR file Hotline cannot read')
    }
    return undefined
  }
}

export async function sweepUnclosed(store: Pick<CdrStore, 'unclosed' | 'close'>, live: ReadonlySet<string>, files: Pick<SwitchCdrFiles, 'lookup'>, log: CdrSweepLog): Promise<{ readonly closed: number; readonly fromSwitch: number }> {
  let closed = 0
  let fromSwitch = 0
  for (const row of await store.unclosed()) {
    if (live.has(row.callId)) continue
    const c = closingOf(row, await files.lookup(row.callId))
    if (await store.close(row.callId, { endedAt: c.endedAt, hangupCause: c.hangupCause })) {
      closed++
      if (c.from === 'switch') fromSwitch++
      log.info({ call: row.callId, endedAt: c.endedAt, cause: c.hangupCause, from: c.from }, 'cdr: closed a call that ended while Hotline was away')
    }
  }
  return { closed, fromSwitch }
}

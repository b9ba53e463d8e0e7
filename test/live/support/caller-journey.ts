/**
 * What a trunk caller hears and does, read off the PBX's monitoring connection: a menu reached
 * (play_and_get_digits with its prompt), a prompt that really played (PLAYBACK_START of a file
 * on disk), the hangup. And the site's records, read the way an engineer would: the sqlite file
 * opened read-only.
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import type { EslEvent } from '../../../src/esl/index.ts'
import { of, type Lab, type TrunkCall } from './lab.ts'

export interface Journey {
  /** The caller's leg on the PBX. */
  readonly leg: string
  /** The next event on the caller's leg (from now) that matches. */
  next(pred: (e: EslEvent) => boolean, what: string, o?: { timeoutMs?: number }): Promise<EslEvent>
  /** The menu whose prompt list holds `prompt` (e.g. 'zh/main-menu.wav') started on the caller's leg. */
  menu(prompt: string, o?: { timeoutMs?: number }): Promise<EslEvent>
  /** A PLAYBACK_START on the caller's leg of a file whose path ends with `file`, and that file exists. */
  played(file: string, o?: { timeoutMs?: number }): Promise<string>
  /** The PBX hung the caller's leg up (either side). */
  readonly ended: Promise<EslEvent>
  /** The caller hangs up at the gateway. */
  hangUp(): Promise<EslEvent>
}

/** Watches one call from `since` (a SwitchWatch mark taken before the call was placed). */
export function journey(lab: Lab, call: TrunkCall, since: number): Journey {
  const w = lab.pbxWatch
  const mine = of(call.leg)
  const ended = w.next((e) => mine(e) && e.name === 'CHANNEL_HANGUP_COMPLETE', `the hangup of ${call.leg}`, { since, timeoutMs: 240_000 })
  ended.catch(() => undefined)
  return {
    leg: call.leg,
    ended,
    next: (pred, what, o = {}) => w.next((e) => mine(e) && pred(e), what, o),
    menu: (prompt, o = {}) => w.next((e) => mine(e) && e.name === 'CHANNEL_EXECUTE' && e.header('Application') === 'play_and_get_digits' && (e.header('Application-Data') ?? '').includes(prompt),
      `the menu ${prompt}`, { since, ...o }),
    async played(file, o = {}) {
      // A list of prompts plays as one file_string://a!b (esl-call-control.ts): its PLAYBACK_START
      // names the whole list, so the file is looked for among the list's parts.
      const part = (e: EslEvent): string | undefined => (e.header('Playback-File-Path') ?? '').replace(/^file_string:\/\//, '').split('!').find((f) => f.endsWith(file))
      const ev = await w.next((e) => mine(e) && e.name === 'PLAYBACK_START' && part(e) !== undefined, `the prompt ${file}`, { since, ...o })
      const path = part(ev) ?? ''
      if (!existsSync(path)) throw new Error(`the switch played ${path}, which does not exist`)
      return path
    },
    async hangUp() {
      await lab.carrierWatch.api(`uuid_kill ${call.far}`)
      return ended
    },
  }
}

export type CdrRow = Readonly<Record<string, unknown>> & { readonly call_id: string; readonly caller_number: string; readonly ended_at: number | null; readonly outcome: string | null; readonly ivr_path: string | null }

/** Every CDR of the site, read-only (a site engineer's sqlite3 -readonly). */
export function siteCdrs(lab: Lab): CdrRow[] {
  const db = new Database(lab.site.db, { readonly: true, fileMustExist: true })
  try {
    return db.prepare('select * from cdr order by arrived_at').all() as CdrRow[]
  } finally {
    db.close()
  }
}

export const pathOf = (row: CdrRow | undefined): string[] => (row?.ivr_path ? (JSON.parse(row.ivr_path) as string[]) : [])

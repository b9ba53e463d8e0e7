/**
 * A monitoring ESL connection of the test's own: what FreeSWITCH really did (a prompt started, a
 * bridge, a recording stopped), read apart from anything Hotline says about itself.
 */
import type { EslClient, EslEvent } from '../../../src/esl/index.ts'
import type { FreeswitchInstance } from './freeswitch-instance.ts'

export const WATCHED = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_PARK', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'PLAYBACK_START', 'PLAYBACK_STOP', 'RECORD_START', 'RECORD_STOP', 'DTMF', 'BACKGROUND_JOB'] as const

export class SwitchWatch {
  readonly events: EslEvent[] = []
  readonly #watchers = new Set<() => void>()
  readonly #seen = new WeakMap<EslEvent, number>()
  private constructor(readonly client: EslClient, readonly name: string) {
    client.onEvent((ev) => {
      this.#seen.set(ev, performance.timeOrigin + performance.now())
      this.events.push(ev)
      for (const w of this.#watchers) w()
    })
  }

  static async on(sw: FreeswitchInstance): Promise<SwitchWatch> {
    return new SwitchWatch(await sw.connect(WATCHED), sw.name)
  }

  /** The first event from `since` (an index into events; default: from now) that matches. */
  next(pred: (e: EslEvent) => boolean, what: string, o: { timeoutMs?: number; since?: number } = {}): Promise<EslEvent> {
    const timeoutMs = o.timeoutMs ?? 20_000
    let from = o.since ?? this.events.length
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (; from < this.events.length; from++) {
          const e = this.events[from]!
          if (pred(e)) {
            this.#watchers.delete(check)
            clearTimeout(timer)
            resolve(e)
            return
          }
        }
      }
      const timer = setTimeout(() => {
        this.#watchers.delete(check)
        const seen = this.events.slice(-12).map(describe).join(', ')
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms (last events: ${seen})`))
      }, timeoutMs)
      this.#watchers.add(check)
      check()
    })
  }

  /**
   * When this connection received `e` (ms, sub-ms resolution, the host's clock). Event-Date-Timestamp
   * is the switch's cached time, which moves in timer ticks (switch_time.c, runtime.timestamp):
   * too coarse for offers measured in milliseconds.
   */
  seenAt(e: EslEvent): number {
    return this.#seen.get(e) ?? Number.NaN
  }

  /** The position to pass as `since` to wait for something that may already be under way. */
  get mark(): number {
    return this.events.length
  }

  async api(cmd: string): Promise<string> {
    const r = await this.client.api(cmd, { timeoutMs: 10_000 })
    if (!r.ok) throw new Error(`${this.name}: ${cmd}: ${r.error.message}`)
    return r.value
  }

  close(): void {
    this.client.close()
  }
}

/** One event in a failure message: which leg (and whose), and why a hangup was. */
function describe(e: EslEvent): string {
  const app = e.header('Application')
  const who = e.header('variable_hotline_agent')
  const cause = e.name === 'CHANNEL_HANGUP_COMPLETE' ? ` ${e.header('Hangup-Cause') ?? ''}/${e.header('variable_hangup_cause_q850') ?? ''} by ${e.header('variable_sip_hangup_disposition') ?? 'the switch'}` : ''
  return `${e.name}${app ? ' ' + app : ''} [${(e.header('Unique-ID') ?? '').slice(0, 8)}${who ? ' ' + who : ''}]${cause}`
}

export const of = (uuid: string) => (e: EslEvent): boolean => e.header('Unique-ID') === uuid

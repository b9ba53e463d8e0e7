/**
 * Hold music for callers waiting in the ACD: at most one music per leg, broken for a prompt and
 * resumed after it.
 *
 * Two FreeSWITCH facts decide the shape (checked on FreeSWITCH 1.11.3 with a local_stream and a
 * WAV, watching PLAYBACK_START/STOP and CHANNEL_EXECUTE_COMPLETE):
 * - the music is `playback local_stream://…` (CallControl.hold): a plain uuid_break ends it with
 *   FILE PLAYED and the app queued behind it (event-lock) starts. `endless_playback` would start
 *   again after the break (mod_dptools.c endless_playback_function loops on SWITCH_STATUS_BREAK),
 *   even after `uuid_break all`, so a prompt queued behind it waits for ever.
 * - apps queue on a channel: a second music sent while one plays starts as soon as the first ends,
 *   and `uuid_bridge` ends the first, so the second plays inside the bridge, over the conversation
 *   and into the recording. Hence the music is never started twice, and `uuid_break <leg> all`
 *   (which drops the queue) runs before a bridge or an exit.
 */
import type { ChannelUuid } from '../shared/index.ts'
import type { CallControl } from '../calls/index.ts'
import type { AcdLog } from './ports.ts'

interface Playing {
  readonly id: number
  /** False for an `endless_playback` left by an older Hotline: no break ends it, only a bridge or a hangup. */
  readonly breakable: boolean
}

/** What `show channels as json` says a channel runs (`application`, `application_data`). */
export interface RunningApp {
  readonly app: string
  readonly data: string
}

export class HoldMusic {
  readonly #playing = new Map<ChannelUuid, Playing>()
  #seq = 0

  constructor(
    readonly control: Pick<CallControl, 'hold' | 'play' | 'breakMedia'>,
    readonly music: string,
    readonly log: AcdLog,
  ) {}

  isPlaying(leg: ChannelUuid): boolean {
    return this.#playing.has(leg)
  }

  /** Starts the music unless it already plays on this leg: resuming is idempotent. */
  resume(leg: ChannelUuid): void {
    if (this.#playing.has(leg)) return
    const id = ++this.#seq
    this.#playing.set(leg, { id, breakable: true })
    void this.control.hold(leg, this.music).then((r) => {
      if (this.#playing.get(leg)?.id === id) this.#playing.delete(leg)
      if (!r.ok && r.error.code !== 'leg-gone') this.log.warn({ leg, error: r.error }, 'acd: hold music failed')
      else if (r.ok && r.value === 'missing-file') this.log.warn({ leg, music: this.music }, 'acd: hold music not found; the caller hears silence')
    })
  }

  /**
   * After a restart: the old process's music may still play on the leg. The `application` of
   * `show channels` is the last app the channel ran — it stays `playback local_stream://moh` after
   * the music was broken — so only the music itself counts as playing; anything else (park, a
   * prompt cut short by the restart) is flushed and the music started.
   */
  async adopt(leg: ChannelUuid, running: RunningApp | undefined): Promise<void> {
    if (this.#playing.has(leg)) return // a reconnect: this process started it
    if (running?.data === this.music && (running.app === 'playback' || running.app === 'endless_playback')) {
      this.#playing.set(leg, { id: ++this.#seq, breakable: running.app === 'playback' })
      return
    }
    await this.control.breakMedia(leg, true)
    this.resume(leg)
  }

  /** The caller can hear a prompt now or after a break (not behind an endless_playback). */
  canPrompt(leg: ChannelUuid): boolean {
    return this.#playing.get(leg)?.breakable ?? true
  }

  /**
   * Plays prompts to a waiting caller: queued behind the music, which a plain break ends, so the
   * prompts start at once; then the music again while `stillWaiting()`.
   */
  async announce(leg: ChannelUuid, files: readonly string[], stillWaiting: () => boolean): Promise<void> {
    if (files.length === 0 || !this.canPrompt(leg)) return
    const music = this.#playing.get(leg)
    const played = this.control.play(leg, files)
    if (music) {
      this.#playing.delete(leg)
      await this.control.breakMedia(leg, false)
    }
    const r = await played
    if (!r.ok) return
    if (r.value === 'missing-file') this.log.warn({ leg, files }, 'acd: announcement not found')
    if (stillWaiting()) this.resume(leg)
  }

  /** Stops whatever the leg plays and drops what is queued (uuid_break all): before a bridge or an exit. */
  async stop(leg: ChannelUuid): Promise<void> {
    this.#playing.delete(leg)
    const r = await this.control.breakMedia(leg, true)
    if (!r.ok && r.error.code !== 'leg-gone') this.log.warn({ leg, error: r.error }, 'acd: could not stop the hold music')
  }

  /** The leg is gone. */
  forget(leg: ChannelUuid): void {
    this.#playing.delete(leg)
  }
}

/**
 * dptools apps run by sendmsg execute (or by the dialplan / originate). An app sent to a parked
 * channel runs inside the original park: no CHANNEL_PARK/UNPARK around it (fact 3). With
 * event-lock, apps queue FIFO; without it a second app nests inside the first and completes
 * first (fact 13).
 */
import { randomUUID } from 'node:crypto'
import type { AppStopReason, Channel, QueuedApp, RunningApp } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import { endlessPlayback, playMedia } from './playback.ts'
import { playAndGetDigits } from './digits.ts'
import { bridgeApp, eavesdropApp, faxApp, recordApp, recordSessionApp } from './apps-more.ts'

/** What an app implementation gets: the switch, its channel and a way to finish. */
export interface AppRun {
  readonly sw: SimSwitch
  readonly ch: Channel
  readonly app: RunningApp
  /** Emit EXECUTE_COMPLETE with this Application-Response (once). */
  complete(response: string, fields?: Record<string, string>): void
}

type AppImpl = (run: AppRun) => void

const APPS: Record<string, AppImpl> = {
  answer: (r) => {
    r.sw.answer(r.ch)
    r.complete('_none_')
  },
  set: (r) => {
    const eq = r.app.arg.indexOf('=')
    if (eq > 0) r.ch.vars.set(r.app.arg.slice(0, eq), r.app.arg.slice(eq + 1))
    r.complete('_none_')
  },
  hangup: (r) => r.sw.hangup(r.ch, r.app.arg.trim() || 'NORMAL_CLEARING'),
  sleep: (r) => {
    r.app.timer = r.sw.after(Number(r.app.arg) || 0, () => r.complete('_none_'))
    r.app.stop = () => { r.app.timer?.cancel(); r.complete('_none_') }
  },
  playback: (r) => playMedia(r, r.app.arg, (how) => r.complete(how)),
  endless_playback: (r) => endlessPlayback(r, r.app.arg, (how) => r.complete(how)),
  play_and_get_digits: playAndGetDigits,
  bridge: bridgeApp,
  eavesdrop: eavesdropApp,
  record: recordApp,
  record_session: recordSessionApp,
  rxfax: (r) => faxApp(r, 'rx'),
  txfax: (r) => faxApp(r, 'tx'),
}

export const knownApp = (name: string): boolean => name in APPS || name === 'park'

/** sendmsg execute: start now, or queue behind the running app when event-lock is set. */
export function execute(sw: SimSwitch, ch: Channel, app: QueuedApp, lock: boolean): void {
  if (ch.hangupCause) return
  if (lock && (ch.apps.length > 0 || ch.queue.length > 0)) {
    ch.queue.push(app)
    return
  }
  start(sw, ch, app)
}

/** `then` runs after the app completes (an originated `&eavesdrop()` leg hangs up: fact 21). */
export function start(sw: SimSwitch, ch: Channel, q: QueuedApp, then?: () => void): void {
  ch.lastApp = q.name
  ch.lastAppData = q.arg
  ch.vars.set('current_application', q.name)
  if (q.arg) ch.vars.set('current_application_data', q.arg)
  sw.emitChannel('CHANNEL_EXECUTE', ch, execFields(q))
  if (q.name === 'park') {
    if (ch.parked) {
      sw.emitChannel('CHANNEL_EXECUTE_COMPLETE', ch, { ...execFields(q), 'Application-Response': '_none_' })
      return
    }
    ch.state = 'CS_EXECUTE'
    sw.park(ch, q.appUuid)
    return
  }
  const app: RunningApp = { ...q, timer: undefined, stop: () => undefined }
  ch.apps.push(app)
  let done = false
  const run: AppRun = {
    sw, ch, app,
    complete(response, fields = {}) {
      if (done) return
      done = true
      finish(sw, ch, app, response, fields)
      then?.()
    },
  }
  const impl = APPS[q.name]
  if (impl) impl(run)
  else run.complete('_none_')
}

function finish(sw: SimSwitch, ch: Channel, app: RunningApp, response: string, fields: Record<string, string>): void {
  app.timer?.cancel()
  const i = ch.apps.indexOf(app)
  if (i >= 0) ch.apps.splice(i, 1)
  ch.lastResponse = response
  sw.emitChannel('CHANNEL_EXECUTE_COMPLETE', ch, { ...execFields(app), 'Application-Response': response, ...fields })
  if (ch.apps.length === 0 && !ch.hangupCause) next(sw, ch)
}

/** The next queued app starts once the stack is empty (plain uuid_break, fact 7). */
function next(sw: SimSwitch, ch: Channel): void {
  const q = ch.queue.shift()
  if (q) start(sw, ch, q)
}

/** uuid_break: stop the running app; with `all` the queue is dropped too (fact 7). */
export function breakApps(ch: Channel, all: boolean): void {
  if (all) ch.queue.length = 0
  const top = ch.apps[ch.apps.length - 1]
  top?.stop('break')
}

/** Stop everything for a transfer or bridge: stop events with PLAYBACK ERROR (facts 10, 19). */
export function stopAll(ch: Channel, why: AppStopReason): void {
  ch.queue.length = 0
  for (const app of [...ch.apps].reverse()) app.stop(why)
}

export function execFields(q: QueuedApp): Record<string, string> {
  return { Application: q.name, 'Application-Data': q.arg, 'Application-UUID': q.appUuid }
}

export const newAppUuid = (): string => randomUUID()

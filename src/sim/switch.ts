import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
/**
 * The simulated switch: channels, the event stream and the channel lifecycle (answer, park,
 * bridge, hangup) in the orders esl-captures shows. Apps live in apps.ts, api commands in
 * api-commands.ts; the ESL sessions only read from here and subscribe to `emit`.
 */
import { randomUUID } from 'node:crypto'
import type { Clock, TimerHandle } from '../shared/index.ts'
import type { Channel } from './channel.ts'
import { newChannel } from './channel.ts'
import type { SimEvent } from './events.ts'
import { buildEvent } from './events.ts'
import type { Dialplan } from './dialplan.ts'
import type { PhoneBook } from './phones.ts'
import type { MediaLengths } from './media.ts'
import type { SwitchSetup } from './sofia.ts'

export type EventSink = (e: SimEvent) => void

export interface SwitchOptions {
  readonly clock: Clock
  readonly speed: number
  readonly dialplan: Dialplan
  readonly media: MediaLengths
}

export class SimSwitch {
  readonly coreUuid = randomUUID()
  readonly channels = new Map<string, Channel>()
  readonly startedAt: number
  readonly clock: Clock
  readonly dialplan: Dialplan
  readonly media: MediaLengths
  phones!: PhoneBook
  /** Modules, SIP profiles, gateways and limits (SimulatorOptions). */
  setup!: SwitchSetup
  sessionsSinceStartup = 0
  #speed: number
  #seq = 1000
  #lose = 0
  #sinks = new Set<EventSink>()
  #timers = new Set<TimerHandle>()
  #watchers = new Map<string, Set<(cause: string) => void>>()

  constructor(o: SwitchOptions) {
    this.clock = o.clock
    this.#speed = o.speed > 0 ? o.speed : 1
    this.dialplan = o.dialplan
    this.media = o.media
    this.startedAt = o.clock.now()
  }

  now(): number {
    return this.clock.now()
  }

  /** A timer in switch time: with speed 10, a 20 s ring takes 2 s of clock time. */
  after(ms: number, fn: () => void): TimerHandle {
    const h = this.clock.setTimer(ms / this.#speed, () => {
      this.#timers.delete(h)
      fn()
    })
    this.#timers.add(h)
    return { cancel: () => (this.#timers.delete(h), h.cancel()) }
  }

  /** Switch off: no ring, prompt or registration timer outlives the simulator. */
  cancelTimers(): void {
    for (const h of this.#timers) h.cancel()
    this.#timers.clear()
  }

  subscribe(sink: EventSink): () => void {
    this.#sinks.add(sink)
    return () => this.#sinks.delete(sink)
  }

  /** Fault injection: the next n events are dropped for every listener. */
  loseEvents(n: number): void {
    this.#lose += Math.max(0, n)
  }

  emit(name: string, opts: Parameters<typeof buildEvent>[2] = {}): void {
    const e = buildEvent({ coreUuid: this.coreUuid, now: this.now(), sequence: this.#seq++ }, name, opts)
    if (this.#lose > 0) {
      this.#lose--
      return
    }
    for (const sink of this.#sinks) sink(e)
  }

  /** A channel event: carries the Other-Leg block while bridged. */
  emitChannel(name: string, ch: Channel, fields: Record<string, string> = {}): void {
    const other = ch.bridgePeer ? this.channels.get(ch.bridgePeer) : undefined
    this.emit(name, { channel: ch, ...(other ? { other } : {}), fields })
  }

  create(init: Parameters<typeof newChannel>[0]): Channel {
    const ch = newChannel(init)
    this.channels.set(ch.uuid, ch)
    this.sessionsSinceStartup++
    ch.vars.set('direction', ch.direction)
    ch.vars.set('uuid', ch.uuid)
    ch.vars.set('channel_name', ch.name)
    this.emitChannel('CHANNEL_CREATE', ch)
    return ch
  }

  setState(ch: Channel, state: Channel['state']): void {
    if (ch.state === state) return
    ch.state = state
    this.emitChannel('CHANNEL_STATE', ch)
  }

  setCallState(ch: Channel, s: Channel['callState']): void {
    if (ch.callState === s) return
    const was = ch.callState
    ch.callState = s
    this.emitChannel('CHANNEL_CALLSTATE', ch, { 'Original-Channel-Call-State': was })
  }

  progress(ch: Channel): void {
    if (ch.progressAt || ch.answeredAt) return
    ch.progressAt = this.now()
    this.setCallState(ch, 'RINGING')
    this.emitChannel('CHANNEL_PROGRESS', ch)
  }

  /** Answer a leg; a loopback leg answers its twin too (both CHANNEL_ANSWERs, capture 12). */
  answer(ch: Channel): void {
    if (ch.answeredAt || ch.hangupCause) return
    const legs = [ch, ...(ch.loopbackPeer ? [this.channels.get(ch.loopbackPeer)] : [])]
    for (const leg of legs) {
      if (!leg || leg.answeredAt) continue
      leg.answeredAt = this.now()
      leg.answerState = 'answered'
      leg.callState = 'ACTIVE'
      this.emitChannel('CHANNEL_ANSWER', leg)
    }
    for (const leg of legs) {
      const hook = leg?.onAnswer
      if (leg) leg.onAnswer = undefined
      hook?.()
    }
  }

  /** Enter the park app (its CHANNEL_EXECUTE was already sent). */
  park(ch: Channel, appUuid: string): void {
    ch.parked = true
    ch.parkAppUuid = appUuid
    this.emitChannel('CHANNEL_PARK', ch)
  }

  /** Leave park: CHANNEL_UNPARK and the park's EXECUTE_COMPLETE with a stale response (fact 3). */
  unpark(ch: Channel): void {
    if (!ch.parked) return
    ch.parked = false
    this.emitChannel('CHANNEL_UNPARK', ch)
    this.emitChannel('CHANNEL_EXECUTE_COMPLETE', ch, {
      Application: 'park', 'Application-Response': ch.lastResponse, 'Application-UUID': ch.parkAppUuid,
    })
  }

  /** uuid_bridge: one CHANNEL_BRIDGE, on the first leg only (fact 10). */
  bridge(a: Channel, b: Channel): void {
    a.bridgePeer = b.uuid
    b.bridgePeer = a.uuid
    a.bridgeFirst = true
    b.bridgeFirst = false
    a.bridgedAt = b.bridgedAt = this.now()
    a.vars.set('bridge_uuid', b.uuid)
    b.vars.set('bridge_uuid', a.uuid)
    // show channels' call_uuid is the A-leg on both bridged legs (fact 17).
    a.vars.set('call_uuid', a.uuid)
    b.vars.set('call_uuid', a.uuid)
    this.setState(a, 'CS_SOFT_EXECUTE')
    this.setState(b, 'CS_EXCHANGE_MEDIA')
    this.emitChannel('CHANNEL_BRIDGE', a, { 'Bridge-A-Unique-ID': a.uuid, 'Bridge-B-Unique-ID': b.uuid })
  }

  /**
   * End a bridge because `gone` left (hangup or transfer). The partner re-parks with
   * park_after_bridge=true, otherwise it is hung up (facts 11, 12).
   */
  unbridge(gone: Channel, cause: string): void {
    const peer = gone.bridgePeer ? this.channels.get(gone.bridgePeer) : undefined
    if (!peer) return
    const [a, b] = gone.bridgeFirst ? [gone, peer] : [peer, gone]
    a.vars.set('bridge_hangup_cause', cause)
    this.emitChannel('CHANNEL_UNBRIDGE', a, { 'Bridge-A-Unique-ID': a.uuid, 'Bridge-B-Unique-ID': b.uuid })
    gone.bridgePeer = peer.bridgePeer = undefined
    const appEnd = peer.onBridgeEnd
    peer.onBridgeEnd = undefined
    // A bridge made by the bridge app: the app completes and decides (apps-more.ts).
    if (appEnd) return appEnd(cause)
    if (peer.hangupCause) return
    if (peer.vars.get('park_after_bridge') === 'true') {
      peer.state = 'CS_PARK'
      this.park(peer, peer.parkAppUuid || randomUUID())
    } else {
      this.hangup(peer, 'NORMAL_CLEARING')
    }
  }

  /** Hang a leg up in the order of fact 8; its loopback twin and its bridge partner follow. */
  hangup(ch: Channel, cause: string): void {
    if (ch.hangupCause) return
    ch.hangupCause = cause
    ch.hangupAt = this.now()
    ch.state = 'CS_HANGUP'
    ch.callState = 'HANGUP'
    ch.answerState = 'hangup'
    ch.vars.set('hangup_cause', cause)
    this.emitChannel('CHANNEL_HANGUP', ch)
    ch.queue.length = 0
    for (const app of [...ch.apps].reverse()) app.stop('hangup')
    this.unpark(ch)
    this.unbridge(ch, cause)
    for (const [path, rec] of ch.recordings) this.stopRecording(ch, path, rec, 'success-silence')
    const hook = ch.onHangup
    ch.onHangup = undefined
    hook?.(cause)
    const twin = ch.loopbackPeer ? this.channels.get(ch.loopbackPeer) : undefined
    if (twin) this.hangup(twin, cause)
    ch.state = 'CS_REPORTING'
    this.emitChannel('CHANNEL_HANGUP_COMPLETE', ch)
    ch.state = 'CS_DESTROY'
    this.emitChannel('CHANNEL_DESTROY', ch)
    this.channels.delete(ch.uuid)
    const watchers = this.#watchers.get(ch.uuid)
    this.#watchers.delete(ch.uuid)
    for (const w of watchers ?? []) w(cause)
  }

  /**
   * Digits received on a leg. The DTMF event fires when an app dequeues the digit (fact 11):
   * the running app decides; an idle park dequeues and reports it.
   */
  receiveDtmf(ch: Channel, digits: string, source: string): void {
    for (const digit of digits) {
      const top = ch.apps[ch.apps.length - 1]
      if (top?.dtmf) top.dtmf(digit, source)
      else if (ch.parked && ch.apps.length === 0) {
        this.emitChannel('DTMF', ch, { 'DTMF-Digit': digit, 'DTMF-Duration': '2000', 'DTMF-Source': source })
      } else if (ch.apps.length > 0) {
        // A prompt without terminators does not read digits: they wait in the channel's DTMF
        // queue for the next app that does (callers who type ahead of the menu).
        ch.dtmfQueue.push({ digit, source })
      }
    }
  }

  /** Be told when a leg is gone (eavesdrop on it, scripted callers). */
  watch(uuid: string, fn: (cause: string) => void): () => void {
    const set = this.#watchers.get(uuid) ?? new Set()
    set.add(fn)
    this.#watchers.set(uuid, set)
    return () => set.delete(fn)
  }

  stopRecording(ch: Channel, path: string, rec: { startedAt: number; timer: TimerHandle | undefined }, cause: string): void {
    rec.timer?.cancel()
    ch.recordings.delete(path)
    const ms = this.now() - rec.startedAt
    const stereo = ch.vars.get('RECORD_STEREO') === 'true' || ch.vars.get('record_stereo') === 'true'
    const samples = Math.floor(ms * 8)
    for (const [k, v] of Object.entries({
      record_samples: String(samples), record_ms: String(ms), record_seconds: String(Math.floor(ms / 1000)),
      record_file_size: String(44 + samples * 2 * (stereo ? 2 : 1)), record_completion_cause: cause,
    })) ch.vars.set(k, v)
    writeSilence(path, samples, stereo ? 2 : 1)
    this.emitChannel('RECORD_STOP', ch, { 'Record-File-Path': path, 'Record-Completion-Cause': cause })
    this.emitChannel('MEDIA_BUG_STOP', ch, { 'Media-Bug-Function': 'session_record', 'Media-Bug-Target': path })
  }
}

/**
 * Like FreeSWITCH, the recording is a file on disk when RECORD_STOP fires: 8 kHz 16-bit PCM WAV
 * (silence here), folders created as needed. A path the simulator cannot write is left alone, so
 * Hotline's "file missing" handling can be tested too.
 */
export function writeSilence(path: string, frames: number, channels: number): void {
  const data = Math.min(frames, 8000 * 600) * 2 * channels
  const wav = Buffer.alloc(44 + data)
  wav.write('RIFF', 0)
  wav.writeUInt32LE(36 + data, 4)
  wav.write('WAVEfmt ', 8)
  wav.writeUInt32LE(16, 16)
  wav.writeUInt16LE(1, 20)
  wav.writeUInt16LE(channels, 22)
  wav.writeUInt32LE(8000, 24)
  wav.writeUInt32LE(8000 * 2 * channels, 28)
  wav.writeUInt16LE(2 * channels, 32)
  wav.writeUInt16LE(16, 34)
  wav.write('data', 36)
  wav.writeUInt32LE(data, 40)
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, wav)
  } catch {
    // unwritable path: no file, as when FreeSWITCH cannot open it
  }
}

/**
 * A RecorderPort that behaves like FreeSWITCH's uuid_record as captured (facts 14-15): start
 * writes a WAV file, stop answers +OK and fires RECORD_STOP, a hung-up leg stops its own
 * recordings with `success-silence`, mask/unmask answer +OK and fire nothing. Test support only.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { err, failure, ok, type Clock, type Result } from '../shared/index.ts'
import type { RecorderError, RecorderPort } from './recorder-port.ts'

interface Running {
  readonly leg: string
  readonly file: string
  readonly since: number
}

export function wavBytes(ms: number, channels: 1 | 2): Buffer {
  const byteRate = 8000 * 2 * channels
  const data = Math.round((ms / 1000) * byteRate)
  const b = Buffer.alloc(44 + data)
  b.write('RIFF', 0)
  b.writeUInt32LE(36 + data, 4)
  b.write('WAVEfmt ', 8)
  b.writeUInt32LE(16, 16)
  b.writeUInt16LE(1, 20)
  b.writeUInt16LE(channels, 22)
  b.writeUInt32LE(8000, 24)
  b.writeUInt32LE(byteRate, 28)
  for (let i = 44; i < b.length; i++) b[i] = (i * 7) & 0xff
  return b
}

export class FakeRecorderSwitch implements RecorderPort {
  readonly commands: string[] = []
  readonly #running = new Map<string, Running & { stereo: boolean }>()
  emit: (headers: Record<string, string>) => void = () => undefined
  refuseStart = false
  /** false: FreeSWITCH reports the stop but never wrote the file. */
  writesFiles = true
  /** false: the RECORD_STOP is lost (Hotline was disconnected). */
  firesStop = true

  constructor(private readonly clock: Clock) {}

  start(leg: string, file: string, o: { readonly stereo: boolean }): Promise<Result<void, RecorderError>> {
    if (o.stereo) this.commands.push(`uuid_setvar ${leg} RECORD_STEREO true`)
    this.commands.push(`uuid_record ${leg} start ${file}`)
    if (this.refuseStart) return Promise.resolve(err(failure('switch-refused', 'uuid_record: -ERR Cannot record session!')))
    this.#running.set(file, { leg, file, since: this.clock.now(), stereo: o.stereo })
    if (this.writesFiles) {
      // FreeSWITCH opens the file at start; it grows until the stop.
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, wavBytes(0, o.stereo ? 2 : 1))
    }
    return Promise.resolve(ok(undefined))
  }

  stop(leg: string, file: string): Promise<Result<void, RecorderError>> {
    this.commands.push(`uuid_record ${leg} stop ${file}`)
    const r = this.#running.get(file)
    if (!r) return Promise.resolve(err(failure('switch-refused', 'uuid_record: -ERR Cannot stop record session!')))
    this.#end(r, 'success-maxtime')
    return Promise.resolve(ok(undefined))
  }

  mask(leg: string, file: string): Promise<Result<void, RecorderError>> {
    this.commands.push(`uuid_record ${leg} mask ${file}`)
    return Promise.resolve(this.#running.has(file) ? ok(undefined) : err(failure('switch-refused', '-ERR Cannot mask recording session!')))
  }

  unmask(leg: string, file: string): Promise<Result<void, RecorderError>> {
    this.commands.push(`uuid_record ${leg} unmask ${file}`)
    return Promise.resolve(this.#running.has(file) ? ok(undefined) : err(failure('switch-refused', '-ERR Cannot unmask recording session!')))
  }

  /** The caller hangs up: FreeSWITCH stops the leg's recordings itself (fact 14). */
  hangup(leg: string): void {
    for (const r of [...this.#running.values()]) if (r.leg === leg) this.#end(r, 'success-silence')
  }

  #end(r: Running & { stereo: boolean }, cause: string): void {
    this.#running.delete(r.file)
    const ms = this.clock.now() - r.since
    const bytes = wavBytes(ms, r.stereo ? 2 : 1)
    if (this.writesFiles) {
      mkdirSync(dirname(r.file), { recursive: true })
      writeFileSync(r.file, bytes)
    }
    if (!this.firesStop) return
    this.emit({
      'Event-Name': 'RECORD_STOP', 'Unique-ID': r.leg, 'Record-File-Path': r.file, 'Record-Completion-Cause': cause,
      variable_record_ms: String(ms), variable_record_file_size: String(bytes.length), variable_record_completion_cause: cause,
    })
  }
}

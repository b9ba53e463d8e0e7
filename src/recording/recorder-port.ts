/**
 * The RecorderPort: `uuid_record` start/stop/mask/unmask on one leg. The ESL adapter takes the
 * client's `api(cmd)` so that recording never imports esl; tests use a fake that writes files.
 */
import { err, failure, ok, type Failure, type Result } from '../shared/index.ts'

export type RecorderErrorCode = 'switch-refused' | 'switch-unreachable'
export type RecorderError = Failure<RecorderErrorCode>

export interface RecorderPort {
  /** stereo: caller and agent on separate channels (RECORD_STEREO set on the leg first, fact 15). */
  start(leg: string, file: string, o: { readonly stereo: boolean }): Promise<Result<void, RecorderError>>
  stop(leg: string, file: string): Promise<Result<void, RecorderError>>
  /** The masked span becomes digital silence; no event is fired (fact 15). */
  mask(leg: string, file: string): Promise<Result<void, RecorderError>>
  unmask(leg: string, file: string): Promise<Result<void, RecorderError>>
}

export type EslApi = (cmd: string) => Promise<Result<string, Failure>>

/**
 * uuid_record answers `+OK Success\n` to every action and `-ERR Cannot … recording session!\n`
 * to one on a file that is not being recorded (fact 15). The api reply itself is a success at the
 * ESL level, so the body decides.
 */
export class EslRecorder implements RecorderPort {
  readonly #api: EslApi
  constructor(api: EslApi) {
    this.#api = api
  }

  async start(leg: string, file: string, o: { readonly stereo: boolean }): Promise<Result<void, RecorderError>> {
    if (o.stereo) {
      // Must be set before start: the recorder reads it once when it opens the file.
      const s = await this.#run(`uuid_setvar ${leg} RECORD_STEREO true`)
      if (!s.ok) return s
    }
    return this.#run(`uuid_record ${leg} start ${file}`)
  }

  stop(leg: string, file: string): Promise<Result<void, RecorderError>> {
    return this.#run(`uuid_record ${leg} stop ${file}`)
  }

  mask(leg: string, file: string): Promise<Result<void, RecorderError>> {
    return this.#run(`uuid_record ${leg} mask ${file}`)
  }

  unmask(leg: string, file: string): Promise<Result<void, RecorderError>> {
    return this.#run(`uuid_record ${leg} unmask ${file}`)
  }

  async #run(cmd: string): Promise<Result<void, RecorderError>> {
    const r = await this.#api(cmd)
    if (!r.ok) return err(failure('switch-unreachable', `${cmd.split(' ', 1)[0] ?? cmd}: ${r.error.message}`))
    const body = r.value.trim()
    if (body.startsWith('-ERR') || body.startsWith('-USAGE')) return err(failure('switch-refused', `${cmd.split(' ').slice(0, 3).join(' ')}: ${body}`))
    return ok(undefined)
  }
}

/**
 * The two shapes of a decoded event. Plain and XML events, and JSON that is not in FreeSWITCH's
 * flat form, arrive with every header already read. A flat JSON event keeps its checked text and
 * finds headers in it on demand (see flat-json.ts), building the whole map only when asked for it.
 */
import { flatObject, flatValue, flatValuesStartingWith, type FlatJson } from './flat-json.ts'
import type { EslEvent, EventFormat } from './message.ts'

export interface EventParts {
  readonly name: string
  readonly subclass?: string | undefined
  readonly format: EventFormat
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | undefined
}

/** An event from headers already read (decoders, the simulator's own bookkeeping, tests). */
export function eslEvent(p: EventParts): EslEvent {
  return new HeaderMapEvent(p.name, p.subclass, p.format, p.headers, p.body)
}

class HeaderMapEvent implements EslEvent {
  constructor(
    readonly name: string,
    readonly subclass: string | undefined,
    readonly format: EventFormat,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string | undefined,
  ) {}

  header(name: string): string | undefined {
    return Object.hasOwn(this.headers, name) ? this.headers[name] : undefined
  }

  headersStartingWith(prefix: string): Record<string, string> {
    return startingWith(this.headers, prefix)
  }
}

/** A flat JSON event: `text` passed checkFlatJson and Event-Name was found in it. */
export class FlatJsonEvent implements EslEvent {
  readonly format = 'json'
  readonly #json: FlatJson
  #headers: Readonly<Record<string, string>> | undefined

  constructor(
    json: FlatJson,
    readonly name: string,
    readonly subclass: string | undefined,
    readonly body: string | undefined,
  ) {
    this.#json = json
  }

  get headers(): Readonly<Record<string, string>> {
    return (this.#headers ??= wholeObject(this.#json))
  }

  header(name: string): string | undefined {
    return this.#headers ? (Object.hasOwn(this.#headers, name) ? this.#headers[name] : undefined) : flatValue(this.#json, name)
  }

  headersStartingWith(prefix: string): Record<string, string> {
    return this.#headers ? startingWith(this.#headers, prefix) : flatValuesStartingWith(this.#json, prefix)
  }

  /** Logs and snapshots see the same fields as for any other event. */
  toJSON(): object {
    return { name: this.name, subclass: this.subclass, format: this.format, headers: this.headers, body: this.body }
  }
}

/** The checked text is an object of strings; JSON.parse reads it unless a raw control character is in it. */
function wholeObject(json: FlatJson): Record<string, string> {
  try {
    return JSON.parse(json.text) as Record<string, string>
  } catch {
    return flatObject(json)
  }
}

function startingWith(headers: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k in headers) if (k.startsWith(prefix)) out[k] = headers[k]!
  return out
}

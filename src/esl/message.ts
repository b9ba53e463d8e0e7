/** Typed ESL messages: what the framer's frames mean. Parse once, at the edge. */
export type EventFormat = 'plain' | 'json' | 'xml'

export interface EslEvent {
  /** Event-Name, e.g. CHANNEL_PARK; CUSTOM events keep CUSTOM here and their name in `subclass`. */
  readonly name: string
  readonly subclass: string | undefined
  readonly format: EventFormat
  /**
   * Every header, values decoded. A repeated name (Hangup-Cause on HANGUP_COMPLETE) keeps the last.
   * A JSON event builds this on first use; code that reads a few headers should use `header`.
   */
  readonly headers: Readonly<Record<string, string>>
  /** One header, as `headers[name]` would give it, without building `headers`. */
  header(name: string): string | undefined
  /** The headers whose name starts with prefix (e.g. `variable_hotline_`), names kept whole. */
  headersStartingWith(prefix: string): Record<string, string>
  /** The event's own body (BACKGROUND_JOB result, some CUSTOM events), not URL-decoded. */
  readonly body: string | undefined
}

export type EslMessage =
  | { readonly kind: 'auth-request' }
  | {
      readonly kind: 'command-reply'
      /** Reply-Text, decoded ("+OK accepted", "-ERR invalid", "+OK Job-UUID: …"). */
      readonly reply: string
      readonly ok: boolean
      readonly headers: Readonly<Record<string, string>>
    }
  | { readonly kind: 'api-response'; readonly body: string }
  | { readonly kind: 'event'; readonly event: EslEvent }
  | { readonly kind: 'disconnect-notice'; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly kind: 'rude-rejection'; readonly body: string }
  | { readonly kind: 'log'; readonly level: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly kind: 'unknown'; readonly contentType: string; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  /** Bytes that could not be understood. Counted and reported, never thrown. */
  | { readonly kind: 'malformed'; readonly reason: string; readonly sample: string }

export type EslMessageKind = EslMessage['kind']

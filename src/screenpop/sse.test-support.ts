/** Test support: reads a Server-Sent Events response one event at a time (real I/O, no sleeps). */
export interface SseEvent {
  readonly event: string
  readonly id: string | undefined
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on event bodies with t.match
  readonly data: any
}

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  readonly #decoder = new TextDecoder()
  #buffer = ''

  constructor(res: Response) {
    if (!res.body) throw new Error('no body')
    this.#reader = res.body.getReader()
  }

  /** The next event (comments and retry lines skipped); throws if the stream ends first. */
  async next(): Promise<SseEvent> {
    for (;;) {
      const cut = this.#buffer.indexOf('\n\n')
      if (cut >= 0) {
        const block = this.#buffer.slice(0, cut)
        this.#buffer = this.#buffer.slice(cut + 2)
        const ev = parse(block)
        if (ev) return ev
        continue
      }
      const { value, done } = await this.#reader.read()
      if (done) throw new Error('stream ended')
      this.#buffer += this.#decoder.decode(value, { stream: true })
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined)
  }
}

function parse(block: string): SseEvent | undefined {
  let event = 'message'
  let id: string | undefined
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7)
    else if (line.startsWith('id: ')) id = line.slice(4)
    else if (line.startsWith('data: ')) data.push(line.slice(6))
  }
  if (data.length === 0) return undefined
  return { event, id, data: JSON.parse(data.join('\n')) as unknown }
}

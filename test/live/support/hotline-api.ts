/** Hotline's REST API and the agent's event stream, as the console uses them. */
import { HOTLINE_HTTP } from './hotline-process.ts'

const BASE = `http://${HOTLINE_HTTP.host}:${HOTLINE_HTTP.port}/api/v1`

export interface Api {
  readonly token: string
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>
}

export async function login(username: string, password: string, base = BASE): Promise<Api> {
  const r = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const j = (await r.json()) as { token?: string }
  if (r.status !== 200 || !j.token) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(j)}`)
  const token = j.token
  return {
    token,
    async call(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      return { status: res.status, json: (text ? JSON.parse(text) : null) as never }
    },
  }
}

/** Throws unless the answer is 2xx: for the set-up steps, whose failure is the test's fault. */
export async function must<T>(p: Promise<{ status: number; json: T }>, what: string): Promise<T> {
  const r = await p
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

export interface SseEvent { readonly event: string; readonly data: unknown; readonly at: number }

/** An open Server-Sent Events stream (the agent console's), with every event kept in order. */
export interface EventStream {
  readonly events: readonly SseEvent[]
  next(pred: (e: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>
  close(): void
}

export async function openStream(api: Api, path: string): Promise<EventStream> {
  const ac = new AbortController()
  const res = await fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${api.token}`, accept: 'text/event-stream' }, signal: ac.signal })
  if (res.status !== 200 || !res.body) throw new Error(`stream ${path}: ${res.status}`)
  const events: SseEvent[] = []
  const watchers = new Set<() => void>()
  void (async () => {
    const decoder = new TextDecoder()
    let buf = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end)
          buf = buf.slice(end + 2)
          const ev = /^event: (.*)$/m.exec(block)?.[1] ?? 'message'
          const data = /^data: (.*)$/m.exec(block)?.[1]
          events.push({ event: ev, data: data === undefined ? undefined : JSON.parse(data), at: Date.now() })
          for (const w of watchers) w()
        }
      }
    } catch {
      // aborted by close()
    }
  })()
  return {
    events,
    next(pred, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let from = 0
        const check = (): void => {
          for (; from < events.length; from++) {
            const e = events[from]!
            if (pred(e)) {
              watchers.delete(check)
              clearTimeout(timer)
              resolve(e)
              return
            }
          }
        }
        const timer = setTimeout(() => {
          watchers.delete(check)
          reject(new Error(`stream ${path}: no ${what} within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`))
        }, timeoutMs)
        watchers.add(check)
        check()
      })
    },
    close: () => ac.abort(),
  }
}

// Shared by both pages: the token in sessionStorage, JSON calls to /api/v1, the SSE stream.
'use strict'
window.hotline = (() => {
  const KEY = 'hotline.session'
  const session = () => JSON.parse(sessionStorage.getItem(KEY) || 'null')
  const save = (s) => (s ? sessionStorage.setItem(KEY, JSON.stringify(s)) : sessionStorage.removeItem(KEY))

  async function api(method, path, body) {
    const s = session()
    const headers = {}
    if (s) headers.authorization = `Bearer ${s.token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    const json = text ? JSON.parse(text) : null
    if (res.status === 401) save(null)
    if (!res.ok) throw Object.assign(new Error(json?.error?.message || res.statusText), { code: json?.error?.code, status: res.status })
    return json
  }

  async function login(username, password) {
    const r = await api('POST', '/auth/login', { username, password })
    save({ token: r.token, user: r.user })
    return r.user
  }

  // EventSource cannot send an Authorization header: the stream routes take ?access_token=.
  // The browser reconnects by itself; the server replays the current pop on every connect.
  function stream(path, handlers, onStatus) {
    const s = session()
    const es = new EventSource(`/api/v1${path}?access_token=${encodeURIComponent(s.token)}`)
    es.onopen = () => onStatus && onStatus('open')
    es.onerror = () => onStatus && onStatus(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting')
    for (const [name, fn] of Object.entries(handlers)) es.addEventListener(name, (e) => fn(JSON.parse(e.data)))
    // The server ends a stream whose session ended (logout elsewhere, user disabled, password
    // reset, token expired): stop reconnecting and go back to the login. Any other end (a slow
    // reader cut off, too many streams) is left to the browser's reconnect.
    es.addEventListener('end', (e) => {
      if (JSON.parse(e.data).reason !== 'session-ended') return
      es.close()
      save(null)
      if (onStatus) onStatus('signed-out')
      location.reload()
    })
    return es
  }

  const $ = (id) => document.getElementById(id)
  /** A field's value; a dash when there is none. */
  const text = (id, v) => { $(id).textContent = v == null || v === '' ? '—' : String(v) }
  /** A message line: empty when there is nothing to say (never a dash that reads as an error). */
  const say = (id, v) => { $(id).textContent = v == null ? '' : String(v) }
  /** Amounts are kept in fen (分); agents read yuan. */
  const yuan = (fen) => (fen == null ? '' : `¥${(fen / 100).toFixed(2)}`)
  const duration = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` }
  return { session, save, api, login, stream, $, text, say, duration, yuan }
})()

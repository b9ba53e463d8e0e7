// The supervisor view: the wallboard pushed over SSE, time in state ticking locally, and
// listen / whisper / barge (POST /api/v1/supervision) on any agent's live call.
'use strict'
;(() => {
  const { session, api, login, stream, $, text, say, duration } = window.hotline
  let board = null
  let receivedAt = 0
  let es = null

  function show(signedIn) {
    $('login').classList.toggle('hidden', signedIn)
    $('board').classList.toggle('hidden', !signedIn)
  }

  function cell(tr, value, name) {
    const td = Object.assign(document.createElement('td'), { textContent: value })
    if (name) td.dataset.field = name
    tr.append(td)
    return td
  }

  function render() {
    if (!board) return
    const aged = Date.now() - receivedAt
    text('board-time', new Date(board.at + aged).toLocaleTimeString())
    text('sl-threshold', `SL = answered within ${board.serviceLevelThresholdSeconds}s`)
    const alarms = board.alarms || []
    $('alarms').classList.toggle('hidden', alarms.length === 0)
    $('alarm-list').replaceChildren(...alarms.map((a) => {
      const li = Object.assign(document.createElement('li'), { className: 'alarm', textContent: a.since ? `${a.message} — since ${new Date(a.since).toLocaleTimeString()}` : a.message })
      li.dataset.severity = a.severity
      li.dataset.code = a.code
      return li
    }))
    $('queues').replaceChildren(...board.queues.map((q) => {
      const tr = document.createElement('tr')
      tr.dataset.queue = q.queue
      cell(tr, q.queue)
      cell(tr, q.waiting, 'waiting')
      cell(tr, q.waiting ? duration(q.longestWaitMs + aged) : '—', 'longest')
      cell(tr, q.answered, 'answered')
      cell(tr, q.abandoned, 'abandoned')
      cell(tr, q.serviceLevel == null ? '—' : `${q.serviceLevel}%`, 'sl')
      cell(tr, q.staffed, 'staffed')
      return tr
    }))
    renderCounts(board.agents)
    $('agents').replaceChildren(...board.agents.map((a) => {
      const tr = document.createElement('tr')
      tr.dataset.agent = a.id
      cell(tr, `${a.name} (${a.id})`)
      cell(tr, a.reason ? `${a.presence} (${a.reason})` : a.presence, 'presence')
      cell(tr, a.activity, 'activity')
      cell(tr, duration((a.activityForMs ?? a.presenceForMs) + aged), 'since')
      const td = cell(tr, '')
      for (const [mode, label] of [['listen', '监听 Listen'], ['whisper', '耳语 Whisper'], ['barge', '强插 Barge']]) {
        const b = Object.assign(document.createElement('button'), { textContent: label, disabled: !a.listenable })
        b.dataset.mode = mode
        b.addEventListener('click', () => supervise(a.id, mode))
        td.append(b)
      }
      return tr
    }))
  }

  /** How many agents are in each state: what a supervisor reads first. Logged-out agents are not staff on duty. */
  const COUNTED = [['available', '空闲 · available'], ['ringing', '振铃 · ringing'], ['on-call', '通话 · on call'], ['wrap-up', '话后 · wrap-up'], ['not-ready', '示忙 · not ready'], ['logged-out', '签出 · logged out']]
  function stateOf(a) {
    if (a.presence === 'logged-out' || a.presence === 'not-ready') return a.activity === 'on-call' || a.activity === 'wrap-up' ? a.activity : a.presence
    return a.activity === 'idle' ? 'available' : a.activity
  }
  function renderCounts(agents) {
    const n = new Map()
    for (const a of agents) n.set(stateOf(a), (n.get(stateOf(a)) || 0) + 1)
    $('agent-counts').replaceChildren(...COUNTED.map(([key, label]) => {
      const span = Object.assign(document.createElement('span'), { className: 'count', textContent: `${label}: ` })
      const b = Object.assign(document.createElement('b'), { textContent: String(n.get(key) || 0) })
      span.dataset.state = key
      span.append(b)
      return span
    }))
  }

  async function supervise(agentId, mode) {
    try {
      const s = await api('POST', '/supervision', { agentId, mode })
      say('supervision-result', `${mode} → ${s.agentId}`)
    } catch (e) { say('supervision-result', e.message) }
  }

  async function start() {
    show(true)
    const me = session().user
    text('who', me.displayName || me.username)
    if (es) es.close()
    void searchCdrs(false)
    es = stream('/wallboard/events', { wallboard: (b) => { board = b; receivedAt = Date.now(); render() } },
      (st) => { text('stream-state', st === 'open' ? '●' : '○'); $('stream-state').dataset.state = st })
  }

  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    say('login-error', '')
    try {
      const user = await login($('username').value, $('password').value)
      if (user.role === 'agent') throw new Error('需要班长权限 · supervisor role needed')
      await start()
    } catch (e) { say('login-error', e.message) }
  })
  $('btn-stop').addEventListener('click', async () => {
    try { await api('DELETE', '/supervision'); say('supervision-result', 'stopped') } catch (e) { say('supervision-result', e.message) }
  })
  // Call records: the filters as a query string; a day is the center's day (UTC+8).
  let nextPage = null
  function cdrQuery() {
    const q = new URLSearchParams()
    const day = $('cdr-day').value
    if (day) {
      const from = Date.parse(`${day}T00:00:00+08:00`)
      q.set('from', String(from))
      q.set('to', String(from + 86_400_000))
    }
    for (const [id, key] of [['cdr-queue', 'queue'], ['cdr-agent', 'agent'], ['cdr-outcome', 'outcome'], ['cdr-caller', 'caller']]) {
      const v = $(id).value.trim()
      if (v) q.set(key, v)
    }
    return q
  }
  const secs = (s) => (s == null ? '' : duration(s * 1000))
  function cdrRow(c) {
    const tr = document.createElement('tr')
    tr.dataset.call = c.callId
    cell(tr, new Date(c.arrivedAt).toLocaleString())
    cell(tr, c.callerName ? `${c.callerNumber} ${c.callerName}` : c.callerNumber, 'caller')
    cell(tr, c.queue || '', 'queue')
    cell(tr, c.agent || '', 'agent')
    cell(tr, c.outcome || '进行中 · live', 'outcome')
    cell(tr, secs(c.waitSeconds), 'wait')
    cell(tr, secs(c.talkSeconds), 'talk')
    cell(tr, c.disposition || '', 'disposition')
    return tr
  }
  async function searchCdrs(more) {
    const q = cdrQuery()
    q.set('limit', '50')
    if (more && nextPage) q.set('before', String(nextPage.before))
    say('cdr-result', '')
    try {
      const r = await api('GET', `/cdrs?${q}`)
      const rows = r.cdrs.map(cdrRow)
      if (more) $('cdr-rows').append(...rows)
      else $('cdr-rows').replaceChildren(...rows)
      nextPage = r.next
      $('btn-cdr-more').disabled = !nextPage
      say('cdr-result', `${$('cdr-rows').children.length} 条 · calls`)
    } catch (e) { say('cdr-result', e.message) }
  }
  // The export needs the bearer token, which a plain link cannot send: fetched, then saved.
  async function exportCdrs() {
    say('cdr-result', '')
    try {
      const res = await fetch(`/api/v1/cdrs.csv?${cdrQuery()}`, { headers: { authorization: `Bearer ${session().token}` } })
      if (!res.ok) throw new Error((await res.json()).error.message)
      const blob = await res.blob()
      const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `hotline-cdrs-${$('cdr-day').value || 'latest'}.csv` })
      document.body.append(a)
      a.click()
      a.remove()
      URL.revokeObjectURL(a.href)
      $('cdr-result').dataset.exported = String(blob.size)
      say('cdr-result', `已导出 · exported (${Math.ceil(blob.size / 1024)} KB)`)
    } catch (e) { say('cdr-result', e.message) }
  }
  $('cdr-form').addEventListener('submit', (ev) => { ev.preventDefault(); void searchCdrs(false) })
  $('btn-cdr-more').addEventListener('click', () => void searchCdrs(true))
  $('btn-cdr-csv').addEventListener('click', () => void exportCdrs())

  // Time in state moves every second without asking the server.
  setInterval(render, 1000)
  if (session()) start().catch(() => show(false))
  else show(false)
})()

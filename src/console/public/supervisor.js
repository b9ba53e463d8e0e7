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
  // Time in state moves every second without asking the server.
  setInterval(render, 1000)
  if (session()) start().catch(() => show(false))
  else show(false)
})()

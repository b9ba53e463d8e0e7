// The agent console: presence, the live screen-pop, call controls, wrap-up, work orders, history.
'use strict'
;(() => {
  const { session, save, api, login, stream, $, text, duration } = window.hotline
  const FALLBACK_REASONS = ['break', 'lunch', 'training', 'meeting']
  /** Every push received, in order (read by the browser tests and handy when debugging). */
  window.consoleEvents = []
  let pop = null
  let es = null

  function show(signedIn) {
    $('login').classList.toggle('hidden', signedIn)
    $('desk').classList.toggle('hidden', !signedIn)
  }

  function fill(select, values) {
    select.replaceChildren(...values.map((v) => Object.assign(document.createElement('option'), { value: v, textContent: v })))
  }

  function renderState(s) {
    const reason = s.presence.kind === 'not-ready' && s.presence.reason ? ` (${s.presence.reason})` : ''
    text('agent-state', `${s.presence.kind}${reason} / ${s.activity.kind}`)
    $('agent-state').dataset.presence = s.presence.kind
    $('agent-state').dataset.activity = s.activity.kind
  }

  function renderPop(p) {
    pop = p
    const card = $('pop')
    card.classList.remove('hidden')
    card.dataset.status = p.status
    card.dataset.call = p.call
    const c = p.customer.kind === 'found' ? p.customer.customer : null
    text('pop-status', p.status)
    text('pop-caller', p.caller)
    text('pop-account', p.account)
    text('pop-name', c ? c.name : p.customer.kind === 'pending' ? '…' : p.customer.kind === 'not-found' ? '未知客户 · unknown' : '查询失败 · lookup failed')
    text('pop-tier', p.tier)
    $('pop-tier').className = `tier-${p.tier}`
    text('pop-queue', p.queue)
    text('pop-did', [p.did, p.region].filter(Boolean).join(' · '))
    text('pop-waited', duration(p.waitedMs))
    text('pop-address', c && c.address)
    text('pop-arrears', c ? (c.arrearsFen / 100).toFixed(2) : null)
    text('pop-path', p.ivrPath.join(' → '))
    text('pop-facts', Object.entries(p.facts).map(([k, v]) => `${k}=${v}`).join(', '))
    text('pop-work-order', p.workOrderCreated)
    renderTransfer(p.transferredFrom)
    const orders = p.customer.kind === 'found' ? p.customer.openWorkOrders : []
    $('pop-orders').replaceChildren(...orders.map((o) => Object.assign(document.createElement('li'), { textContent: `${o.reference} ${o.type} ${o.status}: ${o.summary}` })))
    if (p.customer.kind === 'found') renderContacts(p.customer.recentContacts)
  }

  // A call handed over by another agent: who, how, and their wrap-up once they write it.
  function renderTransfer(from) {
    $('pop-transfer').classList.toggle('hidden', !from)
    if (!from) return
    const how = from.how === 'consulted' ? '咨询转 · consulted' : '盲转 · blind'
    const note = from.wrapUp ? ` — ${from.wrapUp.code}${from.wrapUp.notes ? `: ${from.wrapUp.notes}` : ''}` : ''
    $('pop-transfer').textContent = `转自 · Transferred from ${from.agent} (${how})${note}`
  }

  function renderContacts(list) {
    $('contacts').replaceChildren(...list.map((c) => {
      const tr = document.createElement('tr')
      for (const v of [new Date(c.at).toLocaleString(), `${c.channel}/${c.direction}`, c.summary]) tr.append(Object.assign(document.createElement('td'), { textContent: v }))
      return tr
    }))
  }

  function connect() {
    const me = session().user
    text('who', `${me.displayName || me.username} (${me.agentId || '—'})`)
    if (es) es.close()
    const note = (type) => (data) => window.consoleEvents.push({ type, status: data.status, activity: data.activity && data.activity.kind, at: Date.now() })
    es = stream('/agents/me/events', {
      hello: note('hello'),
      pop: (p) => { note('pop')(p); renderPop(p) },
      'pop-updated': (p) => { note('pop-updated')(p); renderPop(p) },
      'agent-state': (s) => { note('agent-state')(s); renderState(s) },
    }, (st) => { text('stream-state', st === 'open' ? '●' : '○'); $('stream-state').dataset.state = st })
  }

  async function start() {
    show(true)
    const me = session().user
    const settings = await api('GET', '/console/settings').catch(() => ({ notReadyReasons: [], dispositions: ['resolved'] }))
    fill($('not-ready-reason'), settings.notReadyReasons.length ? settings.notReadyReasons : FALLBACK_REASONS)
    fill($('disposition'), settings.dispositions)
    if (me.agentId) api('GET', `/agents/${encodeURIComponent(me.agentId)}`).then(renderState).catch(() => undefined)
    connect()
  }

  async function presence(state) {
    const me = session().user
    text('presence-error', '')
    const body = state === 'not-ready' ? { state, reason: $('not-ready-reason').value } : { state }
    try {
      renderState(await api('POST', `/agents/${encodeURIComponent(me.agentId)}/presence`, body))
    } catch (e) { text('presence-error', e.message) }
  }

  // Call control: the URLs documented in docs/console.md (the calls API answers them).
  async function callAction(path, body) {
    if (!pop) return text('call-result', '没有通话 · no call')
    try {
      await api('POST', `/calls/${encodeURIComponent(pop.call)}/${path}`, body)
      text('call-result', `${path}: OK`)
    } catch (e) { text('call-result', `${path}: ${e.message}`) }
  }

  function wire() {
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      text('login-error', '')
      try {
        await login($('username').value, $('password').value)
        await start()
      } catch (e) { text('login-error', e.message) }
    })
    $('btn-ready').addEventListener('click', () => presence('ready'))
    $('btn-not-ready').addEventListener('click', () => presence('not-ready'))
    $('btn-logout').addEventListener('click', async () => {
      await presence('logged-out')
      await api('POST', '/auth/logout').catch(() => undefined)
      if (es) es.close()
      save(null)
      show(false)
    })
    $('btn-hold').addEventListener('click', () => callAction('hold'))
    $('btn-unhold').addEventListener('click', () => callAction('unhold'))
    $('btn-hangup').addEventListener('click', () => callAction('hangup'))
    $('btn-transfer-blind').addEventListener('click', () => callAction('transfer', { to: $('transfer-to').value, kind: 'blind' }))
    $('btn-transfer-consult').addEventListener('click', () => callAction('transfer', { to: $('transfer-to').value, kind: 'consulted' }))
    $('wrapup-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      if (!pop) return text('wrapup-result', '没有通话 · no call')
      try {
        const body = { code: $('disposition').value, notes: $('notes').value, ...(pop.account ? { account: pop.account } : {}) }
        await api('POST', `/calls/${encodeURIComponent(pop.call)}/disposition`, body)
        text('wrapup-result', '已保存 · saved')
        $('wrapup-result').dataset.saved = pop.call
      } catch (e) { text('wrapup-result', e.message) }
    })
    $('work-order-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      try {
        const wo = await api('POST', '/work-orders', { type: $('wo-type').value, summary: $('wo-summary').value, account: pop && pop.account, caller: pop && pop.caller, callId: pop && pop.call })
        $('wo-id').value = wo.id
        text('work-order-result', `${wo.reference || wo.id}`)
      } catch (e) { text('work-order-result', e.message) }
    })
    $('btn-wo-move').addEventListener('click', async () => {
      try {
        const wo = await api('PATCH', `/work-orders/${encodeURIComponent($('wo-id').value)}`, { status: $('wo-status').value })
        text('work-order-result', `${wo.reference || wo.id}: ${wo.status}`)
      } catch (e) { text('work-order-result', e.message) }
    })
    $('btn-more-contacts').addEventListener('click', async () => {
      if (!pop || !pop.account) return
      try {
        const r = await api('GET', `/customers/${encodeURIComponent(pop.account)}/contacts?limit=50`)
        renderContacts(r.contacts || r)
      } catch (e) { text('work-order-result', e.message) }
    })
  }

  wire()
  if (session()) start().catch(() => show(false))
  else show(false)
})()

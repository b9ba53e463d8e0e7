// The agent console: presence, the live screen-pop, call controls, wrap-up, work orders, history.
'use strict'
;(() => {
  const { session, save, api, login, stream, $, text, say, duration, yuan } = window.hotline
  const FALLBACK_REASONS = ['break', 'lunch', 'training', 'meeting']
  /** Every push received, in order (read by the browser tests and handy when debugging). */
  window.consoleEvents = []
  /** The pop on the card (null: none), the agent's last state, and the consultation under way. */
  let pop = null
  let me = null
  let consulting = null
  let es = null

  const STATE_WORDS = {
    'logged-out': '签出 · logged out', ready: '就绪 · ready', 'not-ready': '示忙 · not ready',
    idle: '空闲 · idle', ringing: '振铃 · ringing', 'on-call': '通话中 · on call', held: '保持中 · on hold',
    'wrap-up': '话后 · wrap-up', resting: '休息 · resting', reserved: '预留 · reserved', 'calling-back': '回拨 · calling back',
  }
  const POP_WORDS = { offered: '分配 · offered', ringing: '振铃 · ringing', answered: '通话中 · answered', ended: '已挂机 · ended', cancelled: '未接 · missed' }
  const TIER_WORDS = { diamond: '钻石 · diamond', gold: '金卡 · gold', silver: '银卡 · silver', standard: '普通 · standard' }
  /** IVR facts the agent reads as the caller's own words; `customer.*` are the CRM's, shown above. */
  const FACT_WORDS = { account: '账号 · account', service: '选择 · chose', menu: '选择 · chose', lang: '语言 · language', 'work-order': '工单 · order', recording: '留言 · message' }
  const HIDDEN_FACTS = new Set(['caller', 'entry'])

  function show(signedIn) {
    $('login').classList.toggle('hidden', signedIn)
    $('desk').classList.toggle('hidden', !signedIn)
  }

  /** The default codes in words (a site's own codes show as they are). */
  const CODE_WORDS = {
    resolved: '已解决 · resolved', 'work-order-created': '已建工单 · work order filed', 'callback-needed': '需回电 · call back',
    complaint: '投诉 · complaint', 'billing-question': '账单咨询 · billing question', 'wrong-number': '打错 · wrong number',
    break: '小休 · break', lunch: '午餐 · lunch', training: '培训 · training', meeting: '会议 · meeting', 'missed-calls': '漏接 · missed calls',
  }

  function fill(select, values) {
    select.replaceChildren(...values.map((v) => Object.assign(document.createElement('option'), { value: v, textContent: CODE_WORDS[v] || v })))
  }

  /** The header badge: presence and what the agent is doing, in words; the controls follow it. */
  function renderState(s) {
    me = s
    const reason = s.presence.kind === 'not-ready' && s.presence.reason ? ` (${s.presence.reason})` : ''
    const doing = s.activity.kind === 'on-call' && s.activity.held ? 'held' : s.activity.kind
    const busy = s.activity.kind === 'idle' ? '' : ` / ${STATE_WORDS[doing] || doing}`
    text('agent-state', `${STATE_WORDS[s.presence.kind] || s.presence.kind}${reason}${busy}`)
    const badge = $('agent-state')
    badge.dataset.presence = s.presence.kind
    badge.dataset.activity = s.activity.kind
    badge.dataset.held = String(Boolean(s.activity.held))
    if (s.activity.kind !== 'on-call') consulting = null
    if (wrappedUp()) clearCard()
    updateControls()
  }

  /** The call is over, its wrap-up written and the wrap-up time past: the card has done its work. */
  function wrappedUp() {
    return Boolean(pop && pop.status === 'ended' && $('wrapup-result').dataset.saved === pop.call && me && me.activity.kind !== 'wrap-up')
  }

  function clearCard() {
    $('pop').classList.add('hidden')
    $('pop').dataset.status = ''
    pop = null
    updateControls()
  }

  /** The call the agent controls now: their on-call activity's (the pop may lag or be a missed one). */
  function activeCall() {
    return me && me.activity.kind === 'on-call' ? me.activity.call : null
  }

  function updateControls() {
    const call = activeCall()
    const held = Boolean(call && me.activity.held)
    const enable = (id, on) => { $(id).disabled = !on }
    enable('btn-hold', call && !held && !consulting)
    enable('btn-unhold', call && held && !consulting)
    enable('btn-hangup', call)
    enable('btn-transfer-blind', call && !consulting)
    enable('btn-transfer-consult', call && !consulting)
    enable('btn-transfer-complete', call && consulting)
    enable('btn-transfer-cancel', call && consulting)
    enable('btn-save', pop && pop.status !== 'cancelled' && pop.status !== 'offered')
    enable('btn-more-contacts', pop && pop.account)
    $('controls').dataset.consulting = consulting ? 'true' : 'false'
  }

  /** A new call on the card: nothing of the previous call's wrap-up or transfer may stay. */
  function resetForCall(call) {
    $('wrapup-form').reset()
    $('disposition').selectedIndex = 0
    say('wrapup-result', '')
    delete $('wrapup-result').dataset.saved
    say('call-result', '')
    say('work-order-result', '')
    $('transfer-to').value = ''
    $('wo-summary').value = ''
    $('wo-id').value = ''
    $('contacts').replaceChildren()
    consulting = null
    $('pop').dataset.call = call
  }

  function factWords(facts) {
    return Object.entries(facts)
      .filter(([k, v]) => v !== null && v !== '' && !k.startsWith('customer.') && !HIDDEN_FACTS.has(k))
      .map(([k, v]) => `${FACT_WORDS[k] || k}: ${v}`)
      .join(' · ')
  }

  /** `main/main-menu` → `main › main menu`; repeats (a menu heard again) once. */
  function pathWords(path) {
    return path.filter((p, i) => p !== path[i - 1]).map((p) => p.replace('/', ' › ').replace(/-/g, ' ')).join(' → ')
  }

  function renderPop(p) {
    if (!pop || pop.call !== p.call) resetForCall(p.call)
    pop = p
    const card = $('pop')
    card.dataset.status = p.status
    if (p.status === 'cancelled') {
      // Rang and was not answered (or the caller left): the card goes; one line says so.
      card.classList.add('hidden')
      say('call-result', `未接来电 · missed call from ${p.caller}${p.cancelReason ? ` (${p.cancelReason})` : ''}`)
      pop = null
      return updateControls()
    }
    card.classList.remove('hidden')
    const c = p.customer.kind === 'found' ? p.customer.customer : null
    text('pop-status', POP_WORDS[p.status] || p.status)
    text('pop-caller', p.caller)
    text('pop-account', p.account)
    text('pop-name', c ? c.name : p.customer.kind === 'pending' ? '查询中 · looking up…' : p.customer.kind === 'not-found' ? '未知客户 · unknown' : '查询失败 · lookup failed')
    text('pop-tier', TIER_WORDS[p.tier] || p.tier)
    $('pop-tier').className = `tier-${p.tier}`
    text('pop-queue', p.queue)
    text('pop-did', [p.did, p.region].filter(Boolean).join(' · '))
    text('pop-waited', duration(p.waitedMs))
    text('pop-address', c && c.address)
    text('pop-arrears', c ? yuan(c.arrearsFen) : null)
    $('pop-arrears').classList.toggle('owing', Boolean(c && c.arrearsFen > 0))
    text('pop-balance', c ? yuan(c.balanceFen) : null)
    text('pop-services', c && c.services.join(', '))
    text('pop-path', pathWords(p.ivrPath))
    text('pop-facts', factWords(p.facts))
    text('pop-work-order', p.workOrderCreated)
    renderTransfer(p.transferredFrom)
    const orders = p.customer.kind === 'found' ? p.customer.openWorkOrders : []
    $('pop-orders').replaceChildren(...orders.map((o) => Object.assign(document.createElement('li'), { textContent: `${o.reference} ${o.type} ${o.status}: ${o.summary}` })))
    if (p.customer.kind === 'found') renderContacts(p.customer.recentContacts)
    if (!$('wo-area').value || $('wo-area').dataset.call !== p.call) {
      $('wo-area').value = (c && c.area) || p.region || ''
      $('wo-area').dataset.call = p.call
    }
    updateControls()
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
      for (const v of [new Date(c.at).toLocaleString(), `${c.channel}/${c.direction}`, c.agent || '', c.summary]) tr.append(Object.assign(document.createElement('td'), { textContent: v }))
      return tr
    }))
  }

  async function refreshContacts(limit) {
    if (!pop || !pop.account) return
    const r = await api('GET', `/customers/${encodeURIComponent(pop.account)}/contacts?limit=${limit}`)
    renderContacts(r.contacts || r)
  }

  function connect() {
    const user = session().user
    text('who', `${user.displayName || user.username} (${user.agentId || '—'})`)
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
    const user = session().user
    const settings = await api('GET', '/console/settings').catch(() => ({ notReadyReasons: [], dispositions: ['resolved'] }))
    fill($('not-ready-reason'), settings.notReadyReasons.length ? settings.notReadyReasons : FALLBACK_REASONS)
    fill($('disposition'), settings.dispositions)
    updateControls()
    if (user.agentId) {
      const s = await api('GET', `/agents/${encodeURIComponent(user.agentId)}`).catch(() => null)
      if (s) renderState(s)
      // A reloaded console asks whether a consultation is open on the call it is on.
      const call = activeCall()
      if (call) api('GET', `/calls/${encodeURIComponent(call)}`).then((v) => { consulting = v.consulting || null; updateControls() }).catch(() => undefined)
    }
    connect()
  }

  async function presence(state) {
    const user = session().user
    say('presence-error', '')
    const body = state === 'not-ready' ? { state, reason: $('not-ready-reason').value } : { state }
    try {
      renderState(await api('POST', `/agents/${encodeURIComponent(user.agentId)}/presence`, body))
    } catch (e) { say('presence-error', e.message) }
  }

  const ACTION_WORDS = { hold: '已保持 · on hold', unhold: '已取回 · resumed', hangup: '已挂断 · hung up', transfer: '已转接 · transferred', 'transfer/complete': '转接完成 · handed over', 'transfer/cancel': '已回到来电 · back with the caller' }

  // Call control: the URLs documented in docs/console.md (the calls API answers them).
  async function callAction(path, body) {
    const call = activeCall()
    if (!call) return say('call-result', '没有通话 · no call')
    $('call-result').dataset.outcome = 'pending'
    try {
      const v = await api('POST', `/calls/${encodeURIComponent(call)}/${path}`, body)
      consulting = v && v.consulting ? v.consulting : null
      const word = body && body.kind === 'consulted' ? '咨询中 · consulting' : ACTION_WORDS[path]
      say('call-result', word)
      $('call-result').dataset.outcome = 'ok'
    } catch (e) {
      say('call-result', e.message)
      $('call-result').dataset.outcome = e.code || 'error'
      // A consultation that ended on the switch meanwhile (the other side hung up) is over here too.
      if (e.code === 'transfer-none' || e.code === 'transfer-no-answer') consulting = null
    }
    updateControls()
  }

  function transfer(kind) {
    const to = $('transfer-to').value.trim()
    if (!to) {
      say('call-result', '请填写转接目标 · type whom to transfer to')
      $('transfer-to').focus()
      return
    }
    return callAction('transfer', { to, kind })
  }

  /** Alt+key: the answer-side actions without leaving the keyboard (docs/console.md). */
  const KEYS = { r: 'btn-ready', n: 'btn-not-ready', b: 'btn-transfer-blind', c: 'btn-transfer-consult', e: 'btn-transfer-complete', q: 'btn-transfer-cancel', x: 'btn-hangup', s: 'btn-save' }
  function onKey(ev) {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || $('desk').classList.contains('hidden')) return
    const k = ev.key.toLowerCase()
    const id = k === 'h' ? (me && me.activity.held ? 'btn-unhold' : 'btn-hold') : KEYS[k]
    if (!id) return
    ev.preventDefault()
    if (!$(id).disabled) $(id).click()
  }

  function wire() {
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      say('login-error', '')
      try {
        await login($('username').value, $('password').value)
        await start()
      } catch (e) { say('login-error', e.message) }
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
    $('btn-transfer-blind').addEventListener('click', () => transfer('blind'))
    $('btn-transfer-consult').addEventListener('click', () => transfer('consulted'))
    $('btn-transfer-complete').addEventListener('click', () => callAction('transfer/complete'))
    $('btn-transfer-cancel').addEventListener('click', () => callAction('transfer/cancel'))
    $('wrapup-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      if (!pop) return say('wrapup-result', '没有通话 · no call')
      const call = pop.call
      try {
        const body = { code: $('disposition').value, notes: $('notes').value, ...(pop.account ? { account: pop.account } : {}) }
        await api('POST', `/calls/${encodeURIComponent(call)}/disposition`, body)
        say('wrapup-result', '已保存 · saved')
        $('wrapup-result').dataset.saved = call
        // The history now has this call's entry: show it while the customer is still on the card.
        await refreshContacts(10).catch(() => undefined)
        if (wrappedUp()) clearCard()
      } catch (e) { say('wrapup-result', e.message) }
    })
    $('work-order-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      const area = $('wo-area').value.trim()
      const body = {
        type: $('wo-type').value, summary: $('wo-summary').value,
        ...(pop && pop.account ? { account: pop.account } : {}), ...(pop && pop.caller ? { caller: pop.caller } : {}),
        ...(pop ? { callId: pop.call } : {}), ...(area ? { area } : {}),
      }
      try {
        const wo = await api('POST', '/work-orders', body)
        $('wo-id').value = wo.reference || String(wo.id)
        say('work-order-result', `已建工单 · filed ${wo.reference || wo.id}`)
        $('work-order-result').dataset.order = wo.reference || String(wo.id)
        await refreshContacts(10).catch(() => undefined)
      } catch (e) { say('work-order-result', e.message) }
    })
    $('work-order-move').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      try {
        const wo = await api('POST', `/work-orders/${encodeURIComponent($('wo-id').value.trim())}/transition`, { to: $('wo-status').value })
        say('work-order-result', `${wo.reference || wo.id}: ${wo.status}`)
        $('work-order-result').dataset.order = wo.reference || String(wo.id)
      } catch (e) { say('work-order-result', e.message) }
    })
    $('btn-more-contacts').addEventListener('click', () => refreshContacts(50).catch((e) => say('work-order-result', e.message)))
    document.addEventListener('keydown', onKey)
  }

  wire()
  if (session()) start().catch(() => show(false))
  else show(false)
})()

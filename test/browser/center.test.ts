/**
 * The full scenario against the whole center (ACD + IVR + users + CRM, composed as the demo does
 * in test/support/center.ts, over the FreeSWITCH simulator): an agent logs in and goes ready, a
 * simulated caller walks the IVR into the queue, the pop shows the caller's account before the
 * ringing state, the agent's phone answers, the agent writes a disposition and goes ready again,
 * and the wallboard moves. Skips with a message when chromium is missing.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { launch, whyNoBrowser } from './browser.ts'
import { startCenter } from '../support/center.ts'
/** Calls answered today over all queues, as the wallboard shows (evaluated in the page). */
const ANSWERED = "[...document.querySelectorAll('#queues td[data-field=answered]')].reduce((n, td) => n + Number(td.textContent), 0)"
const skip = whyNoBrowser()

t.test('one caller from the IVR to an agent\'s screen and back to ready, seen on the wallboard', { skip: skip ?? false, timeout: 120_000 }, async (t) => {
  const center = await startCenter({ port: 0, sim: { agentPhones: { answerAfterMs: 1500 } } })
  t.teardown(() => center.stop())
  const browser = await launch()
  t.teardown(() => browser.close())
  const { agent: who, supervisor } = center.people

  const agent = await browser.context.newPage()
  await agent.goto(`${center.url}/console/`)
  await agent.fill('#username', who.username)
  await agent.fill('#password', who.password)
  await agent.click('#login-form button')
  await agent.waitForSelector('#stream-state[data-state="open"]')
  await agent.click('#btn-ready')
  await agent.waitForSelector('#agent-state[data-presence="ready"]')

  const boss = await browser.context.newPage()
  await boss.goto(`${center.url}/console/supervisor.html`)
  await boss.fill('#username', supervisor.username)
  await boss.fill('#password', supervisor.password)
  await boss.click('#login-form button')
  await boss.waitForSelector('#queues tr')
  const answeredBefore = await boss.evaluate<number>(ANSWERED)

  const caller = center.sim.call({ did: center.sample.did, caller: center.sample.caller })
  // Digits queue on the channel like on the real switch, so the IVR reads them as it asks.
  for (const keys of center.sample.keys) caller.press(keys)
  await agent.waitForSelector('#pop:not(.hidden)', { timeout: 30_000 })
  t.equal(await agent.textContent('#pop-account'), center.sample.account)
  await agent.waitForSelector('#pop[data-status="answered"]', { timeout: 30_000 })
  const order = await agent.evaluate<string[]>("window.consoleEvents.map((e) => e.type + ':' + (e.status || e.activity || ''))")
  const popAt = order.indexOf('pop:offered')
  const ringAt = order.indexOf('agent-state:ringing')
  t.ok(popAt >= 0 && (ringAt < 0 || popAt < ringAt), `the pop came before ringing: ${order.join(' ')}`)

  await boss.waitForFunction(`${ANSWERED} > ${answeredBefore}`)
  caller.hangup()
  await agent.waitForSelector('#pop[data-status="ended"]', { timeout: 30_000 })
  await agent.selectOption('#disposition', { index: 0 })
  await agent.fill('#notes', 'browser scenario')
  await agent.click('#wrapup-form button')
  await agent.waitForSelector('#wrapup-result[data-saved]')
  await agent.click('#btn-ready')
  await agent.waitForSelector('#agent-state[data-presence="ready"]')
  await boss.waitForSelector(`tr[data-agent="${who.agentId}"] td[data-field="presence"]:text-is("ready")`)

  // The call's record on the supervisor's page: searched by agent, then exported.
  await boss.fill('#cdr-agent', who.agentId)
  await boss.selectOption('#cdr-outcome', 'answered')
  await boss.click('#btn-cdr-search')
  await boss.waitForSelector(`#cdr-rows tr td[data-field="agent"]:text-is("${who.agentId}")`)
  t.match(await boss.textContent('#cdr-rows tr td[data-field="caller"]'), center.sample.caller)
  t.equal(await boss.textContent('#cdr-rows tr td[data-field="outcome"]'), 'answered')
  const download = boss.waitForEvent('download')
  await boss.click('#btn-cdr-csv')
  const file = await download
  const csv = readFileSync(await file.path(), 'utf8')
  t.match(csv, /^\uFEFFcallId,arrivedAt,/, 'a CSV for Excel')
  t.match(csv, new RegExp(`,${center.sample.caller},.*,${who.agentId},answered,`), 'with the call')
  await boss.selectOption('#cdr-outcome', 'abandoned')
  await boss.click('#btn-cdr-search')
  await boss.waitForFunction("document.querySelector('#cdr-result').textContent.startsWith('0 ')")
  t.pass('a filter with no match shows none')
})

/** Logs in through the API, as a script would: the bearer token. */
async function token(url: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  return ((await r.json()) as { token: string }).token
}

t.test('the agent desk drives a real call: hold and resume (also by Alt+H), a consulted transfer completed, the wrap-up in the history, a work order filed and moved', { skip: skip ?? false, timeout: 120_000 }, async (t) => {
  const center = await startCenter({ port: 0, sim: { agentPhones: { answerAfterMs: 500 } } })
  t.teardown(() => center.stop())
  const browser = await launch()
  t.teardown(() => browser.close())
  const { agent: who, supervisor } = center.people
  const open = async (username: string) => {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${center.url}/console/`)
    await page.fill('#username', username)
    await page.fill('#password', who.password)
    await page.click('#login-form button')
    await page.waitForSelector('#stream-state[data-state="open"]')
    return page
  }
  const lin = await open(who.username)
  const chen = await open('chen')
  await lin.click('#btn-ready')
  await lin.waitForSelector('#agent-state[data-presence="ready"]')

  const caller = center.sim.call({ did: center.sample.did, caller: center.sample.caller })
  for (const keys of center.sample.keys) caller.press(keys)
  await lin.waitForSelector('#pop[data-status="answered"]', { timeout: 30_000 })
  await lin.waitForSelector('#agent-state[data-activity="on-call"]')

  await lin.click('#btn-hold')
  await lin.waitForSelector('#call-result[data-outcome]:not([data-outcome="pending"])', { timeout: 30_000 })
  t.equal(await lin.getAttribute('#call-result', 'data-outcome'), 'ok', `hold: ${await lin.textContent('#call-result') ?? ''}`)
  await lin.waitForSelector('#agent-state[data-held="true"]')
  t.ok(await lin.isEnabled('#btn-unhold'), 'resume offered while held')
  t.ok(await lin.isDisabled('#btn-hold'), 'hold not offered twice')
  await lin.keyboard.press('Alt+H')
  await lin.waitForSelector('#agent-state[data-held="false"][data-activity="on-call"]')
  t.match(await lin.textContent('#call-result'), /resumed/, 'Alt+H took the caller back')

  await chen.click('#btn-ready')
  await chen.waitForSelector('#agent-state[data-presence="ready"]')
  await lin.fill('#transfer-to', 'chen')
  await lin.click('#btn-transfer-consult')
  await lin.waitForSelector('#controls[data-consulting="true"]', { timeout: 30_000 })
  t.ok(await lin.isEnabled('#btn-transfer-complete') && await lin.isEnabled('#btn-transfer-cancel'), 'complete and cancel offered during the consultation')
  t.ok(await lin.isDisabled('#btn-transfer-blind'), 'no second transfer during the consultation')
  await lin.click('#btn-transfer-complete')
  await lin.waitForSelector('#agent-state[data-activity="wrap-up"]', { timeout: 30_000 })
  await chen.waitForSelector('#pop[data-status="answered"]', { timeout: 30_000 })
  t.match(await chen.textContent('#pop-transfer'), /lin/, 'chen sees who handed the call over')
  t.equal(await chen.textContent('#pop-account'), center.sample.account)
  t.ok(await lin.isDisabled('#btn-hangup'), 'lin has no call to control any more')

  await lin.fill('#notes', '咨询后转给陈 · handed to chen after a consultation')
  await lin.click('#wrapup-form button')
  await lin.waitForSelector('#wrapup-result[data-saved]')
  await lin.waitForFunction("document.querySelector('#contacts').textContent.includes('handed to chen')", undefined, { timeout: 10_000 })
  t.pass('the saved wrap-up shows in the history at once')

  await chen.selectOption('#wo-type', 'repair')
  await chen.fill('#wo-summary', '机顶盒无信号 · no signal on the box')
  await chen.click('#btn-wo-create')
  await chen.waitForSelector('#work-order-result[data-order]')
  const reference = await chen.inputValue('#wo-id')
  t.match(reference, /^R\d+$/, 'the reference to read to the caller')
  await chen.selectOption('#wo-status', 'in-progress')
  await chen.click('#btn-wo-move')
  await chen.waitForFunction("/assigned/.test(document.querySelector('#work-order-result').textContent)")
  t.match(await chen.textContent('#work-order-result'), /new.*assigned|assigned/, 'a move the order cannot make yet says why')
  const boss = await token(center.url, supervisor.username, who.password)
  const orders = await fetch(`${center.url}/api/v1/work-orders/${reference}`, { headers: { authorization: `Bearer ${boss}` } }).then((r) => r.json() as Promise<{ id: number }>)
  await fetch(`${center.url}/api/v1/work-orders/${orders.id}/assign`, { method: 'POST', headers: { authorization: `Bearer ${boss}`, 'content-type': 'application/json' }, body: JSON.stringify({ assignee: 'team-3' }) })
  await chen.click('#btn-wo-move')
  await chen.waitForFunction("/in-progress/.test(document.querySelector('#work-order-result').textContent)")
  t.pass('moved by its reference once assigned')

  await chen.keyboard.press('Alt+X')
  await chen.waitForSelector('#pop[data-status="ended"]', { timeout: 30_000 })
  t.ok(await chen.isDisabled('#btn-hold'), 'no call controls after the hang-up')
})

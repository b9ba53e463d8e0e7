/**
 * The console pages in a real headless chromium against the harness (users, screen-pop and
 * supervision routes; the ACD's events published by the test in the ACD's own order).
 */
import t from 'tap'
import { agentId, callId, offerId, queueId } from '../../src/shared/index.ts'
import { launch, whyNoBrowser } from './browser.ts'
import { startHarness } from './harness.ts'

const PASSWORD = 'correct horse battery'
const skip = whyNoBrowser()
/** The pushes the page received, in order, as `type:status-or-activity` (evaluated in the page). */
const EVENTS = "window.consoleEvents.map((e) => e.type + ':' + (e.status || e.activity || ''))"

t.test('agent console and wallboard follow one call from offer to wrap-up', { skip: skip ?? false, timeout: 60_000 }, async (t) => {
  const h = await startHarness()
  t.teardown(() => h.stop())
  const browser = await launch()
  t.teardown(() => browser.close())
  await h.addUser('mei', PASSWORD, 'agent', 'mei')
  await h.addUser('boss', PASSWORD, 'supervisor')
  h.customers.set('100200300', { account: '100200300', name: '王芳', phones: ['13800000051'], address: '鼓楼区中山路1号', area: 'gulou', tier: 'gold', services: ['dtv'], balanceFen: 0, arrearsFen: 4500, status: 'active' })

  const agent = await browser.context.newPage()
  await agent.goto(`${h.url}/console/`)
  await agent.fill('#password', 'wrong password!')
  await agent.fill('#username', 'mei')
  await agent.click('#login-form button')
  await agent.waitForFunction("document.querySelector('#login-error').textContent.length > 1")
  t.match(await agent.textContent('#login-error'), /./, 'a wrong password is shown, not swallowed')
  await agent.fill('#password', PASSWORD)
  await agent.click('#login-form button')
  await agent.waitForSelector('#desk:not(.hidden)')
  await agent.waitForSelector('#stream-state[data-state="open"]')

  await agent.selectOption('#not-ready-reason', 'lunch')
  await agent.click('#btn-not-ready')
  await agent.waitForSelector('#agent-state[data-presence="not-ready"]')
  t.match(await agent.textContent('#agent-state'), /lunch/)
  await agent.click('#btn-ready')
  await agent.waitForSelector('#agent-state[data-presence="ready"]')

  const boss = await browser.context.newPage()
  await boss.goto(`${h.url}/console/supervisor.html`)
  await boss.fill('#username', 'boss')
  await boss.fill('#password', PASSWORD)
  await boss.click('#login-form button')
  await boss.waitForSelector('tr[data-queue="repair"] td[data-field="answered"]')
  t.equal(await boss.textContent('tr[data-queue="repair"] td[data-field="answered"]'), '0')

  // A caller came through the IVR with an account; the ACD queues, then offers to mei.
  const c1 = callId('c1')
  h.calls.set(c1, { caller: '13800000051', did: '96200', region: 'gulou', arrivedAt: Date.now() - 30_000, ivrPath: ['main/welcome', 'main/menu', 'repair/account'], facts: { account: '100200300', menu: '2' } })
  h.tell({ kind: 'call-waiting', call: c1, queue: queueId('repair'), tier: 'gold', position: 1 })
  await boss.waitForSelector('tr[data-queue="repair"] td[data-field="waiting"]:text-is("1")')
  h.tell({ kind: 'agent-state-changed', agent: agentId('mei'), presence: { kind: 'ready', since: Date.now() }, activity: { kind: 'ringing', offer: offerId('c1/1'), call: c1, deadline: Date.now() + 20_000, idleSince: Date.now(), since: Date.now() }, registered: true })
  h.tell({ kind: 'call-offered', offer: offerId('c1/1'), call: c1, agent: agentId('mei'), queue: queueId('repair') })

  await agent.waitForSelector('#pop[data-status="ringing"]')
  t.equal(await agent.textContent('#pop-account'), '100200300')
  await agent.waitForSelector('#pop-name:text-is("王芳")')
  t.match(await agent.textContent('#pop-path'), 'main/menu')
  const order = await agent.evaluate<string[]>(EVENTS)
  t.ok(order.indexOf('pop:offered') >= 0 && order.indexOf('pop:offered') < order.indexOf('agent-state:ringing'), `the pop came before ringing: ${order.join(' ')}`)

  h.tell({ kind: 'call-answered', call: c1, agent: agentId('mei'), queue: queueId('repair'), waited: 5000 })
  h.tell({ kind: 'agent-state-changed', agent: agentId('mei'), presence: { kind: 'ready', since: Date.now() }, activity: { kind: 'on-call', call: c1, queue: queueId('repair'), since: Date.now() }, registered: true })
  await agent.waitForSelector('#pop[data-status="answered"]')
  await boss.waitForSelector('tr[data-queue="repair"] td[data-field="answered"]:text-is("1")')
  t.equal(await boss.textContent('tr[data-queue="repair"] td[data-field="sl"]'), '100%')
  t.equal(await boss.textContent('tr[data-agent="mei"] td[data-field="activity"]'), 'on-call')

  h.tell({ kind: 'agent-state-changed', agent: agentId('mei'), presence: { kind: 'ready', since: Date.now() }, activity: { kind: 'wrap-up', call: c1, until: Date.now() + 30_000, since: Date.now() }, registered: true })
  await agent.waitForSelector('#pop[data-status="ended"]')
  await agent.selectOption('#disposition', 'resolved')
  await agent.fill('#notes', '重启机顶盒后恢复 · rebooted the box')
  await agent.click('#wrapup-form button')
  await agent.waitForSelector('#wrapup-result[data-saved="c1"]')
  t.match(h.dispositions, [{ call: 'c1', agent: 'mei', code: 'resolved', account: '100200300', notes: /rebooted/ }])

  await agent.click('#btn-ready')
  await agent.waitForSelector('#agent-state[data-activity="idle"][data-presence="ready"]')
  await boss.waitForSelector('tr[data-agent="mei"] td[data-field="activity"]:text-is("idle")')

  // The site's own alarm (a full disk) reaches the wallboard, and goes when it clears.
  t.ok(await boss.isHidden('#alarms'), 'no alarm strip while all is well')
  h.alarms.push({ code: 'store-refusing-writes', severity: 'critical', message: 'The database refuses writes (database or disk is full): 3 call records held in memory until it takes them', since: Date.now() })
  h.checkAlarms()
  await boss.waitForSelector('#alarms:not(.hidden) li[data-code="store-refusing-writes"][data-severity="critical"]')
  t.match(await boss.textContent('#alarm-list'), /disk is full/)
  h.alarms.length = 0
  h.checkAlarms()
  await boss.waitForSelector('#alarms.hidden', { state: 'attached' })
})

t.test('a console reloaded mid-offer shows the current pop again', { skip: skip ?? false, timeout: 60_000 }, async (t) => {
  const h = await startHarness()
  t.teardown(() => h.stop())
  const browser = await launch()
  t.teardown(() => browser.close())
  await h.addUser('lin', PASSWORD, 'agent', 'lin')
  const page = await browser.context.newPage()
  await page.goto(`${h.url}/console/`)
  await page.fill('#username', 'lin')
  await page.fill('#password', PASSWORD)
  await page.click('#login-form button')
  await page.waitForSelector('#stream-state[data-state="open"]')
  h.calls.set(callId('c9'), { caller: '13900000009', did: '96200', region: undefined, arrivedAt: Date.now(), ivrPath: [], facts: { account: '555666777' } })
  h.tell({ kind: 'call-offered', offer: offerId('c9/1'), call: callId('c9'), agent: agentId('lin'), queue: queueId('repair') })
  await page.waitForSelector('#pop:not(.hidden)')
  await page.reload()
  await page.waitForSelector('#pop:not(.hidden)')
  t.equal(await page.textContent('#pop-account'), '555666777', 'the token survived the reload in sessionStorage and the pop was replayed')
  t.equal(await page.textContent('#pop-name'), '未知客户 · unknown')
})

/**
 * The console pages in a real headless chromium against the harness (users, screen-pop and
 * supervision routes; the ACD's events published by the test in the ACD's own order).
 */
import t from 'tap'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  t.match(await agent.textContent('#pop-path'), 'main › welcome → main › menu → repair › account', 'the IVR path in words')
  const order = await agent.evaluate<string[]>(EVENTS)
  t.ok(order.indexOf('pop:offered') >= 0 && order.indexOf('pop:offered') < order.indexOf('agent-state:ringing'), `the pop came before ringing: ${order.join(' ')}`)

  h.tell({ kind: 'call-answered', call: c1, agent: agentId('mei'), queue: queueId('repair'), waited: 5000 })
  h.tell({ kind: 'agent-state-changed', agent: agentId('mei'), presence: { kind: 'ready', since: Date.now() }, activity: { kind: 'on-call', call: c1, queue: queueId('repair'), since: Date.now() }, registered: true })
  await agent.waitForSelector('#pop[data-status="answered"]')
  await boss.waitForSelector('tr[data-queue="repair"] td[data-field="answered"]:text-is("1")')
  t.equal(await boss.textContent('tr[data-queue="repair"] td[data-field="sl"]'), '100%')
  t.equal(await boss.textContent('tr[data-agent="mei"] td[data-field="activity"]'), 'on-call')
  t.equal(await boss.textContent('#agent-counts [data-state="on-call"] b'), '1', 'the count of agents on a call')
  t.equal(await boss.textContent('#agent-counts [data-state="available"] b'), '0')

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
  await boss.waitForSelector('#agent-counts [data-state="available"] b:text-is("1")')
  t.equal(await boss.textContent('#agent-counts [data-state="on-call"] b'), '0', 'counts follow the agents')

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

t.test('the desk between two calls: nothing of the last call stays, raw fields are words and yuan, no clipping at 1366 px', { skip: skip ?? false, timeout: 60_000 }, async (t) => {
  const h = await startHarness()
  t.teardown(() => h.stop())
  const browser = await launch()
  t.teardown(() => browser.close())
  await h.addUser('mei', PASSWORD, 'agent', 'mei')
  const long = '江苏省南京市鼓楼区中山北路一百二十三号金陵花园小区十七幢二单元一千八百零六室（东门进，电梯右转第二户）'
  h.customers.set('100200300', { account: '100200300', name: '王芳', phones: ['13800000051'], address: long, area: 'gulou', tier: 'gold', services: ['dtv', 'broadband'], balanceFen: -8800, arrearsFen: 8800, status: 'active' })
  const page = await browser.context.newPage()
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto(`${h.url}/console/`)
  await page.fill('#username', 'mei')
  await page.fill('#password', PASSWORD)
  await page.click('#login-form button')
  await page.waitForSelector('#stream-state[data-state="open"]')
  await page.click('#btn-ready')
  await page.waitForSelector('#agent-state[data-presence="ready"]')
  t.equal(await page.textContent('#presence-error'), '', 'a presence change that worked shows no error mark')
  for (const id of ['btn-hold', 'btn-unhold', 'btn-hangup', 'btn-transfer-blind', 'btn-transfer-consult', 'btn-transfer-complete', 'btn-transfer-cancel', 'btn-save']) {
    t.ok(await page.isDisabled(`#${id}`), `${id} disabled with no call`)
  }
  await page.keyboard.press('Alt+X')
  t.equal(await page.textContent('#call-result'), '', 'a shortcut for a disabled control does nothing')

  const mei = agentId('mei')
  const now = () => Date.now()
  const state = (activity: Parameters<typeof h.tell>[0] extends infer E ? E extends { kind: 'agent-state-changed'; activity: infer A } ? A : never : never) =>
    h.tell({ kind: 'agent-state-changed', agent: mei, presence: { kind: 'ready', since: now() }, activity, registered: true })
  const c1 = callId('c1')
  h.calls.set(c1, {
    caller: '13800000051', did: '96200', region: 'gulou', arrivedAt: now() - 30_000, ivrPath: ['main/welcome', 'main/main-menu', 'main/main-menu', 'billing/balance'],
    facts: { account: '100200300', service: '2', 'customer.balance': -8800, 'customer.bill-amount': null, caller: '13800000051' },
  })
  h.tell({ kind: 'call-offered', offer: offerId('c1/1'), call: c1, agent: mei, queue: queueId('repair') })
  state({ kind: 'on-call', call: c1, queue: queueId('repair'), since: now() })
  h.tell({ kind: 'call-answered', call: c1, agent: mei, queue: queueId('repair'), waited: 5000 })
  await page.waitForSelector('#pop[data-status="answered"]')
  await page.waitForSelector('#pop-name:text-is("王芳")')
  t.equal(await page.textContent('#pop-arrears'), '¥88.00', 'arrears in yuan')
  t.equal(await page.textContent('#pop-balance'), '¥-88.00')
  t.equal(await page.textContent('#pop-path'), 'main › welcome → main › main menu → billing › balance')
  const facts = await page.textContent('#pop-facts') ?? ''
  t.notMatch(facts, /customer\.|null|-8800/, `no raw CRM copies, nulls or fen among the caller's facts: ${facts}`)
  t.match(facts, /选择 · chose: 2/)
  t.ok(await page.isEnabled('#btn-hold'), 'hold enabled on a call')
  t.ok(await page.isDisabled('#btn-unhold'), 'resume disabled while not held')
  t.ok(await page.isDisabled('#btn-transfer-complete'), 'complete disabled with no consultation')
  for (const size of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    await page.setViewportSize(size)
    const clipped = await page.evaluate<string[]>("[...document.querySelectorAll('#pop dd, #pop li')].filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => d.id || d.textContent)")
    t.same(clipped, [], `nothing in the pop card is cut off at ${size.width} px`)
    t.ok(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'), `no sideways scrolling at ${size.width} px`)
    await page.screenshot({ path: join(tmpdir(), `hotline-desk-${size.width}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1366, height: 768 })

  state({ kind: 'wrap-up', call: c1, until: now() + 30_000, since: now() })
  await page.waitForSelector('#pop[data-status="ended"]')
  t.ok(await page.isDisabled('#btn-hangup'), 'no call controls once the call has ended')
  await page.selectOption('#disposition', 'work-order-created')
  await page.fill('#notes', '王女士的旧备注 · the last caller\'s notes')
  await page.keyboard.press('Alt+S')
  await page.waitForSelector('#wrapup-result[data-saved="c1"]')
  t.match(h.dispositions, [{ call: 'c1', code: 'work-order-created', notes: /旧备注/ }], 'Alt+S saved the wrap-up')
  t.ok(await page.isVisible('#pop'), 'the card stays while the wrap-up time runs')
  state({ kind: 'idle', since: now() })
  await page.waitForSelector('#pop.hidden', { state: 'attached' })

  // The next caller: nobody on file.
  const c2 = callId('c2')
  h.calls.set(c2, { caller: '13700000002', did: '96200', region: 'jianye', arrivedAt: now(), ivrPath: [], facts: {} })
  h.tell({ kind: 'call-offered', offer: offerId('c2/1'), call: c2, agent: mei, queue: queueId('repair') })
  await page.waitForSelector('#pop[data-call="c2"]:not(.hidden)')
  t.equal(await page.inputValue('#notes'), '', 'the last call\'s notes are gone')
  t.equal(await page.textContent('#wrapup-result'), '', 'and its "saved"')
  t.equal(await page.getAttribute('#wrapup-result', 'data-saved'), null, 'and its saved mark')
  t.equal(await page.inputValue('#disposition'), 'resolved', 'the disposition is back to the first')
  t.equal(await page.inputValue('#wo-area'), 'jianye', 'an unknown caller\'s work order gets the area of the number they called')
  t.equal(await page.$$eval('#contacts tr', (r) => r.length), 0, 'no history of the last customer')
  h.tell({ kind: 'offer-cancelled', offer: offerId('c2/1'), call: c2, agent: mei, reason: 'caller-hung-up' })
  await page.waitForSelector('#pop.hidden', { state: 'attached' })
  t.match(await page.textContent('#call-result'), /missed call from 13700000002/)
})

/**
 * The full scenario against the whole center (ACD + IVR + users + CRM, composed as the demo does
 * in test/support/center.ts, over the FreeSWITCH simulator): an agent logs in and goes ready, a
 * simulated caller walks the IVR into the queue, the pop shows the caller's account before the
 * ringing state, the agent's phone answers, the agent writes a disposition and goes ready again,
 * and the wallboard moves. Skips with a message when chromium is missing.
 */
import t from 'tap'
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
})

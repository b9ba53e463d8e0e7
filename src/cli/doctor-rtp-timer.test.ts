// `hotline doctor` end to end against the simulated switch: the SIP profiles' RTP timer.
import t, { type Test } from 'tap'
import { kitSwitch, startSimulator, type SimulatorOptions } from '../sim/index.ts'
import { runCli } from './run.ts'
import { captured, site } from './site.test-support.ts'

type Check = { id: string; status: string; detail: string; hint: string }

async function doctor(t: Test, sw: Partial<SimulatorOptions>) {
  const sim = await startSimulator({ ...sw, password: 'site-secret' })
  t.teardown(() => sim.close())
  const c = captured(site(t))
  const code = await runCli(['doctor', '--json', '--esl-port', String(sim.port), '--esl-password', 'site-secret'], {}, c.io)
  const checks = (JSON.parse(c.out()) as { checks: Check[] }).checks
  return { code, check: (id: string): Check | undefined => checks.find((x) => x.id === id) }
}

t.test("the kit's switch passes the RTP timer check on both profiles", async (t) => {
  const { check } = await doctor(t, kitSwitch)
  t.match(check('rtp-timer'), { status: 'pass', detail: 'internal: soft, external: soft' })
})

t.test('a trunk profile without rtp-timer-name fails the run, naming the profile and the line to add', async (t) => {
  const { code, check } = await doctor(t, { ...kitSwitch, rtpTimers: { internal: 'soft' } })
  t.match(check('rtp-timer'), { status: 'fail', detail: /^no rtp-timer-name on external: .*5 s late/, hint: /rtp-timer-name" value="soft".*sip_profiles\/external\.xml/ })
  t.equal(code, 1)
})

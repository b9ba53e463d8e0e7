import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { FakeClock, ok } from '../shared/index.ts'
import { judgeRtpTimer, KIT_PROFILES, RTP_TIMER_COMMAND } from '../doctor/index.ts'
import { kitSwitch, startSimulator, type SimulatorOptions } from './index.ts'
import { RawEslClient } from './test-client.ts'

// What the real switch (1.11.3-dev) answered for the kit, and for a configuration it does not have.
const real = (n: string): string => readFileSync(new URL(`../../test/fixtures/freeswitch-replies/${n}`, import.meta.url), 'latin1')

async function api(t: Test, opts: Partial<SimulatorOptions>) {
  const sim = await startSimulator({ password: 'pw', clock: new FakeClock(), ...opts })
  const c = await RawEslClient.login(sim.port, 'pw')
  t.teardown(async () => { c.close(); await sim.close() })
  return (cmd: string) => c.api(cmd)
}

const paramLines = (body: string): string[] => body.split('\n').filter((l) => l.includes('rtp-timer-name'))

t.test("the kit switch's sofia.conf reads like the real switch's: the same verdict, the same param lines", async (t) => {
  const sim = await (await api(t, kitSwitch))(RTP_TIMER_COMMAND)
  const fs = real('xml-locate-sofia-conf.txt')
  t.same(judgeRtpTimer(KIT_PROFILES, ok(sim)), judgeRtpTimer(KIT_PROFILES, ok(fs)))
  t.equal(judgeRtpTimer(KIT_PROFILES, ok(sim)).status, 'pass')
  t.same(paramLines(sim).sort(), paramLines(fs).sort())
  t.match(sim, /^<configuration name="sofia\.conf" description="SIP">\n/)
  t.match(sim, /<\/configuration>\n$/)
})

t.test('a profile the setup gives no timer has no rtp-timer-name in sofia.conf, and doctor fails it', async (t) => {
  const a = await api(t, { ...kitSwitch, rtpTimers: { internal: 'soft' } })
  const c = judgeRtpTimer(KIT_PROFILES, ok(await a(RTP_TIMER_COMMAND)))
  t.match(c, { status: 'fail', detail: /^no rtp-timer-name on external:/ })
})

t.test('by default every running profile has the soft timer, as the stock configuration', async (t) => {
  const a = await api(t, { profiles: ['internal'] })
  t.match(judgeRtpTimer(['internal'], ok(await a(RTP_TIMER_COMMAND))), { status: 'pass', detail: 'internal: soft' })
})

t.test("another configuration is not found, as on the real switch, and a lookup of 2 words is -ERR bad args", async (t) => {
  const a = await api(t, {})
  t.equal(await a('xml_locate configuration configuration name nosuch.conf'), real('xml-locate-not-found.txt'))
  t.equal(await a('xml_locate configuration configuration'), '-ERR bad args\n')
  t.equal(await a('xml_locate'), '-ERR bad args\n')
})

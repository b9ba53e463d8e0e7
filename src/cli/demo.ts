/**
 * `hotline demo` (`npm run demo`): the whole center on one machine — the built-in FreeSWITCH
 * simulator, Hotline connected to it over real ESL, the API, and sample callers and agents.
 * The simulator is a test double: only this command and the tests start it, never `start`.
 */
import { randomBytes } from 'node:crypto'
import { compose, createCenter, createLogger, loadConfig } from '../app/index.ts'
import { shiftedClock } from '../shared/index.ts'
import { startSampleTraffic, kitSwitch, startSimulator, type CallerScript } from '../sim/index.ts'
import { openStore } from '../store/index.ts'
import type { Command } from './command.ts'
import { DEMO_OPENS_AT, DEMO_PHONES, seedDemo } from './demo-seed.ts'
import { narrateAcd, narrateCall, narrateSms } from './demo-narrator.ts'

/** The sample center's time zone (Nanjing), for the narrated clock. */
const TIME_ZONE = 'Asia/Shanghai'


/** What sample callers do on the cable-TV hotline (ivr-scripts/): keys after each prompt. */
export const DEMO_SCRIPTS: readonly CallerScript[] = [
  { name: 'balance', did: '96200', steps: [{ afterMs: 5000, press: '1' }, { afterMs: 30000, hangup: true }] },
  { name: 'fault report', did: '96200', steps: [{ afterMs: 5000, press: '2' }, { afterMs: 4000, press: '1234567#' }, { afterMs: 40000, hangup: true }] },
  { name: 'agent', did: '96200', steps: [{ afterMs: 5000, press: '0' }, { afterMs: 90000, hangup: true }] },
  { name: 'agent', did: '96200', steps: [{ afterMs: 5000, press: '0' }, { afterMs: 60000, hangup: true }] },
  { name: 'hang up early', did: '96200', steps: [{ afterMs: 2000, hangup: true }] },
]

const DEMO_CALLERS = [
  { number: '13800000001', name: 'Wang Fang' },
  { number: '13800000002', name: 'Li Wei' },
  { number: '13800000003', name: 'Zhang Min' },
  { number: '13900000004', name: 'Jos\u00e9 Chen' },
  { number: '02584000005', name: 'Liu Yang' },
]

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the whole center against the built-in FreeSWITCH simulator, with sample traffic',
  options: { 'no-traffic': { type: 'boolean' } },
  async run(args, ctx) {
    const file = args.values['config']
    // The simulator gets a fresh random password: even the demo never uses ClueCon.
    const password = randomBytes(12).toString('base64url')
    const loaded = loadConfig({ env: ctx.env, cwd: ctx.io.cwd, file: typeof file === 'string' ? file : undefined, overrides: { esl: { password } } })
    if (!loaded.ok) {
      ctx.io.stderr.write(`hotline demo: ${loaded.error.message}\n`)
      return 1
    }
    const config = loaded.value
    // The demo narrates in plain lines (demo-narrator.ts); the process log shows warnings only,
    // made readable, unless HOTLINE_LOG_LEVEL asks for more.
    const asked = ctx.env['HOTLINE_LOG_LEVEL'] !== undefined && ctx.env['HOTLINE_LOG_LEVEL'] !== ''
    const log = await createLogger({ ...config.log, pretty: ctx.io.logDestination === undefined, level: asked ? config.log.level : 'warn' }, ctx.io.logDestination)
    const say = (line: string | undefined): void => void (line !== undefined && ctx.io.stdout.write(`${line}\n`))
    // Real time, read from Monday 10:00 in Shanghai: the sample center is open whenever the demo runs.
    const clock = shiftedClock(DEMO_OPENS_AT)
    // The seed's desk phones, as SIP users that answer after a couple of seconds.
    // The kit's domain (hotline.local), as the demo's Hotline dials the phones there (phones.domain).
    const sim = await startSimulator({ password, clock, domain: kitSwitch.domain, directory: kitSwitch.directory, phones: Object.fromEntries(DEMO_PHONES.map((u) => [u, { kind: 'auto-answer', afterMs: 2000 }])) })
    const store = openStore(config.db, ctx.io.cwd)
    // No SMS gateway in the demo: the messages the IVR sends are shown instead of failing.
    const smsGateway = { send: (m: { to: string; text: string }) => (say(narrateSms(m.to, m.text, clock.now(), TIME_ZONE)), Promise.resolve({ kind: 'sent' as const })) }
    const center = createCenter({ config, store, log, clock, esl: { host: sim.host, port: sim.port, password }, cwd: ctx.io.cwd, smsGateway })
    center.link.callEvents.subscribe((e) => say(narrateCall(e, clock.now(), TIME_ZONE)))
    center.acd.bus.subscribe((n) => say(narrateAcd(n, TIME_ZONE)))
    const hotline = compose(config, { store, log, switchStatus: () => center.switchStatus(), version: ctx.version, center })
    try {
      await hotline.start()
    } catch (e) {
      ctx.io.stderr.write(`hotline demo: ${e instanceof Error ? e.message : String(e)}\n`)
      await hotline.stop()
      await sim.close()
      return 1
    }
    const logins = await seedDemo(center, store)
    // Agents log in and go ready, as they would from their phones (*21, *23).
    for (const a of logins.agents) center.acd.presence(a, { state: 'ready' })
    const at = hotline.address()
    const base = `http://${at?.host}:${at?.port}`
    ctx.io.stdout.write([
      '', 'Hotline demo running — Ctrl-C stops. Its five agents are scripted: their phones answer by themselves after 2 s.',
      `  health:     ${base}/api/v1/health`,
      `  console:    ${base}/console/            (agents: ${logins.users.filter((u) => u.role === 'agent').map((u) => u.username).join(', ')})`,
      `  supervisor: ${base}/console/supervisor.html (supervisor)`,
      `  API docs:   ${base}/api/v1/openapi.json  (admin)`,
      `  password for every demo user this run: ${logins.password}`,
      `  switch (the simulator's ESL): ${sim.host}:${sim.port}, password ${password}`,
      '', 'Sample callers dial every 8 s; what happens to each is told below.', '', '',
    ].join('\n'))
    const traffic = args.values['no-traffic'] === true ? undefined : startSampleTraffic(sim, clock, {
      everyMs: 8000, scripts: DEMO_SCRIPTS, callers: DEMO_CALLERS,
    })
    const signal = await ctx.io.stopRequested()
    say(`demo: stopping (${signal}) after ${traffic?.placed ?? 0} sample callers`)
    traffic?.stop()
    await hotline.stop()
    await sim.close()
    return 0
  },
}

/**
 * npm run bench:live — Hotline's ACD against FreeSWITCH's own mod_callcenter, in one run, on the
 * lab's kit PBX with the same registered desk phone (baresip, extension 2001), timed by when a
 * monitoring connection received the switch's events (SwitchWatch.seenAt; the events' own
 * timestamps move in timer ticks):
 * - live-offer: caller queued → the agent's leg created (CHANNEL_CREATE). Hotline: from the end
 *   of the enqueue node's prompt on the caller's leg (the IVR's last application);
 *   mod_callcenter: from its `callcenter` app starting on the caller's leg.
 * - live-next-offer: a caller waiting, the agent made free (Hotline: presence ready through the
 *   API; mod_callcenter: `callcenter_config agent set status … Available`) → the agent's leg created.
 * Each sample ends by hanging the caller up before the phone answers. Lower is better.
 * - live-cps: calls per second through IVR → queue → agent before the switch or Hotline
 *   saturates, with Hotline's CPU per call beside FreeSWITCH's (see cps below).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EslEvent } from '../../src/esl/index.ts'
import { percentile, fmt } from '../measure.ts'
import { startLab, placeTrunkCall, callerPresses, type Lab } from '../../test/live/support/lab.ts'
import { journey } from '../../test/live/support/caller-journey.ts'
import { must } from '../../test/live/support/hotline-api.ts'
import { setUpAgents } from '../../test/live/support/agents.ts'
import { remoteAgent } from '../../test/live/support/remote-agents.ts'
import { labUnavailable } from '../../test/live/support/freeswitch-instance.ts'

const SAMPLES = Number(process.env['BENCH_LIVE_SAMPLES'] ?? 20)

const why = labUnavailable()
if (why) {
  console.log(`bench:live skipped: ${why}`)
  process.exit(0)
}

const teardowns: Array<() => unknown> = []
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) }
let lab: Lab | undefined
try {
  // A site's log level, and IVR ports enough that live-cps finds where the switch or Hotline
  // saturates rather than the site's 30-port limit.
  lab = await startLab(t, { hotline: { log: '{ level: info }' }, ivrPorts: 240 })
  await run(lab)
  await cps(lab)
} finally {
  for (const fn of teardowns.reverse()) await Promise.resolve(fn()).catch(() => undefined)
}

async function run(lab: Lab): Promise<void> {
  await must(lab.admin.call('PUT', '/queues/general', { wrapUp: 0, ringTimeout: 30_000, noAnswer: { noAnswerDelay: 0, busyDelay: 0, rejectDelay: 0, unreachableDelay: 0, maxNoAnswer: 100 } }), 'the queue')
  const lin = (await setUpAgents(t, lab, [{ id: 'lin', extension: '2001' }])).get('lin')!
  const w = lab.pbxWatch
  const agentLegOf = (pred: (e: EslEvent) => boolean, since: number) => w.next((e) => e.name === 'CHANNEL_CREATE' && pred(e), 'the agent leg', { since, timeoutMs: 30_000 })
  const gone = (uuid: string, since: number) => w.next((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.header('Unique-ID') === uuid, 'the agent leg gone', { since, timeoutMs: 30_000 })
  const hotlineLeg = (e: EslEvent): boolean => e.header('variable_hotline_agent') === 'lin'

  // Hotline, live-offer.
  const hOffer: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const since = w.mark
    const call = await placeTrunkCall(lab, { from: `1380000${String(9000 + i)}` })
    await journey(lab, call, since).menu('zh/main-menu.wav')
    const leg = agentLegOf(hotlineLeg, since)
    await callerPresses(lab, call, '0')
    const l = await leg
    // Queued: the enqueue node's prompt (please-hold) done on the caller's leg — the last
    // application the caller's leg finished before the agent's leg was created.
    const upTo = w.events.indexOf(l)
    const queued = w.events.slice(since, upTo).reverse().find((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.header('Unique-ID') === call.leg)
    if (!queued) throw new Error('no application finished on the caller leg before the offer')
    hOffer.push(w.seenAt(l) - w.seenAt(queued))
    const end = gone(l.header('Unique-ID') ?? '', since)
    await lab.carrierWatch.api(`uuid_kill ${call.far}`)
    await end
  }
  // Hotline, live-next-offer.
  const hNext: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    await must(lin.api.call('POST', '/agents/lin/presence', { state: 'not-ready', reason: 'break' }), 'lin away')
    const since = w.mark
    const call = await placeTrunkCall(lab, { from: `1390000${String(9000 + i)}` })
    const j = journey(lab, call, since)
    await j.menu('zh/main-menu.wav')
    const held = j.next((e) => e.name === 'CHANNEL_EXECUTE' && (e.header('Application-Data') ?? '').includes('local_stream://moh'), 'on hold', { timeoutMs: 30_000 })
    await callerPresses(lab, call, '0')
    await held
    const leg = agentLegOf(hotlineLeg, w.mark)
    const t0 = performance.timeOrigin + performance.now()
    await must(lin.api.call('POST', '/agents/lin/presence', { state: 'ready' }), 'lin ready')
    const l = await leg
    hNext.push(w.seenAt(l) - t0)
    const end = gone(l.header('Unique-ID') ?? '', since)
    await lab.carrierWatch.api(`uuid_kill ${call.far}`)
    await end
  }
  progress('Hotline', hOffer, hNext)
  await must(lin.api.call('POST', '/agents/lin/presence', { state: 'logged-out' }), 'lin logged out of Hotline')

  // mod_callcenter on the same switch and phone (mod_callcenter.c; its queue in callcenter.conf).
  writeFileSync(join(lab.kit.confDir, 'autoload_configs', 'callcenter.conf.xml'), `<configuration name="callcenter.conf" description="CallCenter">
  <settings/>
  <queues>
    <queue name="bench">
      <param name="strategy" value="longest-idle-agent"/>
      <param name="moh-sound" value="local_stream://moh"/>
      <param name="time-base-score" value="system"/>
      <param name="tier-rules-apply" value="false"/>
      <param name="discard-abandoned-after" value="5"/>
    </queue>
  </queues>
  <agents/>
  <tiers/>
</configuration>
`)
  const api = async (cmd: string): Promise<string> => {
    const r = await w.api(cmd)
    if (r.startsWith('-ERR')) throw new Error(`${cmd}: ${r}`)
    return r
  }
  await api('reloadxml')
  await api('load mod_callcenter')
  for (const c of ['agent add mcc-lin callback', 'agent set contact mcc-lin {ignore_early_media=true}user/2001@hotline.local', 'agent set wrap_up_time mcc-lin 0',
    'agent set busy_delay_time mcc-lin 0', 'agent set no_answer_delay_time mcc-lin 0', 'agent set reject_delay_time mcc-lin 0', 'agent set max_no_answer mcc-lin 0',
    'agent set status mcc-lin Available', 'agent set state mcc-lin Waiting', 'tier add bench mcc-lin 1 1']) await api(`callcenter_config ${c}`)
  const mccLeg = (e: EslEvent): boolean => e.header('variable_cc_agent') === 'mcc-lin'
  const member = async (since: number): Promise<{ a: string; b: EslEvent }> => {
    const a = crypto.randomUUID()
    const started = w.next((e) => e.name === 'CHANNEL_EXECUTE' && e.header('Application') === 'callcenter', 'the caller in mod_callcenter', { since, timeoutMs: 20_000 })
    const r = await api(`originate {origination_uuid=${a},origination_caller_id_number=13700000000}loopback/callcenter:bench/default/inline &park()`)
    if (!r.startsWith('+OK')) throw new Error(`originate into mod_callcenter: ${r}`)
    return { a, b: await started }
  }
  const mOffer: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const since = w.mark
    const leg = agentLegOf(mccLeg, since)
    const m = await member(since)
    const l = await leg
    mOffer.push(w.seenAt(l) - w.seenAt(m.b))
    const end = gone(l.header('Unique-ID') ?? '', since)
    await api(`uuid_kill ${m.a}`)
    await end
  }
  const mNext: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    // A status with a space is quoted: the api splits its arguments on spaces (mod_callcenter.c).
    await api("callcenter_config agent set status mcc-lin 'On Break'")
    const since = w.mark
    const m = await member(since)
    const leg = agentLegOf(mccLeg, w.mark)
    const t0 = performance.timeOrigin + performance.now()
    await api('callcenter_config agent set status mcc-lin Available')
    const l = await leg
    mNext.push(w.seenAt(l) - t0)
    const end = gone(l.header('Unique-ID') ?? '', since)
    await api(`uuid_kill ${m.a}`)
    await end
  }

  progress('mod_callcenter', mOffer, mNext)
  const line = (name: string, ours: number[], theirs: number[]): string => {
    const [o99, t99, o50, t50] = [percentile(ours, 99), percentile(theirs, 99), percentile(ours, 50), percentile(theirs, 50)]
    return `${name}: ${fmt(o99)} ms p99 (mod_callcenter ${fmt(t99)} ms p99, ratio ${(t99 / o99).toFixed(2)}) · p50 ${fmt(o50)} ms (mod_callcenter ${fmt(t50)} ms) — lower is better, ${ours.length}+${theirs.length} samples`
  }
  console.log(line('live-offer', hOffer, mOffer))
  console.log(line('live-next-offer', hNext, mNext))
}

/** A phase done: its figures on stderr at once, so a later failure does not lose them. */
function progress(who: string, offer: number[], next: number[]): void {
  console.error(`  ${who}: offer p50 ${fmt(percentile(offer, 50))} p99 ${fmt(percentile(offer, 99))} ms; next-offer p50 ${fmt(percentile(next, 50))} p99 ${fmt(percentile(next, 99))} ms`)
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks at 100 Hz). */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ')
  return (Number(rest[11]) + Number(rest[12])) / 100
}

/**
 * live-cps: trunk calls arrive at a steady rate, each walks the sample IVR to its menu, presses 0,
 * is queued and bridged to a remote agent (answering at the carrier at once), and hangs up a
 * second later. The rate steps up until a step fails: a call not bridged within 60 s, a refused
 * call, or the calls of the step taking 3 s longer (p95, arrival → bridge) than at 1 call/s —
 * the prompts no longer keep time. Reported: the highest rate sustained, and Hotline's CPU per
 * call beside the PBX FreeSWITCH's over the same calls (both processes measured in /proc).
 */
async function cps(lab: Lab): Promise<void> {
  await must(lab.admin.call('PUT', '/queues/general', { wrapUp: 0, ringTimeout: 30_000 }), 'the queue')
  for (let i = 0; i < 40; i++) await remoteAgent(lab, `load-${i}`, `025770${String(i).padStart(4, '0')}`)
  const w = lab.pbxWatch
  const STEP_S = Number(process.env['BENCH_LIVE_CPS_STEP_S'] ?? 15)
  const rates = [1, 2, 4, 6, 8, 10, 12, 16]
  let baseline: number | undefined
  let best: { rate: number; p50: number; p95: number; hotlineMs: number; switchMs: number } | undefined
  let why = `all rates up to ${rates.at(-1)} calls/s sustained`
  let n = 0
  for (const rate of rates) {
    const [h0, s0] = [cpuSeconds(lab.hotline.pid), cpuSeconds(lab.pbx.pid)]
    const calls: Array<Promise<number>> = []
    const start = Date.now()
    for (let i = 0; i < rate * STEP_S; i++) {
      const due = start + (i * 1000) / rate
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()))
      const from = `1360${String(n++).padStart(7, '0')}`
      calls.push(oneCall(lab, w, from))
    }
    const settled = await Promise.allSettled(calls)
    const failed = settled.filter((r) => r.status === 'rejected')
    const took = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    const [h1, s1] = [cpuSeconds(lab.hotline.pid), cpuSeconds(lab.pbx.pid)]
    const p50 = percentile(took, 50)
    const p95 = percentile(took, 95)
    const hotlineMs = ((h1 - h0) * 1000) / calls.length
    const switchMs = ((s1 - s0) * 1000) / calls.length
    console.log(`  live-cps step ${rate} calls/s: ${took.length}/${calls.length} bridged, arrival → bridge p50 ${fmt(p50)} ms p95 ${fmt(p95)} ms; CPU per call Hotline ${fmt(hotlineMs)} ms, FreeSWITCH ${fmt(switchMs)} ms`)
    baseline ??= p50
    if (failed.length > 0) {
      why = `at ${rate} calls/s ${failed.length} of ${calls.length} calls failed (${String((failed[0] as PromiseRejectedResult).reason).slice(0, 160)})`
      break
    }
    if (p95 > baseline + 3000) {
      why = `at ${rate} calls/s the calls took ${fmt(p95 - baseline)} ms longer (p95) than at 1 call/s`
      break
    }
    best = { rate, p50, p95, hotlineMs, switchMs }
  }
  if (!best) console.log(`live-cps: not even 1 call/s sustained — ${why}`)
  else {
    console.log(`live-cps: ${best.rate} calls/s sustained through IVR → queue → agent (${why}) — higher is better · Hotline ${fmt(best.hotlineMs)} ms CPU per call `
      + `(FreeSWITCH ${fmt(best.switchMs)} ms per call, ratio ${(best.switchMs / best.hotlineMs).toFixed(2)}) — lower is better`)
  }
}

/** One load call: arrival at the PBX → its menu → key 0 → bridged to an agent; hangs up; gives arrival → bridge in ms. */
async function oneCall(lab: Lab, w: Lab['pbxWatch'], from: string): Promise<number> {
  const since = w.mark
  const call = await placeTrunkCall(lab, { from })
  try {
    const j = journey(lab, call, since)
    const arrived = await w.next((e) => e.name === 'CHANNEL_CREATE' && e.header('Unique-ID') === call.leg, 'the arrival', { since, timeoutMs: 10_000 })
    await j.menu('zh/main-menu.wav', { timeoutMs: 60_000 })
    const bridged = j.next((e) => e.name === 'CHANNEL_BRIDGE', 'bridged to an agent', { timeoutMs: 60_000 })
    await callerPresses(lab, call, '0')
    const b = await bridged
    return w.seenAt(b) - w.seenAt(arrived)
  } finally {
    await lab.carrierWatch.api(`uuid_kill ${call.far}`).catch(() => undefined)
  }
}

/**
 * npm run bench:live — Hotline's ACD against FreeSWITCH's own mod_callcenter, in one run, on the
 * lab's kit PBX with the same registered desk phone (baresip, extension 2001), timed by the
 * switch's own event clock (Event-Date-Timestamp) on a monitoring connection:
 * - live-offer: caller queued → the agent's leg created (CHANNEL_CREATE). Hotline: from the
 *   caller's key 0 at the IVR menu (so Hotline's figure also holds the IVR step and the enqueue);
 *   mod_callcenter: from its `callcenter` app starting on the caller's leg.
 * - live-next-offer: a caller waiting, the agent made free (Hotline: presence ready through the
 *   API; mod_callcenter: `callcenter_config agent set status … Available`) → the agent's leg created.
 * Each sample ends by hanging the caller up before the phone answers. Lower is better.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EslEvent } from '../../src/esl/index.ts'
import { percentile, fmt } from '../measure.ts'
import { startLab, placeTrunkCall, callerPresses, type Lab } from '../../test/live/support/lab.ts'
import { journey } from '../../test/live/support/caller-journey.ts'
import { must } from '../../test/live/support/hotline-api.ts'
import { setUpAgents } from '../../test/live/support/agents.ts'
import { labUnavailable } from '../../test/live/support/freeswitch-instance.ts'

const SAMPLES = Number(process.env['BENCH_LIVE_SAMPLES'] ?? 20)
const at = (e: EslEvent): number => Number(e.header('Event-Date-Timestamp')) / 1000

const why = labUnavailable()
if (why) {
  console.log(`bench:live skipped: ${why}`)
  process.exit(0)
}

const teardowns: Array<() => unknown> = []
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) }
let lab: Lab | undefined
try {
  lab = await startLab(t)
  await run(lab)
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
    const key = w.next((e) => e.name === 'DTMF' && e.header('Unique-ID') === call.leg, 'the key 0', { since, timeoutMs: 20_000 })
    const leg = agentLegOf(hotlineLeg, since)
    await callerPresses(lab, call, '0')
    const [k, l] = await Promise.all([key, leg])
    hOffer.push(at(l) - at(k))
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
    const t0 = Date.now()
    await must(lin.api.call('POST', '/agents/lin/presence', { state: 'ready' }), 'lin ready')
    const l = await leg
    hNext.push(at(l) - t0)
    const end = gone(l.header('Unique-ID') ?? '', since)
    await lab.carrierWatch.api(`uuid_kill ${call.far}`)
    await end
  }
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
    mOffer.push(at(l) - at(m.b))
    const end = gone(l.header('Unique-ID') ?? '', since)
    await api(`uuid_kill ${m.a}`)
    await end
  }
  const mNext: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    await api('callcenter_config agent set status mcc-lin On Break')
    const since = w.mark
    const m = await member(since)
    const leg = agentLegOf(mccLeg, w.mark)
    const t0 = Date.now()
    await api('callcenter_config agent set status mcc-lin Available')
    const l = await leg
    mNext.push(at(l) - t0)
    const end = gone(l.header('Unique-ID') ?? '', since)
    await api(`uuid_kill ${m.a}`)
    await end
  }

  const line = (name: string, ours: number[], theirs: number[]): string => {
    const [o99, t99, o50, t50] = [percentile(ours, 99), percentile(theirs, 99), percentile(ours, 50), percentile(theirs, 50)]
    return `${name}: ${fmt(o99)} ms p99 (mod_callcenter ${fmt(t99)} ms p99, ratio ${(t99 / o99).toFixed(2)}) · p50 ${fmt(o50)} ms (mod_callcenter ${fmt(t50)} ms) — lower is better, ${ours.length}+${theirs.length} samples`
  }
  console.log(line('live-offer', hOffer, mOffer))
  console.log(line('live-next-offer', hNext, mNext))
  console.log('live-cps: not measured yet')
}

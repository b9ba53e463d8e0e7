/**
 * Hotline dies (kill -9) or stops while calls are up, on the real switch, through `hotline start`:
 * - callers who hang up while it is down still leave one closed CDR each, with the switch's own end
 *   time (mod_xml_cdr's file) and the outcome they really had: the caller in the IVR self-service,
 *   the caller who waited in the queue abandoned;
 * - a caller waiting while an agent's real phone rings is not lost: after the restart the agent is
 *   offered the call, answers, and is bridged to the caller, with one ring at a time on the phone;
 * - a caller on hold is not stranded: after the restart the agent is still on the call, on hold,
 *   and resuming bridges the two again.
 */
import t from 'tap'
import type { EslEvent } from '../../src/esl/index.ts'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must, openStream } from './support/hotline-api.ts'
import { callerPresses, placeTrunkCall, startLab, type Lab, type TrunkCall } from './support/lab.ts'
import { journey, siteCdrs } from './support/caller-journey.ts'
import { setUpAgents } from './support/agents.ts'
import { callerReaches, joins } from './support/agent-calls.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(400_000)

const atMs = (e: EslEvent): number => Math.round(Number(e.header('Event-Date-Timestamp')) / 1000)
const isMoh = (e: EslEvent): boolean => e.name === 'CHANNEL_EXECUTE' && (e.header('Application-Data') ?? '').includes('local_stream://moh')

/** The caller hangs up at the gateway; the PBX's hangup time of the caller's leg. */
async function hangUpAndTime(lab: Lab, call: TrunkCall): Promise<number> {
  const gone = lab.pbxWatch.next((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.header('Unique-ID') === call.leg, `the hangup of ${call.leg}`, { timeoutMs: 20_000 })
  await lab.carrierWatch.api(`uuid_kill ${call.far}`)
  return atMs(await gone)
}

for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
  t.test(`${signal}: callers who hang up while Hotline is down leave closed CDRs with the switch's end time and their real outcome`, { skip }, async (t) => {
    const lab = await startLab(t)
    const since = lab.pbxWatch.mark
    const inIvr = await placeTrunkCall(lab, { from: '13800000601' })
    const waiting = await placeTrunkCall(lab, { from: '13800000602' })
    await journey(lab, inIvr, since).menu('zh/main-menu.wav')
    const w = journey(lab, waiting, since)
    await w.menu('zh/main-menu.wav')
    const held = w.next(isMoh, 'the second caller on hold music', { timeoutMs: 60_000 })
    await callerPresses(lab, waiting, '0')
    await held

    await lab.hotline.stop(signal)
    const endedIvr = await hangUpAndTime(lab, inIvr)
    const endedWaiting = await hangUpAndTime(lab, waiting)
    const open = siteCdrs(lab).filter((r) => r.ended_at === null)
    t.equal(open.length, 2, 'while Hotline is down, both CDRs are open')

    await lab.restartHotline()
    await lab.hotline.waitLog((l) => l.msg === 'cdr: closed the records of calls that ended while Hotline was away', 'the sweep after the restart', { timeoutMs: 30_000 })
    await lab.hotline.stop('SIGTERM')
    const rows = siteCdrs(lab)
    t.comment(JSON.stringify(rows.map((r) => ({ caller: r.caller_number, ended_at: r.ended_at, cause: r['hangup_cause'], outcome: r.outcome }))))
    t.equal(rows.length, 2, 'one CDR per call, none added by the restart')
    const ivr = rows.find((r) => r.caller_number === '13800000601')
    const queued = rows.find((r) => r.caller_number === '13800000602')
    t.match(ivr, { outcome: 'self-service', hangup_cause: 'NORMAL_CLEARING' }, 'the IVR caller: self-service, hung up normally')
    t.match(queued, { outcome: 'abandoned', hangup_cause: 'NORMAL_CLEARING' }, 'the waiting caller: abandoned')
    t.ok(Math.abs(Number(ivr?.ended_at) - endedIvr) <= 1000, `the IVR call ended when the switch says (${Number(ivr?.ended_at) - endedIvr} ms off)`)
    t.ok(Math.abs(Number(queued?.ended_at) - endedWaiting) <= 1000, `the waiting call ended when the switch says (${Number(queued?.ended_at) - endedWaiting} ms off)`)
  })
}

t.test('kill -9 while an agent\'s phone rings for a waiting caller: after the restart the agent answers and is bridged to the caller', { skip }, async (t) => {
  const lab = await startLab(t)
  await must(lab.admin.call('PUT', '/queues/general', { wrapUp: 3000, ringTimeout: 60_000 }), 'the queue')
  const lin = (await setUpAgents(t, lab, [{ id: 'lin', extension: '2001' }])).get('lin')!
  const ringsBefore = lin.phone.mark
  const since = lab.pbxWatch.mark
  const call = await placeTrunkCall(lab, { from: '13800000603' })
  await journey(lab, call, since).menu('zh/main-menu.wav')
  await callerPresses(lab, call, '0')
  await lin.phone.incoming({ since: ringsBefore, timeoutMs: 60_000 })

  await lab.hotline.stop('SIGKILL')
  const restartedAt = lin.phone.mark
  await lab.restartHotline()
  // Either the ring in progress is adopted, or it is cancelled and the call offered again: the
  // phone must not ring twice at once.
  const bridged = lab.pbxWatch.next((e) => e.name === 'CHANNEL_BRIDGE' && [e.header('Bridge-A-Unique-ID'), e.header('Bridge-B-Unique-ID')].includes(call.leg), 'the caller bridged to lin', { timeoutMs: 90_000 })
  const state = await must(lab.admin.call<{ activity: { kind: string } }>('GET', '/agents/lin'), 'lin after the restart')
  t.comment(`lin after the restart: ${JSON.stringify(state.activity)}`)
  const reoffered = await lin.phone.incoming({ since: restartedAt, timeoutMs: 5_000 }).then(() => true, () => false)
  t.comment(reoffered ? 'the ring was cancelled and offered again' : 'the ring in progress was kept')
  await lin.phone.answer()
  await bridged
  t.pass('bridged after the restart')
  const incomings = lin.phone.events.slice(ringsBefore).filter((e) => e.type === 'CALL_INCOMING').length
  const closes = lin.phone.events.slice(ringsBefore).filter((e) => e.type === 'CALL_CLOSED').length
  t.ok(incomings - closes <= 1, `one ring at a time on the phone (${incomings} rings, ${closes} closed)`)
  const stream = await openStream(lin.api, '/agents/me/events')
  t.teardown(() => stream.close())
  await lab.carrierWatch.api(`uuid_kill ${call.far}`)
  await stream.next((e) => e.event === 'agent-state' && (e.data as { activity?: { kind?: string } }).activity?.kind === 'wrap-up', 'lin in wrap-up after the caller hung up', 20_000)
  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab).filter((r) => r.caller_number === '13800000603')
  t.match(rows, [{ outcome: 'answered', agent_id: 'lin' }], 'one CDR, answered by lin')
})

t.test('kill -9 while a caller is on hold: after the restart the agent is still on the call, on hold, and resumes it', { skip }, async (t) => {
  const lab = await startLab(t)
  const lin = (await setUpAgents(t, lab, [{ id: 'lin', extension: '2001' }])).get('lin')!
  const { call, agentLeg } = await callerReaches(lab, lin, '13800000604')
  const state = await must(lab.admin.call<{ activity: { call: string } }>('GET', '/agents/lin'), 'lin on the call')
  const id = state.activity.call
  const music = lab.pbxWatch.next((e) => e.header('Unique-ID') === call.leg && (isMoh(e) || (e.name === 'PLAYBACK_START' && e.header('Playback-File-Path') === 'local_stream://moh')), 'hold music to the caller', { timeoutMs: 20_000 })
  await must(lab.admin.call('POST', `/calls/${id}/hold`), 'hold')
  await music

  await lab.hotline.stop('SIGKILL')
  const mark = lab.pbxWatch.mark
  await lab.restartHotline()
  await lab.hotline.waitLog((l) => l.msg === 'acd: rebuilt from the switch', 'the ACD rebuilt', { timeoutMs: 30_000 })
  const after = await must(lab.admin.call<{ activity: { kind: string; call?: string; held?: boolean } }>('GET', '/agents/lin'), 'lin after the restart')
  t.match(after.activity, { kind: 'on-call', call: id, held: true }, 'still on the call, on hold')
  t.notOk(lab.pbxWatch.events.slice(mark).some((e) => e.name === 'CHANNEL_HANGUP' && [call.leg, agentLeg].includes(e.header('Unique-ID') ?? '')), 'neither leg was hung up')
  const back = lab.pbxWatch.next((e) => joins(call.leg)(e) && [e.header('Bridge-A-Unique-ID'), e.header('Bridge-B-Unique-ID')].includes(agentLeg), 'the caller bridged to lin again', { since: mark, timeoutMs: 20_000 })
  await must(lab.admin.call('POST', `/calls/${id}/unhold`), 'unhold after the restart')
  await back
  t.notMatch((await must(lab.admin.call<{ activity: Record<string, unknown> }>('GET', '/agents/lin'), 'lin')).activity, { held: true }, 'resumed')
  const stream = await openStream(lin.api, '/agents/me/events')
  t.teardown(() => stream.close())
  await lab.carrierWatch.api(`uuid_kill ${call.far}`)
  await stream.next((e) => e.event === 'agent-state' && (e.data as { activity?: { kind?: string } }).activity?.kind === 'wrap-up', 'lin in wrap-up after the caller hung up', 20_000)
  await lab.hotline.stop('SIGTERM')
  t.match(siteCdrs(lab).filter((r) => r.caller_number === '13800000604'), [{ outcome: 'answered', agent_id: 'lin' }], 'one CDR, answered by lin')
})

/**
 * Call controls on the real switch, through `hotline start` and its API, with remote agents whose
 * phones ring at the carrier: hold (the caller hears the music, the agent's leg waits alone) and
 * unhold (bridged again, the music stopped); a consulted transfer (the caller on music while
 * the first agent talks to the second, then handed over; the first agent to wrap-up); a blind
 * transfer out to a number through the carrier. The CDR says where the call went.
 */
import t from 'tap'
import type { EslEvent } from '../../src/esl/index.ts'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must } from './support/hotline-api.ts'
import { callerPresses, placeTrunkCall, startLab, type Lab } from './support/lab.ts'
import { journey, siteCdrs } from './support/caller-journey.ts'
import { answerAtCarrier, remoteAgent } from './support/remote-agents.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(400_000)

const CALLER = '13800000401'
const WANG = '13911110001'
const ZHAO = '13911110002'
const OUTSIDE = '02588886666'

const joins = (a: string, b?: string) => (e: EslEvent): boolean => {
  if (e.name !== 'CHANNEL_BRIDGE') return false
  const legs = [e.header('Bridge-A-Unique-ID'), e.header('Bridge-B-Unique-ID')]
  return legs.includes(a) && (b === undefined || legs.includes(b))
}
const isMoh = (leg: string) => (e: EslEvent): boolean => e.header('Unique-ID') === leg && e.name === 'PLAYBACK_START' && e.header('Playback-File-Path') === 'local_stream://moh'
/** The PBX leg Hotline originated for an agent (hotline_agent on the leg). */
const agentLeg = (lab: Lab, agent: string, since: number): Promise<EslEvent> =>
  lab.pbxWatch.next((e) => e.name === 'CHANNEL_CREATE' && e.header('variable_hotline_agent') === agent, `the PBX leg to ${agent}`, { since, timeoutMs: 60_000 })
const activity = async (lab: Lab, agent: string): Promise<Record<string, unknown>> =>
  (await must(lab.admin.call<{ activity: Record<string, unknown> }>('GET', `/agents/${agent}`), agent)).activity

t.test('hold and unhold, a consulted transfer to a second agent, then a blind transfer out to a number', { skip }, async (t) => {
  const lab = await startLab(t)
  const w = lab.pbxWatch
  await remoteAgent(lab, 'wang', WANG)
  await remoteAgent(lab, 'zhao', ZHAO, { ready: false })

  const since = w.mark
  const call = await placeTrunkCall(lab, { from: CALLER })
  const j = journey(lab, call, since)
  await j.menu('zh/main-menu.wav')
  let mark = w.mark
  let carrierMark = lab.carrierWatch.mark
  await callerPresses(lab, call, '0')
  const wangLeg = (await agentLeg(lab, 'wang', mark)).header('Unique-ID') ?? ''
  const toWang = w.next(joins(call.leg, wangLeg), 'the caller bridged to wang', { since: mark, timeoutMs: 30_000 })
  await answerAtCarrier(lab, WANG, carrierMark)
  await toWang
  const on = await activity(lab, 'wang')
  t.match(on, { kind: 'on-call' }, 'wang on the call')
  const id = String(on['call'])

  // Hold: the caller hears the music, the agent's leg waits alone.
  mark = w.mark
  const music = w.next(isMoh(call.leg), 'hold music to the caller', { since: mark, timeoutMs: 20_000 })
  await must(lab.admin.call('POST', `/calls/${id}/hold`), 'hold')
  await music
  t.match(await activity(lab, 'wang'), { kind: 'on-call', held: true }, 'held')
  mark = w.mark
  const back = w.next(joins(call.leg, wangLeg), 'bridged again', { since: mark, timeoutMs: 20_000 })
  const musicStops = w.next((e) => e.header('Unique-ID') === call.leg && e.name === 'PLAYBACK_STOP', 'the music stops', { since: mark, timeoutMs: 20_000 })
  await must(lab.admin.call('POST', `/calls/${id}/unhold`), 'unhold')
  await Promise.all([back, musicStops])
  t.notMatch(await activity(lab, 'wang'), { held: true }, 'not held any more')

  // Consulted transfer to zhao.
  await must(lab.admin.call('POST', '/agents/zhao/presence', { state: 'ready' }), 'zhao ready')
  mark = w.mark
  carrierMark = lab.carrierWatch.mark
  const consultMusic = w.next(isMoh(call.leg), 'the caller on music during the consultation', { since: mark, timeoutMs: 20_000 })
  // The request answers once the consulted party has answered (or not).
  const consulting = must(lab.admin.call('POST', `/calls/${id}/transfer`, { to: { agent: 'zhao' }, kind: 'consulted' }), 'consult zhao')
  const zhaoLeg = (await agentLeg(lab, 'zhao', mark)).header('Unique-ID') ?? ''
  const talking = w.next(joins(wangLeg, zhaoLeg), 'wang talking to zhao', { since: mark, timeoutMs: 30_000 })
  await answerAtCarrier(lab, ZHAO, carrierMark)
  await Promise.all([consulting, consultMusic, talking])
  mark = w.mark
  const handed = w.next(joins(call.leg, zhaoLeg), 'the caller bridged to zhao', { since: mark, timeoutMs: 30_000 })
  await must(lab.admin.call('POST', `/calls/${id}/transfer/complete`), 'complete')
  await handed
  t.match(await activity(lab, 'zhao'), { kind: 'on-call', call: id }, 'zhao has the call')
  t.match(await activity(lab, 'wang'), { kind: 'wrap-up' }, 'wang in wrap-up')

  // Blind transfer out to a number through the carrier.
  mark = w.mark
  carrierMark = lab.carrierWatch.mark
  const blind = must(lab.admin.call('POST', `/calls/${id}/transfer`, { to: { number: OUTSIDE }, kind: 'blind' }), 'blind to a number')
  const outside = await answerAtCarrier(lab, OUTSIDE, carrierMark)
  await blind
  t.ok(outside, 'the number rings at the carrier and answers')
  await w.next((e) => joins(call.leg)(e) && ![wangLeg, zhaoLeg].includes(e.header('Bridge-A-Unique-ID') === call.leg ? e.header('Bridge-B-Unique-ID') ?? '' : e.header('Bridge-A-Unique-ID') ?? ''),
    'the caller bridged to the number', { since: mark, timeoutMs: 30_000 })

  await j.hangUp()
  await lab.carrierWatch.next((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.header('Unique-ID') === outside, 'the outside leg ends with the caller', { timeoutMs: 30_000 })
  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab).filter((r) => r.caller_number === CALLER)
  t.comment(JSON.stringify(rows))
  t.equal(rows.length, 1, 'one CDR')
  t.ok(rows[0]?.ended_at, 'closed')
  t.match(rows[0], { outcome: 'transferred' }, 'transferred out')
  t.match(String(rows[0]?.['transferred_to']), new RegExp(`number:${OUTSIDE}`), 'to the number')
  // transferred_to keeps the last transfer only (migration 0080); the hand-over to zhao is the
  // contact-event ledger's to record (issue 14).
})

/**
 * A caller waiting in a queue on the real switch, through `hotline start`: the Mandarin position
 * announcement (place, then the callback offer with its key) is heard through the hold music on
 * absolute paths that exist, the music comes back after it, and the queue's callback key pressed
 * while waiting plays the confirmation, hangs the caller up and keeps the callback waiting in the
 * queue; the call leaves one closed CDR saying so.
 */
import t from 'tap'
import type { EslEvent } from '../../src/esl/index.ts'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must } from './support/hotline-api.ts'
import { callerPresses, placeTrunkCall, startLab } from './support/lab.ts'
import { journey, pathOf, siteCdrs } from './support/caller-journey.ts'
import { answerAtCarrier, remoteAgent } from './support/remote-agents.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(300_000)

const CALLER = '13800000201'
const AGENT_MOBILE = '13911110009'
const isMoh = (e: EslEvent): boolean => e.name === 'PLAYBACK_START' && e.header('Playback-File-Path') === 'local_stream://moh'
const promptsOf = (e: EslEvent): string[] => (e.header('Playback-File-Path') ?? '').replace(/^file_string:\/\//, '').split('!')

t.test('a waiting caller hears the position and the callback offer in Mandarin through the music, presses the key, and is dialled back through the trunk when an agent is free', { skip }, async (t) => {
  const lab = await startLab(t)
  await must(lab.admin.call('PUT', '/queues/general', { announceEvery: 6000, callbackKey: '9', callback: { maxAttempts: 2, retryDelay: 60_000 } }), 'the general queue')
  const w = lab.pbxWatch
  const since = w.mark
  const call = await placeTrunkCall(lab, { from: CALLER })
  const j = journey(lab, call, since)
  await j.menu('zh/main-menu.wav')
  const music = j.next(isMoh, 'the hold music', { timeoutMs: 60_000 })
  await callerPresses(lab, call, '0')
  await j.played('zh/please-hold.wav')
  await music

  // The announcement: nobody is staffed, so the place only (acd.md "Estimated wait"), then the offer.
  const announced = await j.next((e) => e.name === 'PLAYBACK_START' && promptsOf(e).some((f) => f.endsWith('/zh/queue-position.wav')), 'the position announcement', { timeoutMs: 30_000 })
  const at = w.mark
  const prompts = promptsOf(announced)
  t.comment(prompts.join(' '))
  t.ok(prompts.every((f) => f.startsWith('/')), 'every prompt on an absolute path (a relative one is FILE NOT FOUND on the switch)')
  t.same(prompts.map((f) => f.replace(/^.*\/sounds\//, '')), ['zh/queue-position.wav', 'zh/num-1.wav', 'zh/queue-position-end.wav', 'zh/callback-offer.wav', 'zh/num-9.wav'], 'first in line, and press 9 for a callback')
  const done = await j.next((e) => e.name === 'PLAYBACK_STOP' && promptsOf(e).some((f) => f.endsWith('/zh/queue-position.wav')), 'the announcement played to its end', { timeoutMs: 30_000 })
  t.equal(done.header('Playback-Status'), 'done', 'heard to its end, not cut off')
  await w.next((e) => e.header('Unique-ID') === call.leg && isMoh(e), 'the music again after the announcement', { since: at, timeoutMs: 10_000 })

  // The callback key while waiting.
  await callerPresses(lab, call, '9')
  await j.played('zh/callback-confirmed.wav', { timeoutMs: 20_000 })
  const ended = await j.ended
  t.ok(ended, 'Hotline hung the caller up after the confirmation')
  const live = await must(lab.admin.call<{ waiting: Array<Record<string, unknown>> }>('GET', '/queues/general/live'), 'the queue now')
  t.comment(JSON.stringify(live))
  t.match(live.waiting, [{ callback: true, phase: 'waiting' }], 'the callback waits in the queue, keeping the place')

  // An agent comes free: the agent is rung first, then the customer is dialled out through the
  // carrier trunk and the two are bridged (acd.md "Callbacks keep the caller's place").
  let carrierMark = lab.carrierWatch.mark
  const pbxMark = w.mark
  await remoteAgent(lab, 'wang', AGENT_MOBILE)
  const agentLeg = await answerAtCarrier(lab, AGENT_MOBILE, carrierMark)
  carrierMark = lab.carrierWatch.mark
  const dialled = lab.carrierWatch.next((e) => e.name === 'CHANNEL_CREATE' && e.header('Caller-Destination-Number') === CALLER, 'the customer dialled back at the carrier', { since: carrierMark, timeoutMs: 60_000 })
  const customer = (await dialled).header('Unique-ID') ?? ''
  t.ok(agentLeg && customer, 'the agent answered first, then the customer was dialled')
  const bridged = w.next((e) => e.name === 'CHANNEL_BRIDGE', 'agent and customer bridged on the PBX', { since: pbxMark, timeoutMs: 30_000 })
  await lab.carrierWatch.api(`uuid_answer ${customer}`)
  await bridged
  t.match(await must(lab.admin.call<{ activity: Record<string, unknown> }>('GET', '/agents/wang'), 'wang'), { activity: { kind: 'on-call' } }, 'the agent is on the callback')
  const after = await must(lab.admin.call<{ waiting: unknown[] }>('GET', '/queues/general/live'), 'the queue after')
  t.same(after.waiting, [], 'the callback left the queue')
  const gone = lab.carrierWatch.next((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.header('Unique-ID') === agentLeg, 'the agent leg ends with the customer', { timeoutMs: 30_000 })
  await lab.carrierWatch.api(`uuid_kill ${customer}`)
  await gone

  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab).filter((r) => r.caller_number === CALLER)
  t.comment(JSON.stringify(siteCdrs(lab)))
  t.equal(rows.length, 1, 'one CDR')
  t.ok(rows[0]?.ended_at, 'closed')
  t.equal(rows[0]?.outcome, 'callback', 'outcome callback')
  t.same(pathOf(rows[0]).slice(-4), ['main/agent', 'agent/hours', 'agent/which-queue', 'agent/general'], 'through the agent flow')
})

/**
 * A remote agent (a mobile number, reached through the carrier trunk) on the real switch, through
 * `hotline start`: the trunk caller who asks for an agent is offered to the remote agent, Hotline
 * dials the number out through the kit's `carrier` gateway with the caller's number as caller id,
 * the call rings at the carrier, the agent answers there, and the two are bridged; the CDR names
 * the agent and the outcome answered.
 */
import t from 'tap'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must } from './support/hotline-api.ts'
import { callerPresses, placeTrunkCall, startLab } from './support/lab.ts'
import { journey, siteCdrs } from './support/caller-journey.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(300_000)

const CALLER = '13800000301'
const MOBILE = '13911112222'

t.test('a caller reaches a remote agent on a mobile number through the carrier trunk', { skip }, async (t) => {
  const lab = await startLab(t)
  await must(lab.admin.call('PUT', '/agents/wang', { name: 'Wang (home)', contact: { kind: 'pstn', number: MOBILE }, skills: { general: 1 }, queues: ['general'] }), 'the remote agent')
  await must(lab.admin.call('POST', '/agents/wang/presence', { state: 'ready' }), 'wang ready')

  const since = lab.pbxWatch.mark
  const call = await placeTrunkCall(lab, { from: CALLER })
  const j = journey(lab, call, since)
  await j.menu('zh/main-menu.wav')
  const carrierSince = lab.carrierWatch.mark
  await callerPresses(lab, call, '0')

  // The offer leaves through the carrier gateway and rings at the carrier's pstn profile.
  const ring = await lab.carrierWatch.next((e) => e.name === 'CHANNEL_CREATE' && e.header('Caller-Destination-Number') === MOBILE, 'the remote agent\'s number ringing at the carrier', { since: carrierSince, timeoutMs: 60_000 })
  t.equal(ring.header('Caller-Caller-ID-Number'), CALLER, 'the agent\'s mobile shows the caller\'s number')
  const agentLeg = ring.header('Unique-ID') ?? ''
  const bridged = lab.pbxWatch.next((e) => e.name === 'CHANNEL_BRIDGE' && [e.header('Bridge-A-Unique-ID'), e.header('Bridge-B-Unique-ID')].includes(call.leg), 'the caller bridged to the agent', { since, timeoutMs: 30_000 })
  const answer = await lab.carrierWatch.api(`uuid_answer ${agentLeg}`)
  t.match(answer, /^\+OK/, 'the remote agent answers')
  const bridge = await bridged
  t.ok(bridge, 'bridged')
  const agent = await must(lab.admin.call<{ activity: { kind: string } }>('GET', '/agents/wang'), 'wang now')
  t.equal(agent.activity.kind, 'on-call', 'the remote agent is on the call')

  await j.hangUp()
  await lab.carrierWatch.next((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.header('Unique-ID') === agentLeg, 'the remote agent\'s leg ends with the call', { timeoutMs: 30_000 })
  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab).filter((r) => r.caller_number === CALLER)
  t.equal(rows.length, 1, 'one CDR')
  t.match(rows[0], { outcome: 'answered', agent_id: 'wang' }, 'answered by wang')
  t.ok(rows[0]?.ended_at, 'closed')
})

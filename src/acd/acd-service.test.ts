import t from 'tap'
import { eslEvent } from '../esl/index.ts'
import { agentId, callId, channelUuid, queueId, seconds } from '../shared/index.ts'
import { MemoryPresenceLog, settle, shellWorld, sipAgent } from './shell.test-support.ts'

const lin = sipAgent('lin', '1005')
const mei = sipAgent('mei', '1006')
const support = queueId('support')

/** Caller c1 hangs up (CallService's event). */
const callerHungUp = { type: 'call-ended', call: { id: callId('c1'), customerLeg: channelUuid('leg-c1'), entry: '96200', did: '96200', region: undefined, caller: { number: '1', name: '' }, arrivedAt: 0, answeredAt: undefined, agentLeg: undefined, vars: {}, ended: { at: 0, cause: 'NORMAL_CLEARING' } } } as const

/** Lin (and Mei) ready and registered. */
async function readyWorld(records = [lin], o: Parameters<typeof shellWorld>[1] = {}) {
  const w = await shellWorld(records, { registered: records.map((r) => (r.contact.kind === 'sip' ? r.contact.user : '')), ...o })
  for (const r of records) w.acd.presence(r.id, { state: 'ready' })
  return w
}

t.test('a caller enqueued while an agent is ready rings that agent in the same turn, with our ids on the leg', async (t) => {
  const w = await readyWorld([sipAgent('lin', '1005', ['support'], { billing: 3 })])
  const r = w.acd.enqueue(callId('c1'), { queue: support, tier: 'gold', skills: { billing: 2 } })
  t.ok(r.ok)
  t.equal(w.control.originates.length, 1, 'the originate left before any await')
  const spec = w.control.originates[0]!
  t.equal(spec.dial, 'user/1005@hotline.local')
  t.equal(spec.uuid, 'agent-leg-1')
  t.match(spec.vars, {
    hotline_offer_id: /^c1\//, hotline_call_id: 'c1', hotline_agent: 'lin', park_after_bridge: 'true', ignore_early_media: 'true',
    originate_timeout: '25', origination_caller_id_number: '13800000001',
  })
  t.same(w.control.ops('setVars')[0], { op: 'setVars', leg: 'leg-c1', arg: { hotline_queue: 'support', hotline_tier: 'gold', hotline_skills: 'billing:2', hotline_enqueued_at: String(w.clock.now()), playback_terminators: 'none' } })
  t.end()
})

t.test('the agent answers: the customer leg gets park_after_bridge, then is bridged to the agent leg', async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  w.control.answered('agent-leg-1')
  await settle()
  const setVars = w.control.ops('setVars').find((s) => (s.arg as Record<string, string>)['park_after_bridge'] === 'true')
  t.match(setVars, { leg: 'leg-c1', arg: { park_after_bridge: 'true', hotline_agent: 'lin' } })
  t.same(w.control.ops('bridge'), [{ op: 'bridge', leg: 'leg-c1', arg: 'agent-leg-1' }])
  t.equal(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'on-call')
  t.ok(w.notices.some((n) => n.event.kind === 'call-answered'))
  t.end()
})

t.test('a busy agent: the offer goes to the next agent and the first one rests', async (t) => {
  const w = await readyWorld([lin, mei])
  w.acd.enqueue(callId('c1'), { queue: support })
  const first = w.control.originates[0]!
  w.control.failed(first.uuid, 'USER_BUSY')
  await settle()
  t.equal(w.control.originates.length, 2)
  t.equal(w.control.originates[1]!.vars['hotline_agent'], first.vars['hotline_agent'] === 'lin' ? 'mei' : 'lin')
  t.equal(w.acd.state.agents.get(agentId(first.vars['hotline_agent']!))?.activity.kind, 'resting')
  t.end()
})

t.test('failure causes map to offer failures: unregistered is unreachable, rejected is rejected', async (t) => {
  for (const [cause, expected] of [['USER_NOT_REGISTERED', 'unreachable'], ['CALL_REJECTED', 'rejected'], ['NO_ANSWER', 'no-answer'], ['SUBSCRIBER_ABSENT', 'unreachable']] as const) {
    const w = await readyWorld()
    w.acd.enqueue(callId('c1'), { queue: support })
    w.control.failed('agent-leg-1', cause)
    await settle()
    const missed = w.notices.find((n) => n.event.kind === 'offer-missed')?.event
    t.match(missed, { cause: expected }, cause)
  }
  t.end()
})

t.test('a caller who hangs up while the agent rings cancels the ring with ORIGINATOR_CANCEL, and the late -ERR is not a miss', async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  w.acd.onCallEvent(callerHungUp)
  t.same(w.control.ops('hangup'), [{ op: 'hangup', leg: 'agent-leg-1', arg: 'ORIGINATOR_CANCEL' }])
  w.control.failed('agent-leg-1', 'ORIGINATOR_CANCEL')
  await settle()
  t.notOk(w.notices.some((n) => n.event.kind === 'offer-missed'))
  t.equal(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'idle')
  t.end()
})

t.test('the ring timeout is the core\'s: at 20 s the leg is killed and the agent rests', async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  w.clock.advance(seconds(20) - 1)
  t.same(w.control.ops('hangup'), [])
  w.clock.advance(1)
  t.same(w.control.ops('hangup'), [{ op: 'hangup', leg: 'agent-leg-1', arg: 'ORIGINATOR_CANCEL' }])
  t.equal(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'resting')
  t.end()
})

t.test('one timer is armed, at the earliest deadline', async (t) => {
  const w = await readyWorld([lin], { queue: { announceEvery: seconds(45) } })
  t.equal(w.clock.pendingTimers, 0, 'nothing transient, no timer')
  w.acd.enqueue(callId('c1'), { queue: support })
  w.acd.enqueue(callId('c2'), { queue: support })
  t.equal(w.clock.pendingTimers, 1)
  w.clock.advance(seconds(20))
  t.equal(w.clock.pendingTimers, 1, 're-armed after the tick, still one')
  t.end()
})

t.test('an announcement breaks the hold music, plays, and resumes the music while the caller still waits', async (t) => {
  const w = await readyWorld([], { queue: { announceEvery: seconds(30) } })
  w.acd.enqueue(callId('c1'), { queue: support })
  w.control.sent.length = 0
  w.clock.advance(seconds(30))
  await settle()
  await settle()
  t.same(w.control.sent.map((s) => s.op), ['play', 'break', 'hold'])
  t.match(w.control.sent[0]!.arg, [/\/sounds\/zh\/queue-position\.wav$/, /\/sounds\/zh\/num-1\.wav$/, /\/sounds\/zh\/queue-position-end\.wav$/])
  t.end()
})

t.test('when the caller hangs up mid-call the agent wraps up, and the agent phone is released when wrap-up ends', async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  w.control.answered('agent-leg-1')
  await settle()
  w.acd.onCallEvent({ type: 'agent-leg-reparked', offerId: w.control.originates[0]!.vars['hotline_offer_id']! as never, leg: channelUuid('agent-leg-1') })
  t.equal(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'wrap-up')
  t.same(w.control.ops('hangup'), [], 'the phone stays up for wrap-up')
  w.clock.advance(seconds(10))
  t.same(w.control.ops('hangup'), [{ op: 'hangup', leg: 'agent-leg-1', arg: 'NORMAL_CLEARING' }])
  t.end()
})

t.test('when the agent hangs up, the re-parked caller is hung up too', async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  w.control.answered('agent-leg-1')
  await settle()
  w.acd.onCallEvent({ type: 'agent-leg-ended', offerId: 'x' as never, leg: channelUuid('agent-leg-1'), cause: 'NORMAL_CLEARING', callId: callId('c1') })
  w.acd.onCallEvent({ type: 'customer-reparked', callId: callId('c1'), leg: channelUuid('leg-c1') })
  t.same(w.control.ops('hangup'), [{ op: 'hangup', leg: 'leg-c1', arg: 'NORMAL_CLEARING' }])
  t.equal(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'wrap-up')
  t.end()
})

t.test('registrations from sofia events: an unregistered agent is not offered, a registered one is', async (t) => {
  const w = await shellWorld([lin])
  w.acd.presence(agentId('lin'), { state: 'ready' })
  w.acd.enqueue(callId('c1'), { queue: support })
  t.equal(w.control.originates.length, 0, 'not registered: never offered')
  w.acd.handleEsl(eslEvent({ name: 'CUSTOM', subclass: 'sofia::register', format: 'json', headers: { 'profile-name': 'internal', username: '1005', 'from-user': '1005', status: 'Registered(UDP)', expires: '3600' } }))
  t.equal(w.control.originates.length, 1)
  w.acd.handleEsl(eslEvent({ name: 'CUSTOM', subclass: 'sofia::expire', format: 'json', headers: { user: '1005', username: '1005', expires: '1790000000' } }))
  t.equal(w.acd.state.agents.get(agentId('lin'))?.registered, false)
  t.same(w.control.ops('hangup'), [{ op: 'hangup', leg: 'agent-leg-1', arg: 'ORIGINATOR_CANCEL' }], 'the ring is cancelled at once')
  t.end()
})

t.test('feature codes from the agent phone change presence, then confirm and hang up', async (t) => {
  const w = await readyWorld()
  const park = (feature: string, reason = '') => w.acd.handleEsl(eslEvent({ name: 'CHANNEL_PARK', format: 'json', headers: {
    'Unique-ID': `f-${feature}-${reason}`, variable_hotline_feature: feature, variable_hotline_agent_extension: '1005', variable_hotline_feature_reason: reason,
  } }))
  park('not-ready', '2')
  t.match(w.acd.state.agents.get(agentId('lin'))?.presence, { kind: 'not-ready', reason: 'lunch' })
  park('logout')
  t.equal(w.acd.state.agents.get(agentId('lin'))?.presence.kind, 'logged-out')
  park('login')
  t.equal(w.acd.state.agents.get(agentId('lin'))?.presence.kind, 'ready')
  park('not-ready', '9')
  t.equal(w.acd.state.agents.get(agentId('lin'))?.presence.kind, 'ready', 'an unknown reason code changes nothing')
  await settle()
  await settle()
  const plays = w.control.ops('play').map((p) => (p.arg as string[])[0])
  t.same(plays.slice(-1), ['tone_stream://%(250,250,450);loops=3'], 'the failure tone for the unknown reason')
  t.equal(w.control.ops('hangup').length, 4)
  t.end()
})

t.test('presence is written to the log on every change and given back after a restart', async (t) => {
  const log = new MemoryPresenceLog()
  const w = await readyWorld([lin, mei], { presenceLog: log })
  w.acd.presence(agentId('mei'), { state: 'not-ready', reason: 'lunch' })
  await w.acd.flush()
  t.match(log.rows.at(-1), { agent: 'mei', presence: 'not-ready', reason: 'lunch', activity: 'idle' })
  const again = await shellWorld([lin, mei], { presenceLog: log, registered: ['1005'] })
  t.equal(again.acd.state.agents.get(agentId('lin'))?.presence.kind, 'ready')
  t.match(again.acd.state.agents.get(agentId('mei'))?.presence, { kind: 'not-ready', reason: 'lunch' })
  t.equal(again.acd.state.agents.get(agentId('lin'))?.registered, true, 'registration read from sofia status on start')
  t.end()
})

t.test('enqueue refuses an unknown queue with a stable code', async (t) => {
  const w = await readyWorld()
  const r = w.acd.enqueue(callId('c1'), { queue: queueId('nope') })
  t.match(r, { ok: false, error: { code: 'queue-unknown' } })
  t.end()
})

t.test('a repeated enqueue keeps the caller\'s place and does not restamp its entry time', async (t) => {
  const w = await readyWorld([])
  t.match(w.acd.enqueue(callId('c1'), { queue: support }), { ok: true, value: { position: 1 } })
  t.match(w.acd.enqueue(callId('c2'), { queue: support }), { ok: true, value: { position: 2 } })
  w.clock.advance(seconds(30))
  t.match(w.acd.enqueue(callId('c1'), { queue: support }), { ok: true, value: { position: 1 } })
  t.equal(w.control.ops('setVars').length, 2, 'stamped once per caller')
  t.end()
})

t.test('an agent leg answered after Hotline gave up on its offer (a stalled link) is hung up, not left in silence', async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  const offer = w.control.originates[0]!.vars['hotline_offer_id']!
  // The link stalls: the bgapi's answer is lost, the core's ring timeout cancels (and that cancel never reaches the switch).
  w.control.unreachable('agent-leg-1')
  await settle()
  w.clock.advance(seconds(20))
  t.equal(w.control.ops('hangup').length, 1, 'the ring is cancelled at its timeout')
  // The switch completes the originate later: the agent picked up.
  w.acd.onCallEvent({ type: 'agent-leg-answered', offerId: offer as never, leg: channelUuid('agent-leg-1'), callId: callId('c1') })
  t.same(w.control.ops('hangup').at(-1), { op: 'hangup', leg: 'agent-leg-1', arg: 'ORIGINATOR_CANCEL' })
  t.equal(w.acd.orphansHungUp, 1, 'counted for health')
  t.not(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'on-call')
  // A consulted transfer's leg is call-transfers' own; a leg the ACD bridged is the agent's phone.
  w.acd.onCallEvent({ type: 'agent-leg-answered', offerId: 'transfer-x' as never, leg: channelUuid('consult-1'), callId: callId('c1') })
  t.equal(w.control.ops('hangup').length, 2, 'a transfer leg is left alone')
  t.end()
})

t.test('a lost ring answered after its caller hung up is hung up, and the agent is free', async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  const offer = w.control.originates[0]!.vars['hotline_offer_id']!
  w.control.unreachable('agent-leg-1')
  await settle()
  // The caller hangs up meanwhile: the core drops the offer (its cancel is lost too).
  w.acd.onCallEvent(callerHungUp)
  const before = w.control.ops('hangup').length
  w.acd.onCallEvent({ type: 'agent-leg-answered', offerId: offer as never, leg: channelUuid('agent-leg-1'), callId: callId('c1') })
  t.equal(w.control.ops('hangup').length, before + 1)
  t.equal(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'idle', 'the agent is free for the next caller')
  t.end()
})

t.test('an agent added while their phone is already registered is reachable at once, not after its next REGISTER', async (t) => {
  const w = await shellWorld([], { registered: ['1007'] })
  const r = await w.acd.admin.saveAgent(sipAgent('zhou', '1007'))
  t.match(r, { ok: true, value: { registered: true } })
  const other = await w.acd.admin.saveAgent(sipAgent('qian', '1008'))
  t.match(other, { ok: true, value: { registered: false } }, 'a phone the switch does not list stays unregistered')
  t.end()
})

t.test("the wallboard's time in state counts for an agent ringing and in wrap-up, not only idle and on-call", async (t) => {
  const w = await readyWorld()
  w.acd.enqueue(callId('c1'), { queue: support })
  w.clock.advance(1500)
  t.equal(w.acd.admin.agent(agentId('lin'))?.activityForMs, 1500, 'ringing for 1.5 s')
  w.control.answered('agent-leg-1')
  await settle()
  w.acd.onCallEvent(callerHungUp)
  t.equal(w.acd.state.agents.get(agentId('lin'))?.activity.kind, 'wrap-up')
  w.clock.advance(3000)
  t.equal(w.acd.admin.agent(agentId('lin'))?.activityForMs, 3000, 'in wrap-up for 3 s')
  t.end()
})

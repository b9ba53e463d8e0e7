import t from 'tap'
import { channelUuid } from '../shared/index.ts'
import { registeredUsers, registrationOf, featureCallOf } from './agent-phone.ts'
import { offerFailure } from './offer-dial.ts'
import { RECOVERY_VARS, decodeSkills, encodeSkills, parseAcdChannel, planRecovery, recoveryExpression } from './recovery.ts'

const evalOf = (vars: Record<string, string>, answered = true, caller = '13800000001'): string =>
  [...RECOVERY_VARS.map((k) => vars[k] ?? ''), answered ? 'answered' : 'early', caller].join('|')

const ch = (uuid: string, vars: Record<string, string>, answered = true) => parseAcdChannel(channelUuid(uuid), evalOf(vars, answered))!

t.test('the eval expression asks for channel variables with the variable_ prefix (fact 6)', (t) => {
  t.match(recoveryExpression(), /^\$\{variable_hotline_call_id\}\|\$\{variable_hotline_queue\}/)
  t.equal(parseAcdChannel(channelUuid('x'), '-ERR no such channel\n'), undefined)
  t.end()
})

t.test('a waiting caller is rebuilt in its queue with its tier, skills and original entry time; bad stamps fall back safely', (t) => {
  const plan = planRecovery([
    ch('late', { hotline_call_id: 'c2', hotline_queue: 'support', hotline_enqueued_at: '2000', hotline_tier: 'weird', hotline_skills: 'x:9,ok:2' }),
    ch('early', { hotline_call_id: 'c1', hotline_queue: 'support', hotline_enqueued_at: '1000', hotline_tier: 'gold', hotline_skills: 'billing:3' }),
  ], [], 5000, () => false)
  t.same(plan.waiting.map((w) => [w.call, w.enqueuedAt, w.tier, w.skills]), [
    ['c1', 1000, 'gold', [{ skill: 'billing', min: 3 }]],
    ['c2', 2000, 'standard', [{ skill: 'ok', min: 2 }]],
  ])
  t.end()
})

t.test('a ringing agent leg is cancelled; a bridged one restores its agent on the call; a re-parked customer is not re-queued', (t) => {
  const plan = planRecovery([
    ch('ring', { hotline_offer_id: 'c1/3', hotline_call_id: 'c1', hotline_agent: 'lin' }, false),
    ch('cust', { hotline_call_id: 'c9', hotline_queue: 'support', hotline_enqueued_at: '1000', hotline_bridged_at: '3000' }),
    ch('talk', { hotline_offer_id: 'c9/1', hotline_call_id: 'c9', hotline_agent: 'mei' }),
    ch('after', { hotline_call_id: 'c7', hotline_queue: 'support', hotline_enqueued_at: '1000', hotline_bridged_at: '1500' }),
  ], [[channelUuid('cust'), channelUuid('talk')]], 5000, () => false)
  t.same(plan.cancel, ['ring'])
  t.match(plan.talking, [{ kind: 'agent-call-restored', agent: 'mei', call: 'c9', queue: 'support', since: 3000, leg: 'talk' }])
  t.same(plan.waiting, [])
  t.end()
})

t.test('a caller on hold is restored on hold with the agent whose leg holds it; a consultation is ended on a restart and kept on a reconnect', (t) => {
  const channels = [
    ch('cust', { hotline_call_id: 'c9', hotline_queue: 'support', hotline_enqueued_at: '1000', hotline_bridged_at: '3000', hotline_agent: 'mei', hotline_held_leg: 'desk' }),
    ch('desk', { hotline_offer_id: 'c9/1', hotline_call_id: 'c9', hotline_agent: 'mei' }),
    ch('consult', { hotline_offer_id: 'transfer-consult', hotline_call_id: 'c9', hotline_agent: 'lin' }),
  ]
  const bridged = [[channelUuid('desk'), channelUuid('consult')] as const]
  const restart = planRecovery(channels, bridged, 5000, () => false)
  t.match(restart.held, [{ kind: 'agent-call-restored', agent: 'mei', call: 'c9', queue: 'support', since: 3000, leg: 'desk', customerLeg: 'cust' }])
  t.same(restart.waiting, [], 'not waiting: it is with its agent')
  t.same(restart.talking, [])
  t.same(restart.cancel, ['consult'], 'the agent leg stays up; the consultation goes')
  const reconnect = planRecovery(channels, bridged, 5000, (leg) => leg === 'desk')
  t.same(reconnect.cancel, [])
  t.end()
})

t.test('a caller on hold whose agent leg is gone waits again at the head of its queue, with its original entry time', (t) => {
  const plan = planRecovery([
    ch('cust', { hotline_call_id: 'c9', hotline_queue: 'support', hotline_enqueued_at: '1000', hotline_bridged_at: '3000', hotline_held_leg: 'gone' }),
    ch('later', { hotline_call_id: 'c10', hotline_queue: 'support', hotline_enqueued_at: '2000' }),
  ], [], 5000, () => false)
  t.same(plan.held, [])
  t.same(plan.waiting.map((w) => [w.call, w.enqueuedAt]), [['c9', 1000], ['c10', 2000]])
  t.end()
})

t.test('an agent leg the running shell still tracks is left alone on a reconnect', (t) => {
  const plan = planRecovery([ch('ring', { hotline_offer_id: 'c1/3', hotline_agent: 'lin' }, false)], [], 0, (leg) => leg === 'ring')
  t.same(plan.cancel, [])
  t.end()
})

t.test('skills survive the channel variable round trip', (t) => {
  const s = [{ skill: 'billing', min: 3 }, { skill: 'tv', min: 1 }]
  t.same(decodeSkills(encodeSkills(s)), s)
  t.same(decodeSkills(undefined), [])
  t.end()
})

t.test('registration events name the agent by its SIP user (fact 23), unregister by from-user', (t) => {
  t.same(registrationOf('sofia::register', { username: '1005', 'from-user': '1005' }), { user: '1005', registered: true })
  t.same(registrationOf('sofia::unregister', { username: 'unknown', 'from-user': '1005' }), { user: '1005', registered: false })
  t.same(registrationOf('sofia::expire', { user: '1005', username: '1005', expires: '1790000000' }), { user: '1005', registered: false })
  t.equal(registrationOf('sofia::gateway_state', { username: '1005' }), undefined)
  t.equal(registrationOf('sofia::register', {}), undefined)
  t.end()
})

t.test('sofia status reg text gives the registered users (fact 24)', (t) => {
  const text = '\nRegistrations:\n====\nCall-ID:    \tabc\nUser:       \t1005@127.0.0.1\nContact:    \tx\nUser:       \t1001@pbx\nTotal items returned: 2\n'
  t.same([...registeredUsers(text)], ['1005', '1001'])
  t.same([...registeredUsers('garbage')], [])
  t.end()
})

t.test('feature parks are read from the dialplan variables; other parks are not features', (t) => {
  t.same(featureCallOf({ 'Unique-ID': 'u', variable_hotline_feature: 'not-ready', variable_hotline_feature_reason: '2', variable_hotline_agent_extension: '1005' }),
    { leg: 'u', extension: '1005', feature: { kind: 'not-ready', reasonCode: '2' } })
  t.equal(featureCallOf({ 'Unique-ID': 'u', variable_hotline_entry: '96200' }), undefined)
  t.match(featureCallOf({ 'Unique-ID': 'u', variable_hotline_feature: 'dance' }), { feature: { kind: 'unknown' } })
  t.end()
})

t.test('originate causes map to offer failures', (t) => {
  t.same(['NO_ANSWER', 'USER_BUSY', 'CALL_REJECTED', 'USER_NOT_REGISTERED', undefined].map(offerFailure), ['no-answer', 'busy', 'rejected', 'unreachable', 'unreachable'])
  t.end()
})

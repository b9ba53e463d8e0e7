/**
 * A supervisor listens in from their own desk phone (a real SIP phone) on the real switch,
 * through `hotline start`'s API: Hotline rings the supervisor's phone into an eavesdrop of the
 * agent's call. Listening, the supervisor hears the caller and the agent and the caller does not
 * hear the supervisor; whispering, still not the caller; barging in, the caller hears the supervisor too.
 */
import t from 'tap'
import { join } from 'node:path'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must } from './support/hotline-api.ts'
import { startLab } from './support/lab.ts'
import { setUpAgents } from './support/agents.ts'
import { CALLER_HZ, callerReaches, callerSpeaksAndListens } from './support/agent-calls.ts'
import { heardTone } from './support/wav.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(400_000)

t.test('listen, whisper and barge from the supervisor\'s desk phone', { skip }, async (t) => {
  const lab = await startLab(t)
  const people = await setUpAgents(t, lab, [{ id: 'lin', extension: '2001', voiceHz: 440 }, { id: 'desk-sun', extension: '8002', voiceHz: 880, role: 'supervisor' }])
  const lin = people.get('lin')!
  const sun = people.get('desk-sun')!
  const { call } = await callerReaches(lab, lin, '13800000801')

  const ringing = sun.phone.mark
  const listening = must(sun.api.call('POST', '/supervision', { agentId: 'lin', mode: 'listen' }), 'listen in')
  await sun.phone.incoming({ since: ringing, timeoutMs: 30_000 })
  await sun.phone.answer()
  await listening
  await sun.phone.waitFor('CALL_ESTABLISHED', { since: ringing, timeoutMs: 20_000 })
  t.match(await must(sun.api.call('GET', '/supervision'), 'the eavesdrop'), { session: { agentId: 'lin', mode: 'listen' } }, 'listening')

  const phase = async (name: string): Promise<number> => {
    const file = join(lab.dir, `caller-${name}.wav`)
    await callerSpeaksAndListens(lab, call, file, 4)
    const heard = heardTone(file, sun.voiceHz, { minShare: 0.1 }).toneSeconds
    t.comment(`${name}: the caller heard ${heard} s of the supervisor; of lin ${heardTone(file, lin.voiceHz, { minShare: 0.1 }).toneSeconds} s`)
    return heard
  }
  t.ok(await phase('listen') < 0.5, 'listening: the caller does not hear the supervisor')
  await must(sun.api.call('POST', '/supervision', { agentId: 'lin', mode: 'whisper' }), 'whisper')
  t.ok(await phase('whisper') < 0.5, 'whispering: the caller still does not hear the supervisor')
  await must(sun.api.call('POST', '/supervision', { agentId: 'lin', mode: 'barge' }), 'barge')
  t.ok(await phase('barge') >= 2, 'barging in: the caller hears the supervisor')

  await must(sun.api.call('DELETE', '/supervision'), 'hang up the eavesdrop')
  await sun.phone.waitFor('CALL_CLOSED', { since: ringing, timeoutMs: 20_000 })
  const sunHeard = sun.phone.heardFile()
  t.ok(sunHeard, 'the supervisor\'s phone recorded what it heard')
  const ofCaller = heardTone(sunHeard!, CALLER_HZ, { minShare: 0.1 }).toneSeconds
  const ofAgent = heardTone(sunHeard!, lin.voiceHz, { minShare: 0.1 }).toneSeconds
  t.comment(`the supervisor heard the caller ${ofCaller} s, lin ${ofAgent} s`)
  t.ok(ofCaller >= 6 && ofAgent >= 6, 'the supervisor heard both sides')
  const linHeard = lin.phone.heardFile()
  await lab.carrierWatch.api(`uuid_kill ${call.far}`)
  await lin.phone.waitFor('CALL_CLOSED', { timeoutMs: 60_000 })
  const linOfSun = heardTone(lin.phone.heardFile() ?? linHeard!, sun.voiceHz, { minShare: 0.1 }).toneSeconds
  t.comment(`lin heard the supervisor ${linOfSun} s`)
  t.ok(linOfSun >= 4, 'the agent heard the whisper and the barge')
})

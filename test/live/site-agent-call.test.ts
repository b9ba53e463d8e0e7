/**
 * The first thing a center needs, on the real switch, through `hotline start`: a trunk caller who
 * asks for an agent reaches one on a real SIP phone (baresip registered to the kit's internal
 * profile with the password `hotline phones generate` made). The agent's phone rings and the
 * screen-pop reaches the agent's console stream with it; the agent answers; each side hears the
 * other (the caller's 1000 Hz at the phone, the agent's 440 Hz at the gateway); Hotline's recording
 * holds both; when the caller hangs up the agent has wrap-up, then is free; the next caller goes to
 * the next free agent. Every call leaves one closed CDR with its agent.
 */
import t, { type Test } from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must, openStream, type SseEvent } from './support/hotline-api.ts'
import { startLab, type Lab, type TrunkCall } from './support/lab.ts'
import { siteCdrs } from './support/caller-journey.ts'
import { CALLER_HZ, callerAsksForAnAgent, callerSpeaksAndListens, joins } from './support/agent-calls.ts'
import { setUpAgents, type DeskAgent } from './support/agents.ts'
import { heardTone } from './support/wav.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(400_000)

const FIRST = '13800000501'
const SECOND = '13800000502'

const popFor = (caller: string) => (e: SseEvent): boolean => e.event === 'pop' && (e.data as { caller?: string }).caller === caller
const activityIs = (kind: string) => (e: SseEvent): boolean => e.event === 'agent-state' && (e.data as { activity?: { kind?: string } }).activity?.kind === kind

async function connect(t: Test, lab: Lab, agent: DeskAgent, from: string): Promise<{ call: TrunkCall; ringToPopMs: number }> {
  const stream = await openStream(agent.api, '/agents/me/events')
  t.teardown(() => stream.close())
  const mark = agent.phone.mark
  const since = lab.pbxWatch.mark
  const call = await callerAsksForAnAgent(lab, from)
  const ring = await agent.phone.incoming({ since: mark, timeoutMs: 60_000 })
  const pop = await stream.next(popFor(from), `the screen-pop of ${from}`, 20_000)
  const ringToPopMs = pop.at - ring.at
  t.comment(`${agent.id}: pop ${ringToPopMs < 0 ? `${-ringToPopMs} ms before` : `${ringToPopMs} ms after`} the phone rang`)
  t.ok(ringToPopMs < 1000, `${agent.id}'s screen-pop arrived with the ring (${ringToPopMs} ms)`)
  t.match(pop.data, { caller: from, queue: 'general', agent: agent.id }, 'the pop names the caller and the queue')
  const bridged = lab.pbxWatch.next(joins(call.leg), `${from} bridged to ${agent.id}`, { since, timeoutMs: 30_000 })
  await agent.phone.answer()
  await Promise.all([bridged, agent.phone.waitFor('CALL_ESTABLISHED', { since: mark, timeoutMs: 20_000 })])
  await stream.next((e) => e.event === 'pop-updated' || activityIs('on-call')(e), 'the console told of the answer', 20_000)
  stream.close()
  return { call, ringToPopMs }
}

t.test('a trunk caller reaches an agent on a real SIP phone, both hear each other, wrap-up, then the next caller to the next agent', { skip }, async (t) => {
  const lab = await startLab(t)
  await must(lab.admin.call('PUT', '/queues/general', { wrapUp: 4000 }), 'the general queue with a short wrap-up')
  const agents = await setUpAgents(t, lab, [{ id: 'lin', extension: '2001', voiceHz: 440 }, { id: 'chen', extension: '2002', voiceHz: 660, ready: false }])
  const lin = agents.get('lin')!
  const chen = agents.get('chen')!

  const { call } = await connect(t, lab, lin, FIRST)
  const heardAtGateway = join(lab.dir, 'caller-heard.wav')
  await callerSpeaksAndListens(lab, call, heardAtGateway, 5)

  const linStream = await openStream(lin.api, '/agents/me/events')
  t.teardown(() => linStream.close())
  const closed = lin.phone.waitFor('CALL_CLOSED', { timeoutMs: 60_000 })
  await lab.carrierWatch.api(`uuid_kill ${call.far}`)
  await linStream.next(activityIs('wrap-up'), 'lin in wrap-up', 20_000)
  const free = await linStream.next(activityIs('idle'), 'lin free again after the wrap-up', 30_000)
  t.ok(free, 'lin free after wrap-up')
  const ended = await closed
  t.comment(`lin's phone: call closed (${ended.param}) ${free.at - ended.at} ms before lin was free`)

  const callerHeard = heardTone(heardAtGateway, lin.voiceHz)
  t.comment(`the caller heard ${callerHeard.toneSeconds} s of lin's ${lin.voiceHz} Hz in ${callerHeard.seconds} s`)
  t.ok(callerHeard.toneSeconds >= 3, 'the caller heard the agent')
  const agentHeardFile = lin.phone.heardFile()
  t.ok(agentHeardFile, 'lin\'s phone recorded what it heard')
  const agentHeard = heardTone(agentHeardFile!, CALLER_HZ)
  t.comment(`lin heard ${agentHeard.toneSeconds} s of the caller's ${CALLER_HZ} Hz in ${agentHeard.seconds} s`)
  t.ok(agentHeard.toneSeconds >= 3, 'the agent heard the caller')

  // Hotline's recording of the call: the caller on one channel, the agent on the other.
  const db = new Database(lab.site.db, { readonly: true })
  const rec = db.prepare('select * from recordings where caller_number = ?').get(FIRST) as { file_path: string; channels: number; status: string } | undefined
  db.close()
  t.ok(rec, 'a recording row for the call')
  if (rec) {
    // Stereo: one voice per channel. Mono: both voices mixed, talking at once.
    const channels = rec.channels === 2 ? [0, 1] : [0]
    const minShare = rec.channels === 2 ? 0.6 : 0.1
    const caller = Math.max(...channels.map((channel) => heardTone(rec.file_path, CALLER_HZ, { channel, minShare }).toneSeconds))
    const agent = Math.max(...channels.map((channel) => heardTone(rec.file_path, lin.voiceHz, { channel, minShare }).toneSeconds))
    t.comment(`recording ${rec.channels} channel(s), ${rec.status}: caller ${caller} s, agent ${agent} s`)
    t.ok(caller >= 3 && agent >= 3, 'the recording holds both voices')
  }

  // The next caller goes to the agent who is free: lin takes a break, chen comes ready.
  await must(lin.api.call('POST', '/agents/lin/presence', { state: 'not-ready', reason: 'break' }), 'lin on a break')
  await must(chen.api.call('POST', '/agents/chen/presence', { state: 'ready' }), 'chen ready')
  const second = await connect(t, lab, chen, SECOND)
  await lab.carrierWatch.api(`uuid_kill ${second.call.far}`)
  await chen.phone.waitFor('CALL_CLOSED', { timeoutMs: 60_000 }).catch(() => undefined)

  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab)
  t.comment(JSON.stringify(rows))
  t.match(rows.filter((r) => r.caller_number === FIRST), [{ outcome: 'answered', agent_id: 'lin', ended_at: Number }], 'one closed CDR, answered by lin')
  t.match(rows.filter((r) => r.caller_number === SECOND), [{ outcome: 'answered', agent_id: 'chen', ended_at: Number }], 'one closed CDR, answered by chen')
  t.equal(rows.length, 2, 'two calls, two CDRs')
})

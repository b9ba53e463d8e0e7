/**
 * A caller's side of a conversation with an agent, at the E1 gateway: asking for an agent in the
 * IVR, speaking (a tone) while recording what the caller hears, and the PBX's bridge of the leg.
 */
import type { EslEvent } from '../../../src/esl/index.ts'
import { journey } from './caller-journey.ts'
import { callerPresses, placeTrunkCall, type Lab, type TrunkCall } from './lab.ts'
import type { SipPhone } from './sip-phone.ts'
import { openStream, type Api } from './hotline-api.ts'

export const CALLER_HZ = 1000

export const joins = (leg: string) => (e: EslEvent): boolean => e.name === 'CHANNEL_BRIDGE' && [e.header('Bridge-A-Unique-ID'), e.header('Bridge-B-Unique-ID')].includes(leg)

/** A caller through the IVR to the agent queue (0 at the main menu). */
export async function callerAsksForAnAgent(lab: Lab, from: string): Promise<TrunkCall> {
  const since = lab.pbxWatch.mark
  const call = await placeTrunkCall(lab, { from })
  await journey(lab, call, since).menu('zh/main-menu.wav')
  await callerPresses(lab, call, '0')
  return call
}

/**
 * The caller speaks (a CALLER_HZ tone for `seconds`) while the gateway records what the caller
 * hears (read direction only: not the caller's own tone) into `file`. Resolves when the tone has played.
 */
export async function callerSpeaksAndListens(lab: Lab, call: TrunkCall, file: string, seconds: number): Promise<void> {
  const c = lab.carrierWatch
  await c.api(`uuid_setvar ${call.far} RECORD_READ_ONLY true`)
  const rec = await c.api(`uuid_record ${call.far} start ${file}`)
  if (!rec.startsWith('+OK')) throw new Error(`uuid_record at the gateway: ${rec}`)
  const since = c.mark
  const spoke = c.next((e) => e.name === 'PLAYBACK_STOP' && e.header('Unique-ID') === call.far, 'the caller\'s tone played', { since, timeoutMs: (seconds + 20) * 1000 })
  const r = await c.api(`uuid_broadcast ${call.far} tone_stream://%(${seconds * 1000},0,${CALLER_HZ}) aleg`)
  if (!r.startsWith('+OK')) throw new Error(`uuid_broadcast at the gateway: ${r}`)
  await spoke
  await c.api(`uuid_record ${call.far} stop ${file}`)
}

/** A caller asks for an agent, the agent's phone rings and the agent answers: bridged, and the agent's console says on-call. */
export async function callerReaches(lab: Lab, agent: { readonly phone: SipPhone; readonly api: Api }, from: string): Promise<{ call: TrunkCall; agentLeg: string }> {
  const stream = await openStream(agent.api, '/agents/me/events')
  const onCall = stream.next((e) => e.event === 'agent-state' && (e.data as { activity?: { kind?: string } }).activity?.kind === 'on-call', 'the agent on the call', 60_000)
  onCall.catch(() => undefined)
  const mark = agent.phone.mark
  const since = lab.pbxWatch.mark
  const call = await callerAsksForAnAgent(lab, from)
  await agent.phone.incoming({ since: mark, timeoutMs: 60_000 })
  const bridged = lab.pbxWatch.next(joins(call.leg), `${from} bridged`, { since, timeoutMs: 30_000 })
  await agent.phone.answer()
  const b = await bridged
  await agent.phone.waitFor('CALL_ESTABLISHED', { since: mark, timeoutMs: 20_000 })
  await onCall.finally(() => stream.close())
  const agentLeg = b.header('Bridge-A-Unique-ID') === call.leg ? b.header('Bridge-B-Unique-ID') ?? '' : b.header('Bridge-A-Unique-ID') ?? ''
  return { call, agentLeg }
}

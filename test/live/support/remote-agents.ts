/**
 * Remote agents: agents whose contact is a PSTN number, reached through the kit's `carrier`
 * gateway. Their calls arrive at the carrier switch's `pstn` profile and wait there, ringing,
 * until the test answers them — as the agent's mobile would.
 */
import { must } from './hotline-api.ts'
import type { Lab } from './lab.ts'

export async function remoteAgent(lab: Lab, id: string, number: string, o: { ready?: boolean; queues?: string[] } = {}): Promise<void> {
  const queues = o.queues ?? ['general']
  await must(lab.admin.call('PUT', `/agents/${id}`, { name: `${id} (remote)`, contact: { kind: 'pstn', number }, skills: Object.fromEntries(queues.map((q) => [q, 1])), queues }), `agent ${id}`)
  if (o.ready ?? true) await must(lab.admin.call('POST', `/agents/${id}/presence`, { state: 'ready' }), `${id} ready`)
}

/** The next call to `number` ringing at the carrier (seen from `since`); answers it and gives its leg. */
export async function answerAtCarrier(lab: Lab, number: string, since: number, o: { answer?: boolean } = {}): Promise<string> {
  const ring = await lab.carrierWatch.next((e) => e.name === 'CHANNEL_CREATE' && e.header('Caller-Destination-Number') === number, `${number} ringing at the carrier`, { since, timeoutMs: 60_000 })
  const leg = ring.header('Unique-ID') ?? ''
  if (o.answer ?? true) {
    const r = await lab.carrierWatch.api(`uuid_answer ${leg}`)
    if (!r.startsWith('+OK')) throw new Error(`uuid_answer ${number}: ${r}`)
  }
  return leg
}

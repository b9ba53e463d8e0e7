/**
 * The demo's sample center: five agents with skills on desk phones 2001-2005, the supervisor's
 * desk phone 8001, sample customers (crm), and users to log in with. The extensions are ones the
 * kit's dialplan routes (agent_extensions `[2-8][0-9]{3}` in freeswitch-conf/vars.xml); 8001 is also
 * the first phone of the kit's safety-net ring group (hotline_fallback_dialstring). The queues come
 * from `hotline start`, which creates those ivr-scripts declares; the seed only adds one its agents
 * need if a site's flows lack it. Idempotent, so the demo can be restarted on the same database.
 * The password is made fresh on every start and shown once on the terminal, never written to the
 * repository or the log.
 */
import { randomBytes } from 'node:crypto'
import { queueConfig } from '../acd/index.ts'
import type { Center } from '../app/index.ts'
import { seedSampleCustomers } from '../crm/index.ts'
import { agentId, queueId, type AgentId } from '../shared/index.ts'
import type { Store } from '../store/index.ts'

const QUEUES = ['general', 'billing', 'repair', 'sales'] as const

const AGENTS: ReadonlyArray<{ id: string; name: string; phone: string; skills: Record<string, number> }> = [
  { id: 'lin', name: 'Lin Hui', phone: '2001', skills: { general: 3, billing: 3 } },
  { id: 'mei', name: 'Mei Ling', phone: '2002', skills: { repair: 4, general: 2 } },
  { id: 'wang', name: 'Wang Tao', phone: '2003', skills: { sales: 3, general: 2 } },
  { id: 'zhao', name: 'Zhao Yun', phone: '2004', skills: { billing: 5, repair: 2 } },
  { id: 'chen', name: 'Chen Jie', phone: '2005', skills: { general: 5, billing: 2, repair: 2, sales: 2 } },
]
/** The supervisor's own desk phone (in no queue), used to listen in, whisper and barge. */
const SUPERVISOR = { id: 'sup', name: 'Supervisor desk', phone: '8001' }

/** Every desk phone the seed gives out: the SIP users the demo's simulator registers. */
/**
 * When the demo's (and the sample-center tests') clock starts: Monday 23 November 2026, 10:00 in
 * Shanghai, inside the sample flows' agent hours (08:00-20:00), so sample callers reach agents
 * whatever the hour where it runs, instead of leaving messages at night.
 */
export const DEMO_OPENS_AT = Date.UTC(2026, 10, 23, 2, 0, 0)

export const DEMO_PHONES: readonly string[] = [...AGENTS.map((a) => a.phone), SUPERVISOR.phone]

export interface DemoLogins {
  readonly password: string
  readonly users: ReadonlyArray<{ readonly username: string; readonly role: string }>
  readonly agents: readonly AgentId[]
}

export async function seedDemo(center: Center, store: Store): Promise<DemoLogins> {
  for (const q of QUEUES) {
    if (center.acd.admin.queues().some((x) => x.id === q)) continue // made by `hotline start`, or an admin's: left as it is
    const r = await center.acd.admin.saveQueue(queueConfig(queueId(q), { ringTimeout: 15_000, wrapUp: 15_000 }))
    if (!r.ok) throw new Error(`demo: queue ${q}: ${r.error.message}`)
  }
  for (const a of AGENTS) {
    const r = await center.acd.admin.saveAgent({
      id: agentId(a.id), name: a.name, contact: { kind: 'sip', user: a.phone },
      skills: new Map(Object.entries(a.skills)), queues: Object.keys(a.skills).map(queueId),
    })
    if (!r.ok) throw new Error(`demo: agent ${a.id}: ${r.error.message}`)
  }
  const sup = await center.acd.admin.saveAgent({ id: agentId(SUPERVISOR.id), name: SUPERVISOR.name, contact: { kind: 'sip', user: SUPERVISOR.phone }, skills: new Map(), queues: [] })
  if (!sup.ok) throw new Error(`demo: supervisor phone: ${sup.error.message}`)
  await seedSampleCustomers(store)
  const password = randomBytes(9).toString('base64url')
  const logins = [
    { username: 'admin', role: 'admin' as const },
    { username: 'supervisor', role: 'supervisor' as const, agentId: SUPERVISOR.id },
    ...AGENTS.map((a) => ({ username: a.id, role: 'agent' as const, agentId: a.id })),
  ]
  const existing = new Map((await center.users.list()).map((u) => [u.username, u]))
  for (const l of logins) {
    const known = existing.get(l.username)
    const r = known ? await center.users.resetPassword(known.id, password) : await center.users.create({ ...l, password })
    if (!r.ok) throw new Error(`demo: user ${l.username}: ${r.error.message}`)
  }
  return { password, users: logins, agents: AGENTS.map((a) => agentId(a.id)) }
}

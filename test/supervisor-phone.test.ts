/**
 * A supervisor whose desk phone is assigned through the API can listen in at once: the whole
 * center over HTTP (startCenter), no restart in between. It used to answer 409
 * supervisor-phone-unknown until Hotline restarted (the phones were read once, at start).
 */
import t from 'tap'
import { startCenter } from './support/center.ts'

const center = await startCenter({ port: 0, sim: { agentPhones: { answerAfterMs: 500 } } })
t.teardown(() => center.stop())

async function api(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  // No keep-alive: the center's stop then has no idle API socket to wait for.
  const headers: Record<string, string> = { connection: 'close', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }
  const res = await fetch(`${center.url}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await res.text()
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}
async function login(username: string, password: string): Promise<string> {
  const r = await api('POST', '/auth/login', undefined, { username, password })
  if (r.status !== 200) throw new Error(`${username}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json['token'] as string
}

t.test('a supervisor desk phone given through the API is used for listening in at once', async (t) => {
  const admin = await login('admin', center.people.agent.password)
  // The new supervisor's desk phone is an agent record with a SIP contact, linked to the user.
  t.equal((await api('PUT', '/agents/desk-sun', admin, { name: 'Sun (supervisor desk)', contact: { kind: 'sip', user: '8002' } })).status, 200)
  center.sim.registerPhone('8002', { kind: 'auto-answer', afterMs: 0 })
  const created = await api('POST', '/users', admin, { username: 'sun', password: 'sun-long-password-1', role: 'supervisor', agentId: 'desk-sun' })
  t.equal(created.status, 201, JSON.stringify(created.json))
  const sun = await login('sun', 'sun-long-password-1')

  const lin = await login(center.people.agent.username, center.people.agent.password)
  t.equal((await api('POST', `/agents/${center.people.agent.agentId}/presence`, lin, { state: 'ready' })).status, 200)
  const caller = center.sim.call({ did: center.sample.did, caller: center.sample.caller })
  await caller.answered
  for (const keys of center.sample.keys) caller.press(keys)
  let r = { status: 0, json: {} as Record<string, unknown> }
  for (let i = 0; i < 200; i++) {
    r = await api('POST', '/supervision', sun, { agentId: center.people.agent.agentId, mode: 'listen' })
    if (r.status !== 409 || (r.json['error'] as { code?: string } | undefined)?.code !== 'agent-not-on-call') break
    await new Promise((resolve) => setTimeout(resolve, 100)) // the call is on its way to lin (real time, switch speed 10)
  }
  t.not((r.json['error'] as { code?: string } | undefined)?.code, 'supervisor-phone-unknown')
  t.match(r, { status: 201, json: { agentId: center.people.agent.agentId, mode: 'listen' } })
  t.equal((await api('DELETE', '/supervision', sun)).status, 200)
  caller.hangup()
  await caller.ended
  // The center stops only once the agent's recording is complete (the switch has closed the file).
  for (let i = 0; i < 100; i++) {
    const recs = (await api('GET', '/recordings?status=complete', admin)).json['recordings'] as unknown[] | undefined
    if ((recs?.length ?? 0) > 0) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
})

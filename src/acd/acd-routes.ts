/**
 * The ACD's REST API: agents and queues CRUD, skills, presence commands, wrap-up, the live
 * snapshot of a queue, and the ACD event stream (Server-Sent Events) for screen-pop and wallboard.
 */
import type { Router } from 'express'
import { newRouter, route, type Outcome, type Principal } from '../api/index.ts'
import { agentId, callId, queueId, type Failure } from '../shared/index.ts'
import type { AcdService } from './acd-service.ts'
import { agentBody, callbackBody, callParams, idParams, presenceBody, queueBody, skillsBody, toAgentRecord, toQueueConfig, wrapUpBody } from './acd-schemas.ts'
import { streamAcdEvents } from './acd-stream.ts'

export interface AcdRouteDeps {
  readonly acd: AcdService
}

type Code =
  | 'agent-unknown' | 'queue-unknown' | 'call-unknown' | 'agent-busy' | 'queue-busy' | 'agent-contact-taken' | 'agent-not-in-wrap-up' | 'reason-unknown'
  | 'call-not-waiting' | 'callback-already-requested' | 'callback-number-unknown'
const CODES: readonly string[] = [
  'agent-unknown', 'queue-unknown', 'call-unknown', 'agent-busy', 'queue-busy', 'agent-contact-taken', 'agent-not-in-wrap-up', 'reason-unknown',
  'call-not-waiting', 'callback-already-requested', 'callback-number-unknown',
]

/** A domain failure as an API error; a code the API does not know is a bug, so it surfaces as 500. */
function fail(f: Failure): Outcome {
  if (!CODES.includes(f.code)) throw new Error(`acd: unmapped failure ${f.code}: ${f.message}`)
  return { error: { code: f.code as Code, message: f.message } }
}

/** An agent may act on itself only; supervisors and admins on anyone. */
function notYours(p: Principal | undefined, id: string): Outcome | undefined {
  if (p?.role === 'agent' && p.agentId !== id) return { error: { code: 'forbidden', message: 'an agent may only change their own state' } }
  return undefined
}

export function acdRoutes(deps: AcdRouteDeps): Router {
  const r = newRouter()
  const { acd } = deps
  const admin = acd.admin

  route(r, { method: 'get', path: '/agents', summary: 'Agents with presence, activity and registration', tag: 'acd', role: 'supervisor' }, () => ({ json: { agents: admin.agents() } }))

  route(r, { method: 'get', path: '/agents/:id', summary: 'One agent', tag: 'acd', role: 'agent', params: idParams }, ({ params, principal }) => {
    const denied = notYours(principal, params.id)
    if (denied) return denied
    const a = admin.agent(agentId(params.id))
    return a ? { json: a } : { error: { code: 'agent-unknown', message: `no agent ${params.id}` } }
  })

  route(r, { method: 'put', path: '/agents/:id', summary: 'Create or change an agent (contact, skills 1-5, queues)', tag: 'acd', role: 'supervisor', params: idParams, body: agentBody }, async ({ params, body }) => {
    const res = await admin.saveAgent(toAgentRecord(params.id, body))
    return res.ok ? { json: res.value } : fail(res.error)
  })

  route(r, { method: 'delete', path: '/agents/:id', summary: 'Remove an agent who is not ringing or talking', tag: 'acd', role: 'supervisor', params: idParams }, async ({ params }) => {
    const res = await admin.removeAgent(agentId(params.id))
    return res.ok ? { status: 200, json: { removed: params.id } } : fail(res.error)
  })

  route(r, { method: 'put', path: '/agents/:id/skills', summary: "Replace an agent's skills (levels 1-5)", tag: 'acd', role: 'supervisor', params: idParams, body: skillsBody }, async ({ params, body }) => {
    const current = admin.agent(agentId(params.id))
    if (!current) return { error: { code: 'agent-unknown', message: `no agent ${params.id}` } }
    const res = await admin.saveAgent({ id: current.id, name: current.name, contact: current.contact, queues: current.queues, skills: new Map(Object.entries(body.skills)) })
    return res.ok ? { json: res.value } : fail(res.error)
  })

  route(r, { method: 'post', path: '/agents/:id/presence', summary: 'Log in / out, ready, not ready with a reason', tag: 'acd', role: 'agent', params: idParams, body: presenceBody }, ({ params, body, principal }) => {
    const denied = notYours(principal, params.id)
    if (denied) return denied
    if (body.state === 'not-ready' && body.reason !== undefined && acd.reasons.length > 0 && !acd.reasons.includes(body.reason)) {
      return { error: { code: 'reason-unknown', message: `reason must be one of: ${acd.reasons.join(', ')}` } }
    }
    const res = acd.presence(agentId(params.id), body.reason === undefined ? { state: body.state } : { state: body.state, reason: body.reason })
    return res.ok ? { json: admin.agent(res.value.id) } : fail(res.error)
  })

  route(r, { method: 'post', path: '/agents/:id/wrap-up', summary: 'Extend the current wrap-up', tag: 'acd', role: 'agent', params: idParams, body: wrapUpBody }, ({ params, body, principal }) => {
    const denied = notYours(principal, params.id)
    if (denied) return denied
    const res = acd.extendWrapUp(agentId(params.id), body.extendBy)
    return res.ok ? { json: admin.agent(res.value.id) } : fail(res.error)
  })

  route(r, { method: 'get', path: '/queues', summary: 'Queues and their configuration', tag: 'acd', role: 'supervisor' }, () => ({ json: { queues: admin.queues() } }))

  route(r, { method: 'put', path: '/queues/:id', summary: 'Create or change a queue (durations in ms)', tag: 'acd', role: 'supervisor', params: idParams, body: queueBody }, async ({ params, body }) => {
    const res = await admin.saveQueue(toQueueConfig(queueId(params.id), body))
    return res.ok ? { json: res.value } : fail(res.error)
  })

  route(r, { method: 'delete', path: '/queues/:id', summary: 'Remove a queue nobody waits in', tag: 'acd', role: 'supervisor', params: idParams }, async ({ params }) => {
    const res = await admin.removeQueue(queueId(params.id))
    return res.ok ? { json: { removed: params.id } } : fail(res.error)
  })

  route(r, { method: 'get', path: '/queues/:id/live', summary: 'Waiting callers (tier, wait) and agents by state, now', tag: 'acd', role: 'agent', params: idParams }, ({ params }) => {
    const live = admin.live(queueId(params.id))
    return live ? { json: live } : { error: { code: 'queue-unknown', message: `no queue ${params.id}` } }
  })

  route(r, {
    method: 'post', path: '/calls/:callId/callback', summary: 'Call a waiting caller back instead: the caller hears the confirmation and hangs up, the place in the queue is kept',
    tag: 'acd', role: 'agent', params: callParams, body: callbackBody,
  }, ({ params, body }) => {
    const res = acd.requestCallback(callId(params.callId), body.number)
    return res.ok ? { status: 202, json: { call: params.callId, ...res.value } } : fail(res.error)
  })

  route(r, { method: 'get', path: '/acd/events', summary: 'ACD events as Server-Sent Events (agents: their own)', tag: 'acd', role: 'agent', produces: 'text/event-stream' }, ({ req, res, principal }) => {
    streamAcdEvents(acd.bus, req, res, principal)
    return undefined
  })

  return r
}

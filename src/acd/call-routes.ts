/**
 * The agent console's call controls (docs/console.md): hold, unhold, hang up, blind and consulted
 * transfer, complete and cancel. An agent controls only a call they are on; supervisors any call.
 */
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, route, type Outcome, type Principal } from '../api/index.ts'
import { agentId, callId, queueId, type CallId, type Failure } from '../shared/index.ts'
import type { AcdService } from './acd-service.ts'
import type { CallControls } from './call-controls.ts'
import type { CallControlCode, TransferTarget } from './transfer-plan.ts'

export interface CallRouteDeps {
  readonly controls: CallControls
  readonly acd: Pick<AcdService, 'state'>
}

const callParams = z.object({ callId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a call id') })
const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1-64)')
const number = z.string().regex(/^\+?\d{3,20}$/, '3-20 digits, optionally with a leading +')

/** `to` as an object, or as the console's free text: `agent:<id>`, `queue:<id>`, a number, or a bare agent or queue id. */
const targetSchema = z.union([
  z.object({ agent: id }).strict(),
  z.object({ queue: id }).strict(),
  z.object({ number }).strict(),
  z.string().trim().min(1).max(64),
])

export const transferBody = z.object({ to: targetSchema, kind: z.enum(['blind', 'consulted']).default('blind') }).strict()

/** Resolves the target; undefined when free text names nothing known. */
export function transferTarget(to: z.infer<typeof targetSchema>, known: Pick<AcdService['state'], 'agents' | 'queues'>): TransferTarget | undefined {
  if (typeof to !== 'string') {
    if ('agent' in to) return { kind: 'agent', agent: agentId(to.agent) }
    if ('queue' in to) return { kind: 'queue', queue: queueId(to.queue) }
    return { kind: 'number', number: to.number }
  }
  const [prefix, rest] = to.includes(':') ? [to.slice(0, to.indexOf(':')), to.slice(to.indexOf(':') + 1)] : ['', to]
  if (prefix === 'agent' && id.safeParse(rest).success) return { kind: 'agent', agent: agentId(rest) }
  if (prefix === 'queue' && id.safeParse(rest).success) return { kind: 'queue', queue: queueId(rest) }
  if (prefix !== '') return undefined
  if (number.safeParse(to).success) return { kind: 'number', number: to }
  if (known.agents.get(agentId(to))) return { kind: 'agent', agent: agentId(to) }
  if (known.queues.has(queueId(to))) return { kind: 'queue', queue: queueId(to) }
  return undefined
}

const fail = (f: Failure<CallControlCode>): Outcome => ({ error: { code: f.code, message: f.message } })

export function callRoutes(deps: CallRouteDeps): Router {
  const r = newRouter()
  const { controls } = deps

  /** An agent may act only on a call they are on. */
  const denied = (p: Principal | undefined, call: CallId): Outcome | undefined => {
    if (p?.role !== 'agent') return undefined
    const on = controls.agentOn(call)
    if (on === undefined) return { error: { code: 'agent-not-on-call', message: `no agent is on call ${call}` } }
    return on === p.agentId ? undefined : { error: { code: 'forbidden', message: 'an agent may only control their own call' } }
  }

  const simple = (path: string, summary: string, act: (call: CallId) => Promise<{ ok: true; value: unknown } | { ok: false; error: Failure<CallControlCode> }>): void => {
    route(r, { method: 'post', path: `/calls/:callId/${path}`, summary, tag: 'calls', role: 'agent', params: callParams }, async ({ params, principal }) => {
      const call = callId(params.callId)
      const no = denied(principal, call)
      if (no) return no
      const res = await act(call)
      return res.ok ? { json: res.value } : fail(res.error)
    })
  }

  route(r, { method: 'get', path: '/calls/:callId', summary: 'The call an agent controls: agent, held, the consultation open (a reloaded console asks)', tag: 'calls', role: 'agent', params: callParams }, ({ params, principal }) => {
    const call = callId(params.callId)
    const no = denied(principal, call)
    if (no) return no
    const v = controls.view(call)
    return v ? { json: v } : { error: { code: 'agent-not-on-call', message: `no agent is on call ${call}` } }
  })

  simple('hold', 'Put the caller on hold (music); the agent leg waits alone', (c) => controls.hold(c))
  simple('unhold', 'Take the caller back (bridged again)', (c) => controls.unhold(c))
  simple('hangup', 'Hang up the caller; the agent goes to wrap-up', (c) => controls.hangup(c))
  simple('transfer/complete', 'Complete a consulted transfer: the caller is bridged to the consulted party', (c) => controls.complete(c))
  simple('transfer/cancel', 'Cancel a consulted transfer: back to the caller', (c) => controls.cancel(c))

  route(r, { method: 'post', path: '/calls/:callId/transfer', summary: 'Blind or consulted transfer to an agent, a queue or a number', tag: 'calls', role: 'agent', params: callParams, body: transferBody }, async ({ params, body, principal }) => {
    const call = callId(params.callId)
    const no = denied(principal, call)
    if (no) return no
    const to = transferTarget(body.to, deps.acd.state)
    if (!to) return { error: { code: 'transfer-target-invalid', message: `no agent, queue or number "${typeof body.to === 'string' ? body.to : ''}"` } }
    const res = await controls.transfer(call, to, body.kind)
    return res.ok ? { status: 202, json: res.value } : fail(res.error)
  })

  return r
}

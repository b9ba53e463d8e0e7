/**
 * The screen-pop's REST side: the agent's push stream (SSE), the current pop, the wrap-up
 * (disposition code and notes), the console's pick lists, and the CRM webhook delivery log.
 */
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, route, type Outcome, type Principal, type TokenVerifier } from '../api/index.ts'
import { agentId, callId, type AgentId, type Clock } from '../shared/index.ts'
import { openEventStream, queryToken, StreamGuard } from './event-stream.ts'
import type { PopService } from './pop-service.ts'
import type { DeliveryLog, DispositionSink } from './ports.ts'

export interface ConsoleSettings {
  /** Not-ready reasons the ACD accepts (AcdService.reasons); empty: any reason. */
  readonly notReadyReasons: readonly string[]
  /** Wrap-up disposition codes, e.g. `resolved`, `work-order`, `callback`, `complaint`. */
  readonly dispositions: readonly string[]
}

export interface PopRouteDeps {
  readonly pops: PopService
  readonly tokens: TokenVerifier
  /** The guard of these streams, when the center counts them (metrics); else one of their own. */
  readonly streams?: StreamGuard
  readonly clock: Clock
  readonly settings: ConsoleSettings
  readonly dispositions: DispositionSink
  readonly deliveries?: DeliveryLog
}

export const DEFAULT_DISPOSITIONS: readonly string[] = ['resolved', 'work-order-created', 'callback-needed', 'complaint', 'billing-question', 'wrong-number']

const dispositionBody = z.object({
  code: z.string().min(1).max(64),
  notes: z.string().max(4000).default(''),
  account: z.string().regex(/^\d{6,16}$/).optional(),
})
const callParams = z.object({ callId: z.string().min(1).max(128) })
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) })

function ownAgent(p: Principal | undefined): AgentId | { error: { code: 'not-an-agent'; message: string } } {
  if (p?.agentId === undefined) return { error: { code: 'not-an-agent', message: 'this user is not linked to an agent' } }
  return agentId(p.agentId)
}

export function popRoutes(deps: PopRouteDeps): Router {
  const r = newRouter()
  const { pops } = deps
  const streams = deps.streams ?? new StreamGuard(deps.tokens)

  // EventSource cannot send headers: the token may come as ?access_token= here (event-stream.ts).
  r.get('/agents/me/events', queryToken(deps.tokens))
  route(r, { method: 'get', path: '/agents/me/events', tag: 'screenpop', role: 'agent', produces: 'text/event-stream',
    summary: "The agent's screen-pops and state as Server-Sent Events; the current pop first (also ?access_token=)" }, ({ req, res, principal }): Outcome => {
    const me = ownAgent(principal)
    if (typeof me !== 'string') return me
    let off = (): void => undefined
    const stream = openEventStream(req, res, deps.clock, () => off(), streams)
    stream.send('hello', { agent: me, serverTime: deps.clock.now() })
    // A console that (re)connects gets the offer in progress again, whatever Last-Event-ID it had.
    const current = pops.current(me)
    if (current) stream.send('pop', { ...current, replayed: true }, pops.seq)
    off = pops.listen(me, ({ seq, push }) => stream.send(push.kind, push.kind === 'agent-state' ? push.state : push.pop, seq))
    return undefined
  })

  route(r, { method: 'get', path: '/agents/me/pop', tag: 'screenpop', role: 'agent', summary: "The agent's current screen-pop, or null" }, ({ principal }): Outcome => {
    const me = ownAgent(principal)
    if (typeof me !== 'string') return me
    return { json: { pop: pops.current(me) ?? null } }
  })

  route(r, { method: 'get', path: '/console/settings', tag: 'screenpop', role: 'agent', summary: 'Not-ready reasons and disposition codes for the console' },
    (): Outcome => ({ json: deps.settings }))

  route(r, { method: 'post', path: '/calls/:callId/disposition', tag: 'screenpop', role: 'agent', params: callParams, body: dispositionBody,
    summary: 'Wrap-up: the disposition code and notes of a call the agent handled' }, async ({ params, body, principal }): Promise<Outcome> => {
    const me = ownAgent(principal)
    if (typeof me !== 'string') return me
    if (!deps.settings.dispositions.includes(body.code)) {
      return { error: { code: 'disposition-unknown', message: `code must be one of: ${deps.settings.dispositions.join(', ')}` } }
    }
    const call = callId(params.callId)
    const current = pops.current(me)
    // Only the agent who handled the call writes its wrap-up: the one whose pop it is (a call
    // transferred to them keeps the first agent in its CDR), or the CDR's agent; a supervisor may
    // write any call's. A call not on record is 404, so made-up ids write nothing.
    const mine = current?.call === call
    if (!mine) {
      const handled = await deps.dispositions.handledBy(call)
      if (handled === undefined) return { error: { code: 'call-unknown', message: `no call ${call} on record` } }
      if (handled.agent !== me && principal?.role !== 'supervisor' && principal?.role !== 'admin') {
        return { error: { code: 'call-not-yours', message: 'only the agent who handled this call (or a supervisor) may write its wrap-up' } }
      }
    }
    // The customer's history is written for the call's own customer: the one the pop identified.
    // Another account is refused; an account given for a call nobody identified is the agent's
    // identification of the caller, and stands.
    const known = mine ? current.account : undefined
    if (body.account !== undefined && known !== undefined && body.account !== known) {
      return { error: { code: 'account-not-of-call', message: `this call's customer is account ${known}, not ${body.account}` } }
    }
    const account = body.account ?? known
    const saved = await deps.dispositions.record({ call, agent: me, code: body.code, notes: body.notes, account, at: deps.clock.now() })
    if (!saved.ok) return { error: { code: 'disposition-not-saved', message: saved.error.message } }
    pops.wrappedUp(call, { agent: me, code: body.code, notes: body.notes })
    return { status: 201, json: { call, code: body.code, account: account ?? null } }
  })

  route(r, { method: 'get', path: '/screenpop/deliveries', tag: 'screenpop', role: 'supervisor', query: limitQuery,
    summary: 'CRM webhook deliveries, newest first: one row per attempt' }, async ({ query }): Promise<Outcome> => {
    return { json: { deliveries: deps.deliveries ? await deps.deliveries.recent(query.limit) : [] } }
  })

  return r
}

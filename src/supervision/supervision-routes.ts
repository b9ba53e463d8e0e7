/** Supervisor routes: the wallboard (JSON and SSE) and listen / whisper / barge on an agent's call. */
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, route, type Outcome, type TokenVerifier } from '../api/index.ts'
import { openEventStream, queryToken, StreamGuard } from '../screenpop/index.ts'
import { agentId, type Clock } from '../shared/index.ts'
import { SUPERVISION_MODES } from './core/index.ts'
import type { EavesdropSession, SupervisionError, SupervisionService } from './supervision-service.ts'

export interface SupervisionRouteDeps {
  readonly supervision: SupervisionService
  readonly tokens: TokenVerifier
  /** The guard of these streams, when the center counts them (metrics); else one of their own. */
  readonly streams?: StreamGuard
  readonly clock: Clock
}

const superviseBody = z.object({ agentId: z.string().min(1).max(64), mode: z.enum(SUPERVISION_MODES as [string, ...string[]]) })

const json = (s: EavesdropSession) => ({ agentId: s.agent, mode: s.mode, leg: s.leg, since: s.since })
const fail = (e: SupervisionError): Outcome => ({ error: { code: e.code, message: e.message } })

export function supervisionRoutes(deps: SupervisionRouteDeps): Router {
  const r = newRouter()
  const streams = deps.streams ?? new StreamGuard(deps.tokens)
  const { supervision } = deps

  route(r, { method: 'get', path: '/wallboard', tag: 'supervision', role: 'supervisor', summary: 'Per queue: waiting, longest wait, answered, abandoned, service level today; agents by state' },
    (): Outcome => ({ json: supervision.wallboard() }))

  r.get('/wallboard/events', queryToken(deps.tokens))
  route(r, { method: 'get', path: '/wallboard/events', tag: 'supervision', role: 'supervisor', produces: 'text/event-stream',
    summary: 'The wallboard as Server-Sent Events: one `wallboard` event now and after every ACD change (also ?access_token=)' }, ({ req, res }): Outcome => {
    let off = (): void => undefined
    const stream = openEventStream(req, res, deps.clock, () => off(), streams)
    stream.send('wallboard', supervision.wallboard())
    off = supervision.watch(() => stream.send('wallboard', supervision.wallboard()))
    return undefined
  })

  route(r, { method: 'post', path: '/supervision', tag: 'supervision', role: 'supervisor', body: superviseBody,
    summary: "Listen, whisper or barge on an agent's call: rings the supervisor's phone into eavesdrop, or changes the mode" }, async ({ body, principal }): Promise<Outcome> => {
    const res = await supervision.supervise(principal!.userId, agentId(body.agentId), body.mode as (typeof SUPERVISION_MODES)[number])
    return res.ok ? { status: 201, json: json(res.value) } : fail(res.error)
  })

  route(r, { method: 'get', path: '/supervision', tag: 'supervision', role: 'supervisor', summary: "This supervisor's eavesdrop, or null" }, ({ principal }): Outcome => {
    const s = supervision.session(principal!.userId)
    return { json: { session: s ? json(s) : null } }
  })

  route(r, { method: 'delete', path: '/supervision', tag: 'supervision', role: 'supervisor', summary: "Hang up the supervisor's eavesdrop leg" }, async ({ principal }): Promise<Outcome> => {
    const res = await supervision.stop(principal!.userId)
    return res.ok ? { json: { stopped: json(res.value) } } : fail(res.error)
  })

  return r
}

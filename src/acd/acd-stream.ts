/** The ACD event stream as Server-Sent Events: one `event: <kind>` / `data: <json>` per notice. */
import type { Request, Response } from 'express'
import type { Principal } from '../api/index.ts'
import type { Bus } from '../shared/index.ts'
import { agentOfNotice, type AcdNotice } from './acd-events.ts'

/** Comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000

export function streamAcdEvents(bus: Bus<AcdNotice>, req: Request, res: Response, principal: Principal | undefined): void {
  // Supervisors see everything; an agent only what concerns them (their state, their offers).
  const own = principal?.role === 'agent' ? (principal.agentId ?? '') : undefined
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' })
  res.write(': acd events\n\n')
  const off = bus.subscribe((n) => {
    if (own !== undefined && agentOfNotice(n) !== own) return
    res.write(`event: ${n.event.kind}\ndata: ${JSON.stringify(n)}\n\n`)
  })
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS)
  keepalive.unref()
  req.on('close', () => {
    off()
    clearInterval(keepalive)
  })
}

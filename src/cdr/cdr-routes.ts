/**
 * Call records over REST: `GET /cdrs` (JSON, newest first, paged) and `GET /cdrs.csv` (the same
 * rows as a spreadsheet). A supervisor sees every call; an agent only the calls they took.
 */
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, route, type Principal } from '../api/index.ts'
import type { Cdr, CdrOutcome, CdrQuery, CdrStore } from './cdr.ts'
import { MAX_ROWS } from './knex-cdr-store.ts'

export interface CdrRouteDeps {
  readonly cdrs: Pick<CdrStore, 'list'>
}

const OUTCOMES = ['self-service', 'answered', 'abandoned', 'transferred', 'callback', 'failed'] as const satisfies readonly CdrOutcome[]
/** An instant as epoch milliseconds or an ISO date-time (`2026-12-07T08:00+08:00`). */
const instant = z.union([
  z.coerce.number().int().nonnegative(),
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date-time or epoch milliseconds').transform((s) => Date.parse(s)),
])
const name = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _')
const filters = {
  from: instant.optional(), to: instant.optional(), before: instant.optional(), queue: name.optional(), agent: name.optional(),
  outcome: z.enum(OUTCOMES).optional(), caller: z.string().regex(/^\+?\d{1,32}$/, 'a number').optional(),
}
const listQuery = z.object({ ...filters, limit: z.coerce.number().int().min(1).max(MAX_ROWS).default(100) })
/** An export takes every row that matches, up to MAX_ROWS, unless told fewer. */
const exportQuery = z.object({ ...filters, limit: z.coerce.number().int().min(1).max(MAX_ROWS).default(MAX_ROWS) })

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString())
const secs = (from: number | undefined, to: number | undefined): number | null =>
  from === undefined || to === undefined ? null : Math.max(0, Math.round((to - from) / 1000))

/** One call as the API shows it: ISO times and the durations a report reads. */
export function cdrView(c: Cdr): Record<string, unknown> {
  return {
    callId: c.callId, entry: c.entry, did: c.did, region: c.region ?? null, callerNumber: c.callerNumber, callerName: c.callerName || null,
    arrivedAt: iso(c.arrivedAt), ivrEndedAt: iso(c.ivrEndedAt), queuedAt: iso(c.queuedAt), answeredAt: iso(c.answeredAt), endedAt: iso(c.endedAt),
    queue: c.queue ?? null, tier: c.tier ?? null, agent: c.agentId ?? null, outcome: c.outcome ?? null, hangupCause: c.hangupCause ?? null,
    disposition: c.disposition ?? null, transferredTo: c.transferredTo ?? null, ivrPath: c.ivrPath ?? [],
    // The wait runs from joining the queue to the answer (or to the end, for one who left).
    waitSeconds: c.queuedAt === undefined ? null : secs(c.queuedAt, c.answeredAt ?? c.endedAt),
    // With an agent: from the answer to the end (hold included; wrap-up is the agent's, not the call's).
    talkSeconds: secs(c.answeredAt, c.endedAt),
    durationSeconds: secs(c.arrivedAt, c.endedAt),
  }
}

const COLUMNS = [
  'callId', 'arrivedAt', 'endedAt', 'callerNumber', 'callerName', 'entry', 'did', 'region', 'queue', 'tier', 'agent', 'outcome',
  'waitSeconds', 'talkSeconds', 'durationSeconds', 'disposition', 'transferredTo', 'hangupCause',
] as const

/**
 * A spreadsheet cell. A text that starts like a formula (`=`, `+`, `-`, `@`, a tab) is quoted with
 * a leading apostrophe, so a caller name such as `=HYPERLINK(…)` from a trunk cannot run in the
 * manager's Excel (OWASP CSV injection); a number such as +8613800000000 stays as it is.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function cdrCsv(rows: readonly Cdr[]): string {
  const lines = [COLUMNS.join(','), ...rows.map((c) => { const v = cdrView(c); return COLUMNS.map((k) => csvCell(v[k])).join(',') })]
  // The BOM makes Excel read the Chinese names as UTF-8; CRLF is what RFC 4180 says.
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** An agent reads only their own calls, whatever `agent` they ask for. */
function scoped(q: z.infer<typeof listQuery>, p: Principal | undefined): CdrQuery | undefined {
  const { limit, ...rest } = q
  const query: CdrQuery = { ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)), limit }
  if (p?.role !== 'agent') return query
  if (!p.agentId) return undefined
  if (q.agent !== undefined && q.agent !== p.agentId) return undefined
  return { ...query, agent: p.agentId }
}
const notYours = { error: { code: 'forbidden' as const, message: 'an agent may list only the calls they took' } }

export function cdrRoutes(deps: CdrRouteDeps): Router {
  const r = newRouter()

  route(r, { method: 'get', path: '/cdrs', summary: 'Call records, newest first: filter by time (from, to), queue, agent, outcome, caller; page with before=<arrivedAt of the last row>', tag: 'cdrs', role: 'agent', query: listQuery },
    async ({ query, principal }) => {
      const q = scoped(query, principal)
      if (!q) return notYours
      const rows = await deps.cdrs.list(q)
      const last = rows.at(-1)
      return { json: { cdrs: rows.map(cdrView), next: rows.length === q.limit && last ? { before: last.arrivedAt } : null } }
    })

  route(r, { method: 'get', path: '/cdrs.csv', summary: 'The same call records as CSV (UTF-8 with BOM, for Excel), up to limit rows', tag: 'cdrs', role: 'agent', query: exportQuery, produces: 'text/csv' },
    async ({ query, principal, res }) => {
      const q = scoped(query, principal)
      if (!q) return notYours
      const rows = await deps.cdrs.list(q)
      res.setHeader('content-type', 'text/csv; charset=utf-8')
      res.setHeader('content-disposition', `attachment; filename="hotline-cdrs-${new Date().toISOString().slice(0, 10)}.csv"`)
      res.send(cdrCsv(rows))
      return undefined
    })

  return r
}

/** HTTP for quality scoring: score sheets, evaluations of a recording, agent and queue averages. */
import { randomUUID } from 'node:crypto'
import type { Router } from 'express'
import { z } from 'zod'
import { route } from '../api/index.ts'
import type { Clock } from '../shared/index.ts'
import { checkScoreSheet, scoreTotal } from './core/index.ts'
import type { QualityStore } from './knex-quality-store.ts'
import type { RecordingStore } from './recording.ts'
import { idParams, instant, visibleRecording } from './route-parts.ts'

const criterion = z.object({ key: z.string().regex(/^[a-z0-9-]{1,32}$/), label: z.string().min(1).max(128), weight: z.number().positive(), max: z.number().positive() })
const sheetBody = z.object({ name: z.string().min(1).max(128), criteria: z.array(criterion).min(1).max(50) })
const evaluationBody = z.object({ sheetId: z.string().min(1), scores: z.record(z.string(), z.number()), comment: z.string().max(4000).optional() })
const averagesQuery = z.object({ from: instant.optional(), to: instant.optional() })

export function qualityRoutes(router: Router, d: { readonly store: RecordingStore; readonly quality: QualityStore; readonly clock: Clock }): void {
  const tag = 'quality'

  route(router, { method: 'post', path: '/score-sheets', summary: 'Create a score sheet (weights sum to 100)', tag, role: 'supervisor', body: sheetBody }, async ({ body, principal }) => {
    const check = checkScoreSheet(body.criteria)
    if (!check.ok) return { error: { code: 'score-sheet-invalid', message: check.error } }
    const sheet = { id: randomUUID(), name: body.name, criteria: body.criteria }
    if (!(await d.quality.createSheet(sheet, principal?.username ?? '?', d.clock.now()))) return { error: { code: 'conflict', message: `a score sheet named ${body.name} exists` } }
    return { status: 201, json: sheet }
  })

  route(router, { method: 'get', path: '/score-sheets', summary: 'Score sheets', tag, role: 'supervisor' }, async () => ({ json: { sheets: await d.quality.listSheets() } }))

  route(router, { method: 'post', path: '/recordings/:id/evaluations', summary: 'Evaluate a recording with a score sheet', tag, role: 'supervisor', params: idParams, body: evaluationBody }, async ({ params, body, principal }) => {
    const rec = await d.store.get(params.id)
    if (!rec) return { error: { code: 'recording-not-found', message: `no recording ${params.id}` } }
    const sheet = await d.quality.getSheet(body.sheetId)
    if (!sheet) return { error: { code: 'evaluation-invalid', message: `no score sheet ${body.sheetId}` } }
    const total = scoreTotal(sheet, body.scores)
    if (!total.ok) return { error: { code: 'evaluation-invalid', message: total.error } }
    const e = {
      id: randomUUID(), recordingId: rec.id, sheetId: sheet.id, agentId: rec.agentId, queue: rec.queue, evaluator: principal?.username ?? '?',
      scores: body.scores, comment: body.comment, total: total.value, createdAt: d.clock.now(),
    }
    await d.quality.addEvaluation(e)
    return { status: 201, json: e }
  })

  route(router, { method: 'get', path: '/recordings/:id/evaluations', summary: 'Evaluations of a recording (agents: their own)', tag, role: 'agent', params: idParams }, async ({ params, principal }) => {
    const v = await visibleRecording(d.store, principal, params.id)
    if ('error' in v) return v
    return { json: { evaluations: await d.quality.evaluationsOf(params.id) } }
  })

  route(router, { method: 'get', path: '/quality/averages', summary: 'Average evaluation totals per agent and per queue', tag, role: 'supervisor', query: averagesQuery }, async ({ query }) => ({
    json: { agents: await d.quality.averages('agent', query.from, query.to), queues: await d.quality.averages('queue', query.from, query.to) },
  }))
}

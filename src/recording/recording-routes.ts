/**
 * HTTP for recordings: search, metadata, pause/resume, legal hold, disk usage and seekable
 * playback with Range requests. Agents see only their own recordings; every playback or download
 * is logged in `recording_access`. Like the fax routes, answers never carry a server path: the
 * stored `file` stays with the store and the sweeper, clients get the `audio` link instead.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Router } from 'express'
import { z } from 'zod'
import { newRouter, route, type Principal } from '../api/index.ts'
import type { Clock } from '../shared/index.ts'
import { byteRange } from './core/index.ts'
import type { RecordingLog } from './events.ts'
import type { QualityStore } from './knex-quality-store.ts'
import { qualityRoutes } from './quality-routes.ts'
import type { Recording, RecordingStore } from './recording.ts'
import { idParams, instant, isSupervisor, notFound, visibleRecording } from './route-parts.ts'
import type { RecordingService } from './recording-service.ts'
import type { RetentionSweeper } from './retention-sweeper.ts'

export interface RecordingRouteDeps {
  readonly store: RecordingStore
  readonly quality: QualityStore
  readonly service: Pick<RecordingService, 'pause' | 'resume'>
  readonly sweeper: Pick<RetentionSweeper, 'disk'>
  readonly clock: Clock
  readonly log: RecordingLog
}

const STATUSES = ['recording', 'complete', 'missing-file', 'failed', 'deleting', 'deleted'] as const
const searchQuery = z.object({
  from: instant.optional(), to: instant.optional(), agent: z.string().min(1).optional(), queue: z.string().min(1).optional(),
  caller: z.string().min(1).optional(), customer: z.string().min(1).optional(), disposition: z.string().min(1).optional(),
  status: z.enum(STATUSES).optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), offset: z.coerce.number().int().min(0).optional(),
})
const audioQuery = z.object({ download: z.enum(['0', '1']).optional() })
const holdBody = z.object({ hold: z.boolean(), reason: z.string().max(256).optional() })

/**
 * A recording as clients see it: no `file`, and `audio` links to the playback route while there is
 * a file to play (`null` otherwise, as that route would answer recording-file-missing). The service
 * writes the path into `problem` for the log ("… but /var/… is not on disk"): it is cut out here.
 */
function recordingView(rec: Recording): Record<string, unknown> {
  const { file, problem, ...rest } = rec
  return {
    ...rest,
    audio: rec.status === 'complete' ? `/api/v1/recordings/${encodeURIComponent(rec.id)}/audio` : null,
    problem: problem === undefined || file === '' ? problem : problem.split(file).join('the file'),
  }
}

export function recordingRoutes(d: RecordingRouteDeps): Router {
  const router = newRouter()
  const tag = 'recordings'

  route(router, { method: 'get', path: '/recordings', summary: 'Search recordings (agents: their own)', tag, role: 'agent', query: searchQuery }, async ({ query, principal }) => {
    const own = principal && !isSupervisor(principal)
    if (own && query.agent !== undefined && query.agent !== principal.agentId) return { error: { code: 'forbidden', message: 'agents may only search their own recordings' } }
    const agentId = own ? (principal.agentId ?? '\u0000no-agent') : query.agent
    const list = await d.store.search({ ...query, agentId })
    return { json: { recordings: list.map(recordingView) } }
  })

  // Before /recordings/:id so that "disk-usage" is never taken for an id.
  route(router, { method: 'get', path: '/recordings/disk-usage', summary: 'Bytes used by recordings and free space', tag, role: 'supervisor' }, async () => ({ json: await d.sweeper.disk() }))

  route(router, { method: 'get', path: '/recordings/:id', summary: 'One recording', tag, role: 'agent', params: idParams }, async ({ params, principal }) => {
    const v = await visibleRecording(d.store, principal, params.id)
    return 'error' in v ? v : { json: recordingView(v.rec) }
  })

  for (const action of ['pause', 'resume'] as const) {
    route(router, { method: 'post', path: `/recordings/:id/${action}`, summary: `${action} a running recording (masks card numbers)`, tag, role: 'agent', params: idParams }, async ({ params, principal }) => {
      const v = await visibleRecording(d.store, principal, params.id)
      if ('error' in v) return v
      const r = await d.service[action](params.id)
      if (!r.ok) return { error: { code: r.error.code, message: r.error.message } }
      d.log.info({ recording: params.id, by: principal?.username, action }, `recording: ${action}d`)
      return { json: recordingView(r.value) }
    })
  }

  route(router, { method: 'put', path: '/recordings/:id/legal-hold', summary: 'Put a recording on legal hold or release it', tag, role: 'supervisor', params: idParams, body: holdBody }, async ({ params, body, principal }) => {
    if (!(await d.store.get(params.id))) return notFound(params.id)
    if (!(await d.store.setLegalHold(params.id, body.hold, body.reason))) return { error: { code: 'conflict', message: `recording ${params.id} is being deleted or gone` } }
    d.log.info({ recording: params.id, hold: body.hold, reason: body.reason, by: principal?.username }, 'recording: legal hold changed')
    const held = await d.store.get(params.id)
    return held ? { json: recordingView(held) } : notFound(params.id)
  })

  route(router, { method: 'get', path: '/recordings/:id/access', summary: 'Who listened to a recording, when', tag, role: 'supervisor', params: idParams }, async ({ params }) => ({ json: { access: await d.store.listAccess(params.id) } }))

  route(router, { method: 'get', path: '/recordings/:id/audio', summary: 'Play or download (HTTP Range, seekable)', tag, role: 'agent', params: idParams, query: audioQuery, produces: 'audio/wav' }, async ({ params, query, principal, req, res }) => {
    const v = await visibleRecording(d.store, principal, params.id)
    if ('error' in v) return v
    const rec = v.rec
    const missing = { error: { code: 'recording-file-missing' as const, message: `recording ${rec.id} has no file to play (${rec.status})` } }
    if (rec.status !== 'complete') return missing
    const size = await stat(rec.file).then((s) => s.size, () => undefined)
    if (size === undefined) return missing
    const range = byteRange(req.headers.range, size)
    if (range.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${size}`)
      return { error: { code: 'range-not-satisfiable', message: `range ${req.headers.range ?? ''} is outside 0..${size - 1}` } }
    }
    const download = query.download === '1'
    const p = principal as Principal // the route's role check guarantees one
    await d.store.logAccess({ recordingId: rec.id, userId: p.userId, username: p.username, role: p.role, action: download ? 'download' : 'play', range: req.headers.range, at: d.clock.now() })
    res.setHeader('Accept-Ranges', 'bytes')
    res.setHeader('Content-Type', rec.format === 'mp3' ? 'audio/mpeg' : 'audio/wav')
    if (download) res.setHeader('Content-Disposition', `attachment; filename="${rec.id.replace(/[^A-Za-z0-9._-]/g, '_')}.${rec.format}"`)
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1]
    res.status(range.kind === 'partial' ? 206 : 200)
    if (range.kind === 'partial') res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`)
    res.setHeader('Content-Length', String(size === 0 ? 0 : end - start + 1))
    if (size === 0) return void res.end()
    const stream = createReadStream(rec.file, { start, end })
    stream.on('error', (error) => {
      d.log.error({ error, recording: rec.id }, 'recording: playback stream failed')
      res.destroy(error)
    })
    stream.pipe(res)
    return undefined
  })

  qualityRoutes(router, d)
  return router
}

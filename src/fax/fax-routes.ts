/**
 * Fax over HTTP: received faxes (list, one, its PDF) and outbound jobs (submit, list, one with
 * its attempts). A job's document comes either as JSON `{ destination, document: <base64> }`
 * or as the raw body with Content-Type application/pdf or image/tiff and `?destination=`.
 */
import { stat } from 'node:fs/promises'
import express, { type Router } from 'express'
import { z } from 'zod'
import { newRouter, route, type ApiError } from '../api/index.ts'
import type { FaxJob, FaxService, ReceivedFax } from './index.ts'

export interface FaxRouteDeps {
  readonly fax: Pick<FaxService, 'listReceived' | 'getReceived' | 'submitJob' | 'listJobs' | 'getJob'>
  /** Largest raw document accepted (JSON bodies are capped by the app's JSON parser). */
  readonly maxDocumentBytes?: number
}

const listQuery = z.object({
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})
const idParams = z.object({ id: z.string().min(1).max(64) })
const jobQuery = z.object({ destination: z.string().optional() })
const jobJson = z.object({ destination: z.unknown().optional(), document: z.unknown().optional() }).passthrough()

/** A received fax as clients see it: no server paths, a link to the PDF when there is one. */
function receivedView(f: ReceivedFax): Record<string, unknown> {
  const { tiffPath: _tiff, pdfPath, pdfError, ...rest } = f
  return { ...rest, pdf: pdfPath ? `/api/v1/faxes/${f.id}/pdf` : null, ...(pdfError ? { pdfError } : {}) }
}

function jobView(j: FaxJob): Record<string, unknown> {
  const { tiffPath: _tiff, ...rest } = j
  return rest
}

const apiError = (code: ApiError['code'], message: string): { error: ApiError } => ({ error: { code, message } })

export function faxRoutes(deps: FaxRouteDeps): Router {
  const router = newRouter()
  const raw = express.raw({ type: ['application/pdf', 'image/tiff'], limit: deps.maxDocumentBytes ?? 20 * 1024 * 1024 })
  router.post('/fax-jobs', raw)

  route(router, { method: 'get', path: '/faxes', summary: 'Received faxes, newest first', tag: 'fax', role: 'agent', query: listQuery },
    async ({ query }) => ({ json: { faxes: (await deps.fax.listReceived(query)).map(receivedView) } }))

  route(router, { method: 'get', path: '/faxes/:id', summary: 'One received fax with its result', tag: 'fax', role: 'agent', params: idParams },
    async ({ params }) => {
      const f = await deps.fax.getReceived(params.id)
      return f ? { json: receivedView(f) } : apiError('fax-not-found', `no received fax ${params.id}`)
    })

  route(router, { method: 'get', path: '/faxes/:id/pdf', summary: 'A received fax as PDF', tag: 'fax', role: 'agent', params: idParams, produces: 'application/pdf' },
    async ({ params, res }) => {
      const f = await deps.fax.getReceived(params.id)
      if (!f) return apiError('fax-not-found', `no received fax ${params.id}`)
      if (!f.pdfPath) return apiError('fax-pdf-missing', f.pdfError ?? `fax ${params.id} has no pages to show (${f.resultText ?? f.status})`)
      // A PDF moved or deleted on disk is the fax's state, not a server bug: 404, without the path.
      if (!(await stat(f.pdfPath).then((s) => s.isFile(), () => false))) return apiError('fax-pdf-missing', `the PDF of fax ${params.id} is no longer on the server (moved or deleted)`)
      res.type('application/pdf').sendFile(f.pdfPath)
      return undefined
    })

  route(router, { method: 'post', path: '/fax-jobs', summary: 'Send a PDF or TIFF as a fax (JSON with base64, or a raw application/pdf or image/tiff body)', tag: 'fax', role: 'agent', query: jobQuery },
    async ({ req, query, principal }) => {
      const input = readSubmission(req.body, query.destination)
      if ('error' in input) return input
      const r = await deps.fax.submitJob({ ...input, ...(principal ? { submittedBy: principal.username } : {}) })
      return r.ok ? { status: 202, json: jobView(r.value) } : apiError(r.error.code, r.error.message)
    })

  route(router, { method: 'get', path: '/fax-jobs', summary: 'Outbound fax jobs, newest first', tag: 'fax', role: 'agent', query: listQuery },
    async ({ query }) => ({ json: { jobs: (await deps.fax.listJobs(query)).map(jobView) } }))

  route(router, { method: 'get', path: '/fax-jobs/:id', summary: 'One fax job with every attempt', tag: 'fax', role: 'agent', params: idParams },
    async ({ params }) => {
      const j = await deps.fax.getJob(params.id)
      return j ? { json: jobView(j) } : apiError('fax-job-not-found', `no fax job ${params.id}`)
    })

  return router
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/

/** The document and destination from either body form; a clear error for each way it can be wrong. */
function readSubmission(body: unknown, queryDestination: string | undefined): { document: Buffer; destination: string } | { error: ApiError } {
  let document: Buffer
  let destination: unknown = queryDestination
  if (Buffer.isBuffer(body)) {
    document = body
  } else {
    const json = jobJson.safeParse(body ?? {})
    const b = json.success ? json.data : {}
    destination = b.destination ?? destination
    if (b.document === undefined) return apiError('fax-document-missing', 'send the document as JSON { destination, document: <base64> } or as a raw application/pdf or image/tiff body')
    if (typeof b.document !== 'string' || !BASE64.test(b.document)) return apiError('fax-document-not-base64', 'document must be a base64 string')
    document = Buffer.from(b.document, 'base64')
  }
  if (destination === undefined || destination === '') return apiError('fax-destination-missing', 'destination (the fax number) is required')
  if (typeof destination !== 'string') return apiError('fax-destination-invalid', 'destination must be a string of digits')
  if (document.length === 0) return apiError('fax-document-empty', 'the document is empty')
  return { document, destination }
}

import type { ErrorRequestHandler, RequestHandler, Response } from 'express'

/**
 * The one place that maps stable error codes to HTTP statuses (ARCHITECTURE principle 6).
 * Codes are API: clients match on them, so never rename one. Domains keep their codes free of
 * HTTP; when a domain's failure reaches the API, add its code here.
 */
export const httpStatusByCode = {
  'route-not-found': 404,
  'body-invalid-json': 400,
  'body-invalid': 400,
  'body-too-large': 413,
  'body-unsupported-encoding': 415,
  'path-invalid': 400,
  'request-invalid': 400,
  // For the bearer-token layer (see app.ts): no users exist yet.
  'token-missing': 401,
  'token-invalid': 401,
  'forbidden': 403,
  'not-found': 404,
  'conflict': 409,
  'rate-limited': 429,
  // Each domain adds its codes under its own line (keep the anchors):
  // anchor:users
  'login-failed': 401, 'user-exists': 409, 'user-not-found': 404, 'last-admin': 409, 'username-invalid': 400, 'password-invalid': 400,
  // anchor:acd
  'agent-unknown': 404, 'queue-unknown': 404, 'call-unknown': 404, 'agent-busy': 409, 'queue-busy': 409,
  'agent-contact-taken': 409, 'agent-not-in-wrap-up': 409, 'reason-unknown': 400,
  'call-already-held': 409, 'call-not-held': 409, 'transfer-in-progress': 409, 'transfer-none': 409,
  'transfer-target-invalid': 400, 'transfer-target-unavailable': 409, 'transfer-no-answer': 409, 'call-control-failed': 502,
  'call-not-waiting': 409, 'callback-already-requested': 409, 'callback-number-unknown': 422,
  // anchor:ivr
  // anchor:crm
  'customer-not-found': 404,
  'customer-account-taken': 409,
  'customer-bad-account': 400,
  'customer-bad-phone': 400,
  'customer-bad-money': 400,
  'customer-bad-area': 400,
  'customer-import-bad-header': 400,
  'customer-import-empty': 400,
  'outage-not-found': 404,
  'outage-already-ended': 409,
  // anchor:workorders
  'work-order-not-found': 404,
  'work-order-bad-transition': 409,
  'work-order-changed': 409,
  'work-order-customer-unknown': 422,
  'work-order-area-required': 400,
  'work-order-slot-required': 400,
  'slot-unknown': 400,
  'slot-full': 409,
  'slot-past': 400,
  'follow-up-not-pending': 409,
  // anchor:screenpop
  'not-an-agent': 403, 'disposition-unknown': 400, 'disposition-not-saved': 502, 'call-not-yours': 403, 'account-not-of-call': 403,
  'agent-not-on-call': 409, 'supervisor-phone-unknown': 409, 'supervision-switch-failed': 502, 'supervision-none': 404,
  // anchor:recording
  'recording-not-found': 404,
  'recording-not-active': 409,
  'recording-already-paused': 409,
  'recording-not-paused': 409,
  'recording-switch-failed': 502,
  'recording-file-missing': 404,
  'range-not-satisfiable': 416,
  'score-sheet-invalid': 400,
  'evaluation-invalid': 400,
  // anchor:fax
  'fax-not-found': 404,
  'fax-pdf-missing': 404,
  'fax-job-not-found': 404,
  'fax-destination-missing': 400,
  'fax-destination-invalid': 400,
  'fax-document-missing': 400,
  'fax-document-not-base64': 400,
  'fax-document-empty': 400,
  'fax-document-unsupported': 400,
  'fax-document-unreadable': 400,
  'fax-conversion-failed': 503,
  'fax-tools-missing': 503,
  'internal-error': 500,
} as const satisfies Record<string, number>

export type ApiErrorCode = keyof typeof httpStatusByCode

export interface ApiError {
  readonly code: ApiErrorCode
  readonly message: string
  readonly details?: unknown
}

/** Answers `{ error: { code, message, details? } }` with the status the code maps to. */
export function sendError(res: Response, e: ApiError): void {
  const body = e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details }
  res.status(httpStatusByCode[e.code]).json({ error: body })
}

/** The last route: anything no router answered. */
export const routeNotFound: RequestHandler = (req, res) => {
  sendError(res, { code: 'route-not-found', message: `no route for ${req.method} ${req.path}` })
}

/** What body-parser throws, by its `type` field (express.json's documented error types). */
const bodyErrors: Record<string, ApiErrorCode> = {
  'entity.parse.failed': 'body-invalid-json',
  'entity.too.large': 'body-too-large',
  'encoding.unsupported': 'body-unsupported-encoding',
  'charset.unsupported': 'body-unsupported-encoding',
  'entity.verify.failed': 'body-invalid',
  'request.aborted': 'body-invalid',
  'request.size.invalid': 'body-invalid',
}

export interface ApiLog {
  error(obj: object, msg: string): void
}

/** Turns anything thrown into the JSON error shape; only bugs become 500 and get logged. */
export function errorResponder(log: ApiLog): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error)
      return
    }
    const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : undefined
    const code = type === undefined ? undefined : bodyErrors[type]
    if (code !== undefined) {
      const detail = error instanceof Error ? error.message : undefined
      sendError(res, { code, message: describeBodyError(code), ...(detail === undefined ? {} : { details: { reason: detail } }) })
      return
    }
    // Errors express and body-parser mark as the client's (status 4xx): a path segment that is not
    // valid percent-encoding (router's decodeParam: URIError, 400 — thrown while matching, before
    // any token check), a body whose gzip/deflate/brotli stream is corrupt (400). The client's
    // fault, answered 4xx and not logged: an unauthenticated client must not fill the log.
    const status = clientStatus(error)
    if (status !== undefined) {
      if (error instanceof URIError) sendError(res, { code: 'path-invalid', message: 'the path is not valid percent-encoding (e.g. %ff)' })
      else if (status === 413) sendError(res, { code: 'body-too-large', message: describeBodyError('body-too-large') })
      else if (status === 415) sendError(res, { code: 'body-unsupported-encoding', message: describeBodyError('body-unsupported-encoding') })
      else if (isZlibError(error)) sendError(res, { code: 'body-invalid', message: 'the request body could not be decompressed (its Content-Encoding stream is corrupt)' })
      else sendError(res, { code: 'request-invalid', message: 'the request could not be read' })
      return
    }
    log.error({ err: error, method: req.method, path: req.path }, 'unhandled error in an API route')
    sendError(res, { code: 'internal-error', message: 'internal error (logged on the server)' })
  }
}

/** The 4xx status an error carries (http-errors' `status`/`statusCode`), if any. */
function clientStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as { status?: unknown; statusCode?: unknown }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined
  return status !== undefined && status >= 400 && status < 500 ? status : undefined
}

/** zlib's stream errors (corrupt gzip, deflate or brotli) carry a Z_* code or errno. */
function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return (typeof code === 'string' && code.startsWith('Z_')) || (error as { errno?: unknown }).errno !== undefined
}

function describeBodyError(code: ApiErrorCode): string {
  switch (code) {
    case 'body-invalid-json': return 'the request body is not valid JSON'
    case 'body-too-large': return 'the request body is too large'
    case 'body-unsupported-encoding': return 'the request body encoding or charset is not supported'
    default: return 'the request body could not be read'
  }
}

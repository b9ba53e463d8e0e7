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
  // For the bearer-token layer (see app.ts): no users exist yet.
  'token-missing': 401,
  'token-invalid': 401,
  'forbidden': 403,
  'not-found': 404,
  'conflict': 409,
  'rate-limited': 429,
  // Each domain adds its codes under its own line (keep the anchors):
  // anchor:users
  // anchor:acd
  // anchor:ivr
  // anchor:crm
  // anchor:workorders
  // anchor:screenpop
  // anchor:recording
  // anchor:fax
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
    log.error({ err: error, method: req.method, path: req.path }, 'unhandled error in an API route')
    sendError(res, { code: 'internal-error', message: 'internal error (logged on the server)' })
  }
}

function describeBodyError(code: ApiErrorCode): string {
  switch (code) {
    case 'body-invalid-json': return 'the request body is not valid JSON'
    case 'body-too-large': return 'the request body is too large'
    case 'body-unsupported-encoding': return 'the request body encoding or charset is not supported'
    default: return 'the request body could not be read'
  }
}

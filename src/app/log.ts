import { pino, type DestinationStream, type Logger } from 'pino'
import type { LogConfig } from './config.ts'

export type { Logger } from 'pino'

/**
 * Keys whose values never reach a log line. pino's redaction (fast-redact) has no "any depth"
 * wildcard, so each depth we log at is listed: a whole config (`esl.password`), a config under a
 * key (`config.esl.password`), and HTTP requests (`req.headers.authorization`).
 */
const SECRET_KEYS = ['password', 'token', 'secret', 'authorization', 'url'] as const
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.filter((k) => k !== 'url').flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
  // db.url carries the PostgreSQL password; other URLs (webhooks) are worth seeing, so only this one.
  'db.url',
  '*.db.url',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
]

/**
 * The process logger: JSON lines by default; pino-pretty when log.pretty is set and the
 * devDependency is installed (it is absent after `npm ci --omit=dev`, and then we keep JSON).
 */
export async function createLogger(cfg: LogConfig, destination?: DestinationStream): Promise<Logger> {
  const options = { level: cfg.level, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } }
  if (!cfg.pretty) return destination ? pino(options, destination) : pino(options)
  const pretty = await loadPretty()
  if (pretty === undefined) {
    const log = destination ? pino(options, destination) : pino(options)
    log.warn('log.pretty is set but pino-pretty is not installed: logging JSON')
    return log
  }
  return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', destination: destination ?? 1 }))
}

type PrettyFactory = (o: { colorize: boolean; translateTime: string; destination: DestinationStream | number }) => DestinationStream

async function loadPretty(): Promise<PrettyFactory | undefined> {
  try {
    const mod = (await import('pino-pretty')) as { default: PrettyFactory }
    return mod.default
  } catch {
    return undefined
  }
}

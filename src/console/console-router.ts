/**
 * The agent console and the supervisor view: static HTML, CSS and plain JavaScript from
 * ./public, no framework and no build step. Mount at `/console` beside the API (not under /api/v1).
 */
import express, { type Router } from 'express'
import { fileURLToPath } from 'node:url'

export const CONSOLE_FILES = fileURLToPath(new URL('./public/', import.meta.url))

export function consoleRouter(): Router {
  const r = express.Router()
  // The pages hold a bearer token: never cached by a shared proxy, never framed by another site.
  r.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store')
    res.setHeader('x-frame-options', 'DENY')
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('referrer-policy', 'no-referrer')
    res.setHeader('content-security-policy', "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
    next()
  })
  r.use(express.static(CONSOLE_FILES, { index: 'index.html', redirect: true }))
  return r
}

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createApi, metricsRoute, type SwitchStatus } from '../api/index.ts'
import { consoleRouter } from '../console/index.ts'
import { closeStore, migrateLatest, type Store } from '../store/index.ts'
import type { Config } from './config.ts'
import type { Logger } from './log.ts'
import type { Center } from './center.ts'

/** Adapters built by the caller (cli/start, tests, the demo); compose only wires them. */
export interface Ports {
  readonly store: Store
  readonly log: Logger
  /** Adapted from the ESL client's state and counters; read on every health request. */
  readonly switchStatus: () => SwitchStatus
  readonly version: string
  /** The center around FreeSWITCH (switch link, IVR, ACD, …); absent in API-only tests. */
  readonly center?: Center
}

export interface Hotline {
  /** Migrates the store, then listens on http.host:http.port. Rejects with a clear message. */
  start(): Promise<void>
  /** Stops accepting requests, then closes the store. Safe to call twice or before start. */
  stop(): Promise<void>
  /** Where the API listens once started (port 0 in tests picks a free one). */
  address(): { host: string; port: number } | undefined
}

/**
 * The composition root for the running process. Order matters: on start, the store is ready
 * before the first request; on stop, the HTTP server stops before the store closes under it.
 * The ESL client (and, for `demo`, the simulator) join here: connect after the store, stop first.
 */
export function compose(config: Config, ports: Ports): Hotline {
  const { store, log } = ports
  let server: Server | undefined
  let stopping: Promise<void> | undefined

  async function start(): Promise<void> {
    const applied = await migrateLatest(store)
    if (applied.length > 0) log.info({ migrations: applied }, 'store migrated')
    const center = ports.center
    const app = createApi({ switchStatus: ports.switchStatus, version: ports.version, log, ...(center ? { tokens: center.tokens, routers: center.routers, storeStatus: () => center.storeStatus() } : {}) })
    // The agent console and supervisor pages sit beside the API, outside /api/v1.
    const root = express()
    root.disable('x-powered-by')
    root.use((_req, res, next) => (res.setHeader('x-content-type-options', 'nosniff'), next()))
    root.get('/', (_req, res) => res.redirect('/console/'))
    root.use('/console', consoleRouter())
    if (center) {
      const registry = center.metrics.registry
      root.get('/metrics', metricsRoute({ tokens: center.tokens, metricsToken: config.auth.metricsToken, read: async () => ({ contentType: registry.contentType, body: await registry.metrics() }) }))
    }
    root.use(app)
    server = await listen(createServer(root), config.http.host, config.http.port)
    // The switch after the store and the API: events may write CDRs at once.
    await center?.start()
    const at = (server.address() as AddressInfo)
    log.info({ url: `http://${at.address}:${at.port}`, version: ports.version }, 'listening')
  }

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      // The switch first, so no event writes to a store that is closing.
      await ports.center?.stop()
      if (server) await closeServer(server)
      await closeStore(store)
      log.info('stopped')
    })()
    return stopping
  }

  function address(): { host: string; port: number } | undefined {
    const at = server?.address()
    return at && typeof at === 'object' ? { host: at.address, port: at.port } : undefined
  }

  return { start, stop, address }
}

function listen(server: Server, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the port is already in use' : e.code === 'EACCES' ? 'permission denied' : e.message
      reject(new Error(`cannot listen on ${host}:${port} (http.host/http.port): ${why}`))
    })
    server.listen(port, host, () => resolve(server))
  })
}

/**
 * Node 20 keeps idle keep-alive sockets open on close(), and the consoles' event streams (SSE)
 * never end by themselves: drop every connection so stop is prompt. Browsers reconnect their
 * streams to the next Hotline on their own.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((e) => (e ? reject(e) : resolve()))
    server.closeAllConnections()
  })
}

import { compose, createCenter, createLogger, loadConfig } from '../app/index.ts'
import { systemClock } from '../shared/index.ts'
import { openStore } from '../store/index.ts'
import type { Command } from './command.ts'

/**
 * `hotline start`: config → store → API → FreeSWITCH, until SIGINT/SIGTERM.
 */
export const startCommand: Command = {
  name: 'start',
  summary: 'run Hotline against the FreeSWITCH named in the configuration',
  async run(args, ctx) {
    const file = args.values['config']
    const loaded = loadConfig({ env: ctx.env, cwd: ctx.io.cwd, file: typeof file === 'string' ? file : undefined, requireEslPassword: true })
    if (!loaded.ok) {
      ctx.io.stderr.write(`hotline start: ${loaded.error.message}\n`)
      return 1
    }
    const config = loaded.value
    const log = await createLogger(config.log, ctx.io.logDestination)
    // A store error that escaped a caller (a COMMIT refused on a full disk) must not take the
    // whole center down with every caller on it: logged, and the writes that matter are held and
    // retried by their owners (the CDR recorder). Anything else still ends the process, as Node
    // would: a bug of unknown reach is better restarted clean.
    const onUnhandled = (reason: unknown): void => {
      if (isStoreError(reason)) {
        log.error({ err: reason }, 'a store error was not handled where it happened; Hotline keeps running')
        return
      }
      log.fatal?.({ err: reason }, 'unhandled rejection; stopping')
      process.exitCode = 1
      throw reason
    }
    process.on('unhandledRejection', onUnhandled)
    const store = openStore(config.db, ctx.io.cwd)
    const password = config.esl.password ?? '' // requireEslPassword above guarantees one
    const center = createCenter({ config, store, log, clock: systemClock, esl: { host: config.esl.host, port: config.esl.port, password }, cwd: ctx.io.cwd })
    const hotline = compose(config, { store, log, switchStatus: () => center.switchStatus(), version: ctx.version, center })
    try {
      await hotline.start()
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      log.error({ err: e }, 'failed to start')
      ctx.io.stderr.write(`hotline start: ${message}\n`)
      await hotline.stop()
      process.off('unhandledRejection', onUnhandled)
      return 1
    }
    const signal = await ctx.io.stopRequested()
    log.info({ signal }, 'stopping')
    await hotline.stop()
    process.off('unhandledRejection', onUnhandled)
    return 0
  },
}

/** SQLite (better-sqlite3's SqliteError, SQLITE_* codes) or PostgreSQL (a 5-character SQLSTATE with a severity). */
export function isStoreError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false
  const x = e as { name?: unknown; code?: unknown; severity?: unknown }
  if (x.name === 'SqliteError' || (typeof x.code === 'string' && x.code.startsWith('SQLITE_'))) return true
  return typeof x.severity === 'string' && typeof x.code === 'string' && /^[0-9A-Z]{5}$/.test(x.code)
}

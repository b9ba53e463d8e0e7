import { compose, createLogger, loadConfig } from '../app/index.ts'
import type { SwitchStatus } from '../api/index.ts'
import { openStore } from '../store/index.ts'
import type { Command } from './command.ts'

/**
 * `hotline start`: config → store → API, until SIGINT/SIGTERM.
 * The ESL client is not connected yet: the lead wires it in app/compose.ts and replaces
 * `notConnected` below with the client's state and counters.
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
    const since = Date.now()
    const notConnected = (): SwitchStatus => ({ state: 'disconnected', since, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 })
    const hotline = compose(config, { store: openStore(config.db, ctx.io.cwd), log, switchStatus: notConnected, version: ctx.version })
    try {
      await hotline.start()
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      log.error({ err: e }, 'failed to start')
      ctx.io.stderr.write(`hotline start: ${message}\n`)
      await hotline.stop()
      return 1
    }
    const signal = await ctx.io.stopRequested()
    log.info({ signal }, 'stopping')
    await hotline.stop()
    return 0
  },
}

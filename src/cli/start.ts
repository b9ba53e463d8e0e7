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
    const store = openStore(config.db, ctx.io.cwd)
    const password = config.esl.password ?? '' // requireEslPassword above guarantees one
    const center = createCenter({ config, store, log, clock: systemClock, esl: { host: config.esl.host, port: config.esl.port, password }, cwd: ctx.io.cwd })
    const hotline = compose(config, { store, log, switchStatus: () => center.link.status(), version: ctx.version, center })
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

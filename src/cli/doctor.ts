/**
 * `hotline doctor`: connects to FreeSWITCH like `start` would, then lets src/doctor judge what it
 * finds, plus Hotline's own parts (database, folders). Exit 0 only when nothing fails.
 */
import { resolve } from 'node:path'
import { FREESWITCH_DEFAULT_PASSWORD, KIT_TRUNK_PLAN, loadConfig, type Config } from '../app/index.ts'
import { connectEsl, type EslClient } from '../esl/index.ts'
import { doctorExitCode, formatReport, runDoctor, withKitSounds, type ConnectOutcome, type DeskPhone, type LocalCheck } from '../doctor/index.ts'
import { closeStore, migrationNames, openStore } from '../store/index.ts'
import type { Command, CommandArgs, CliContext } from './command.ts'
import { folderCheck } from './doctor-folders.ts'
import { overflowQueueCheck } from './doctor-queues.ts'
import { capacityOf, deskPhones, ivrVerdicts } from './doctor-site.ts'
import { extensionPattern } from './phones.ts'

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check that FreeSWITCH is reachable and has what Hotline needs (exit 0 only when nothing fails)',
  options: {
    'esl-host': { type: 'string' },
    'esl-port': { type: 'string' },
    'esl-password': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, ctx) {
    const loaded = configFor(args, ctx)
    if (typeof loaded === 'string') {
      ctx.io.stderr.write(`hotline doctor: ${loaded}\n`)
      return 1
    }
    const { config, password } = loaded
    const address = `${config.esl.host}:${config.esl.port}`
    const esl = await connectEsl({ host: config.esl.host, port: config.esl.port, password, events: [], timeoutMs: config.esl.connectTimeoutMs, failFast: true })
    const connection: ConnectOutcome = esl.ok
      ? { kind: 'connected', address }
      : esl.error.code === 'esl-auth-failed' ? { kind: 'auth-rejected', address, message: esl.error.message } : { kind: 'unreachable', address, message: esl.error.message }
    const client: EslClient | undefined = esl.ok ? esl.value : undefined
    const ivr = ivrVerdicts(resolve(ctx.io.cwd, config.ivr.scriptsDir), resolve(ctx.io.cwd, config.ivr.soundsDir))
    try {
      const phones = await readDeskPhones(config, ctx.io.cwd)
      const report = await runDoctor({
        probe: {
          connection,
          password,
          api: async (cmd) => {
            if (!client) return { ok: false, error: { message: 'not connected' } }
            const r = await client.api(cmd, { timeoutMs: config.esl.commandTimeoutMs })
            return r.ok ? r : { ok: false, error: { message: r.error.message } }
          },
        },
        capacity: capacityOf(KIT_TRUNK_PLAN),
        ...(phones ? { agentExtensions: phones.map((p) => p.extension) } : {}),
        agentRouting: { phones, read: extensionPattern },
        phoneDirectory: { phones, domain: config.phones.domain },
        sounds: withKitSounds(ivr.sounds, resolve(ctx.io.cwd, config.ivr.soundsDir)),
        flows: ivr.flows,
        database: () => databaseCheck(config, ctx.io.cwd),
        overflowQueue: overflowQueueCheck({ queue: config.ivr.overflowQueue, scriptsDir: resolve(ctx.io.cwd, config.ivr.scriptsDir), soundsDir: resolve(ctx.io.cwd, config.ivr.soundsDir), db: config.db, cwd: ctx.io.cwd }),
        recordingsDir: folderCheck(resolve(ctx.io.cwd, config.recording.root), 'recording.root'),
        faxDir: folderCheck(resolve(ctx.io.cwd, config.paths.fax), 'paths.fax'),
        messagesDir: folderCheck(resolve(ctx.io.cwd, config.paths.messages), 'paths.messages'),
      })
      ctx.io.stdout.write(formatReport(report, { json: args.values['json'] === true }) + '\n')
      return doctorExitCode(report)
    } finally {
      client?.close()
    }
  },
}

/**
 * The config with the flags applied. The one error doctor does not stop at is the default
 * password ClueCon: it connects with it anyway, so its report can say so next to what else is wrong.
 */
function configFor(args: CommandArgs, ctx: CliContext): { config: Config; password: string } | string {
  const v = args.values
  const port = typeof v['esl-port'] === 'string' ? Number(v['esl-port']) : undefined
  const esl = {
    ...(typeof v['esl-host'] === 'string' ? { host: v['esl-host'] } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(typeof v['esl-password'] === 'string' ? { password: v['esl-password'] } : {}),
  }
  const file = typeof v['config'] === 'string' ? v['config'] : undefined
  const first = loadConfig({ env: ctx.env, cwd: ctx.io.cwd, file, overrides: { esl } })
  if (first.ok) {
    if (first.value.esl.password === undefined) return 'no ESL password: pass --esl-password, set HOTLINE_ESL_PASSWORD or esl.password'
    return { config: first.value, password: first.value.esl.password }
  }
  const onlyDefault = first.error.problems.length > 0 && first.error.problems.every((p) => p.path === 'esl.password' && p.reason.includes(FREESWITCH_DEFAULT_PASSWORD))
  if (!onlyDefault) return first.error.message
  const again = loadConfig({ env: ctx.env, cwd: ctx.io.cwd, file, overrides: { esl: { ...esl, password: 'placeholder-judged-below' } } })
  return again.ok ? { config: again.value, password: FREESWITCH_DEFAULT_PASSWORD } : again.error.message
}

async function readDeskPhones(config: Config, cwd: string): Promise<DeskPhone[] | undefined> {
  const store = openStore(config.db, cwd)
  try {
    return await deskPhones(store)
  } finally {
    await closeStore(store)
  }
}

async function databaseCheck(config: Config, cwd: string): ReturnType<LocalCheck> {
  const store = openStore(config.db, cwd)
  try {
    const rows: Array<{ name: string }> = await store('knex_migrations').select('name')
    const done = new Set(rows.map((r) => r.name))
    const pending = migrationNames.filter((n) => !done.has(n))
    if (pending.length === 0) return { status: 'pass', detail: `${done.size} migrations applied` }
    return { status: 'warn', detail: `${pending.length} migrations pending (${pending.join(', ')})`, hint: '`hotline start` applies them on start' }
  } catch (e) {
    return { status: 'warn', detail: `database not initialised (${e instanceof Error ? e.message : String(e)})`, hint: '`hotline start` creates and migrates it' }
  } finally {
    await closeStore(store)
  }
}

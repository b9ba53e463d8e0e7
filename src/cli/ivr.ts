/** `hotline ivr check` and `hotline ivr try`: the IVR designer's tools, without FreeSWITCH. */
import { resolve } from 'node:path'
import { loadConfig } from '../app/index.ts'
import { ivrCheck, ivrTry, parseAt } from '../ivr/index.ts'
import type { CliContext, Command, CommandArgs } from './command.ts'

function folders(args: CommandArgs, ctx: CliContext): { scripts: string; sounds: string } | string {
  const file = typeof args.values['config'] === 'string' ? args.values['config'] : undefined
  const c = loadConfig({ env: ctx.env, cwd: ctx.io.cwd, file })
  if (!c.ok) return c.error.message
  return { scripts: resolve(ctx.io.cwd, c.value.ivr.scriptsDir), sounds: resolve(ctx.io.cwd, c.value.ivr.soundsDir) }
}

export const ivrCheckCommand: Command = {
  name: 'ivr check',
  summary: 'validate the IVR flows and prompts in a folder (default ivr.scriptsDir); exit 1 on any error',
  usage: '[dir]',
  async run(args, ctx) {
    const f = folders(args, ctx)
    if (typeof f === 'string') {
      ctx.io.stderr.write(`hotline ivr check: ${f}\n`)
      return 1
    }
    const dir = args.positionals[0] ? resolve(ctx.io.cwd, args.positionals[0]) : f.scripts
    const r = await ivrCheck(dir, f.sounds)
    ;(r.exitCode === 0 ? ctx.io.stdout : ctx.io.stderr).write(r.output + '\n')
    return r.exitCode
  },
}

export const ivrTryCommand: Command = {
  name: 'ivr try',
  summary: 'play an IVR flow as a caller in the terminal (--caller N --digits "2 1234567#" --at 20:30), no switch needed',
  usage: '[entry]',
  options: { caller: { type: 'string' }, digits: { type: 'string' }, at: { type: 'string' } },
  async run(args, ctx) {
    const f = folders(args, ctx)
    if (typeof f === 'string') {
      ctx.io.stderr.write(`hotline ivr try: ${f}\n`)
      return 1
    }
    const caller = args.values['caller']
    const digits = args.values['digits']
    const atText = args.values['at']
    const at = typeof atText === 'string' ? parseAt(atText, Date.now()) : undefined
    if (at && !at.ok) {
      ctx.io.stderr.write(`hotline ivr try: ${at.error}\n`)
      return 2
    }
    const r = await ivrTry({
      ...(at ? { at: at.value } : {}),
      scriptsDir: f.scripts, soundsDir: f.sounds,
      ...(args.positionals[0] ? { entry: args.positionals[0] } : {}),
      ...(typeof caller === 'string' ? { caller } : {}),
      ...(typeof digits === 'string' ? { digits } : {}),
    })
    ;(r.exitCode === 0 ? ctx.io.stdout : ctx.io.stderr).write(r.output + '\n')
    return r.exitCode
  },
}

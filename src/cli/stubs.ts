import type { Command } from './command.ts'

/** A command whose module is not wired yet: says so and fails, so no one mistakes it for success. */
function notWiredYet(name: string, summary: string, extra: Omit<Command, 'name' | 'summary' | 'run'> = {}): Command {
  return {
    name,
    summary,
    ...extra,
    run: (_args, ctx) => {
      ctx.io.stderr.write(`hotline ${name}: not wired yet\n`)
      return Promise.resolve(1)
    },
  }
}

export const ivrCheckCommand = notWiredYet('ivr check', 'validate the IVR flows in a folder (default ivr.scriptsDir)', { usage: '[dir]' })

export const ivrTryCommand = notWiredYet('ivr try', 'play an IVR flow as a caller (--caller N --digits "12#"), no switch', {
  usage: '[entry]',
  options: { caller: { type: 'string' }, digits: { type: 'string' } },
})

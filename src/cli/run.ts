import { StoreOpenError } from '../store/index.ts'
import { parseArgs } from 'node:util'
import { hotlineVersion } from '../app/index.ts'
import { globalOptions, type CliContext, type CliIo, type Command } from './command.ts'
import { commands as defaultCommands } from './commands.ts'

/** Exit codes: 0 done, 1 failed, 2 the command line itself was wrong (as most Unix tools). */
const USAGE_ERROR = 2

/**
 * `hotline <command> [options]`, as a function: argv without node and the script, the
 * environment and the I/O are passed in, the exit code comes back. main.ts is the only caller
 * that touches `process`.
 */
export async function runCli(
  argv: readonly string[],
  env: CliContext['env'],
  io: CliIo,
  commands: readonly Command[] = defaultCommands,
): Promise<number> {
  const ctx: CliContext = { env, io, version: hotlineVersion() }
  const [first] = argv
  if (first === undefined) {
    io.stderr.write(usage(commands))
    return USAGE_ERROR
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    io.stdout.write(usage(commands))
    return 0
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${ctx.version}\n`)
    return 0
  }
  const found = findCommand(argv, commands)
  if (found === undefined) {
    io.stderr.write(`hotline: unknown command "${leadingWords(argv).join(' ')}"\n\n${usage(commands)}`)
    return USAGE_ERROR
  }
  const { command, rest } = found
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: [...rest], options: { ...globalOptions, ...command.options }, allowPositionals: true, strict: true })
  } catch (e) {
    io.stderr.write(`hotline ${command.name}: ${e instanceof Error ? e.message : String(e)}\n\n${commandUsage(command)}`)
    return USAGE_ERROR
  }
  if (parsed.values['help'] === true) {
    io.stdout.write(commandUsage(command))
    return 0
  }
  const values = Object.fromEntries(Object.entries(parsed.values).filter((e): e is [string, string | boolean] => typeof e[1] !== 'object'))
  try {
    return await command.run({ positionals: parsed.positionals, values }, ctx)
  } catch (e) {
    // A store that cannot be opened where the config says is the site's setup, not a bug: one
    // line naming the setting, no stack trace.
    if (e instanceof StoreOpenError) {
      io.stderr.write(`hotline ${command.name}: ${e.message}\n`)
      return 1
    }
    throw e
  }
}

/** The command whose name matches the most leading words (`ivr check` before a plain `ivr`). */
function findCommand(argv: readonly string[], commands: readonly Command[]): { command: Command; rest: readonly string[] } | undefined {
  const words = leadingWords(argv)
  for (let n = words.length; n > 0; n--) {
    const name = words.slice(0, n).join(' ')
    const command = commands.find((c) => c.name === name)
    if (command) return { command, rest: argv.slice(n) }
  }
  return undefined
}

function leadingWords(argv: readonly string[]): string[] {
  const words: string[] = []
  for (const a of argv) {
    if (a.startsWith('-') || words.length === 2) break
    words.push(a)
  }
  return words
}

export function usage(commands: readonly Command[]): string {
  const lines = commands.map((c) => [`${c.name}${c.usage ? ` ${c.usage}` : ''}`, c.summary] as const)
  lines.push(['help', 'show this help'])
  const width = Math.max(...lines.map(([l]) => l.length)) + 2
  return [
    'Usage: hotline <command> [options]',
    '',
    'Commands:',
    ...lines.map(([l, s]) => `  ${l.padEnd(width)}${s}`),
    '',
    'Options for every command:',
    '  -c, --config <file>  configuration file (default ./hotline.yaml, or $HOTLINE_CONFIG)',
    '  -h, --help           help for the command',
    '',
    'Configuration keys and environment variables: docs/configuration.md',
    '',
  ].join('\n')
}

function commandUsage(c: Command): string {
  const own = Object.entries(c.options ?? {}).map(([name, spec]) => `  --${name}${spec.type === 'string' ? ' <value>' : ''}`)
  return [
    `Usage: hotline ${c.name}${c.usage ? ` ${c.usage}` : ''} [options]`,
    '',
    c.summary,
    '',
    'Options:',
    ...own,
    '  -c, --config <file>  configuration file',
    '  -h, --help           this help',
    '',
  ].join('\n')
}

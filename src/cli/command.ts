import type { ParseArgsConfig } from 'node:util'
import type { DestinationStream } from 'pino'

export interface Output {
  write(text: string): unknown
}

/** Everything a command touches outside itself, injected so runCli runs in a test process. */
export interface CliIo {
  readonly stdout: Output
  readonly stderr: Output
  readonly cwd: string
  /** Resolves with the signal name when the process is asked to stop (SIGINT/SIGTERM). */
  readonly stopRequested: () => Promise<string>
  /** Where log lines go; the process's stdout when absent. */
  readonly logDestination?: DestinationStream
}

export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly io: CliIo
  readonly version: string
}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>

export interface CommandArgs {
  readonly positionals: readonly string[]
  readonly values: Readonly<Record<string, string | boolean | undefined>>
}

/**
 * One `hotline <name>` subcommand. A name may have two words (`ivr check`). `run` resolves to
 * the process exit code: 0 success, 1 failure, 2 usage error.
 */
export interface Command {
  readonly name: string
  readonly summary: string
  /** What follows the name in the usage line, e.g. `[dir]`. */
  readonly usage?: string
  readonly options?: OptionSpecs
  run(args: CommandArgs, ctx: CliContext): Promise<number>
}

/** Options every command accepts. */
export const globalOptions = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs

export { runCli, usage } from './run.ts'
export { commands } from './commands.ts'
export type { CliContext, CliIo, Command, CommandArgs, OptionSpecs, Output } from './command.ts'

import type { Command } from './command.ts'
import { startCommand } from './start.ts'
import { demoCommand } from './demo.ts'
import { doctorCommand, ivrCheckCommand, ivrTryCommand } from './stubs.ts'

/**
 * Every `hotline` subcommand, in the order help lists them. A module adds its command by
 * appending one entry (or replacing a stub) here.
 */
export const commands: readonly Command[] = [
  startCommand,
  demoCommand,
  doctorCommand,
  ivrCheckCommand,
  ivrTryCommand,
]

import type { Command } from './command.ts'
import { startCommand } from './start.ts'
import { demoCommand } from './demo.ts'
import { doctorCommand } from './doctor.ts'
import { ivrCheckCommand, ivrTryCommand } from './ivr.ts'
import { userAddCommand, userListCommand } from './user.ts'
import { phonesGenerateCommand } from './phones.ts'

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
  userAddCommand(() => process.stdin), userListCommand,
  phonesGenerateCommand,
]

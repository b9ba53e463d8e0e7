/**
 * The process entry: `hotline <command>` (bin/hotline.js) and `npm start` / `npm run demo`.
 * Everything testable lives in cli/runCli; this file only binds it to the real process.
 */
import { runCli } from './cli/index.ts'

/** First SIGINT/SIGTERM asks the running command to stop cleanly; a second one forces exit. */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
      process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(143))
      resolve(signal)
    }
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
  })
}

try {
  process.exitCode = await runCli(process.argv.slice(2), process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    stopRequested,
  })
} catch (e) {
  // Expected failures come back as exit codes; reaching here is a bug, so keep the stack.
  console.error('hotline: internal error:', e)
  process.exitCode = 70
}
// Every command has finished its own clean-up by now; do not wait on a stray handle.
process.exit(process.exitCode)

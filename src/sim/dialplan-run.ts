/** Runs the configured dialplan on an inbound (hotline) leg: set…, answer, playback, park. */
import type { Channel } from './channel.ts'
import type { SimSwitch } from './switch.ts'
import { newAppUuid, start } from './apps.ts'
import type { DialplanStep } from './dialplan.ts'

export function runDialplan(sw: SimSwitch, ch: Channel): void {
  const steps = sw.dialplan[ch.dest]
  ch.state = 'CS_ROUTING'
  if (!steps) return sw.hangup(ch, 'NO_ROUTE_DESTINATION')
  ch.state = 'CS_EXECUTE'
  runSteps(sw, ch, steps)
}

function runSteps(sw: SimSwitch, ch: Channel, steps: readonly DialplanStep[]): void {
  const [step, ...rest] = steps
  if (ch.hangupCause) return
  // Dialplan ran out without parking or bridging: FreeSWITCH hangs the leg up.
  if (!step) return ch.parked || ch.bridgePeer ? undefined : sw.hangup(ch, 'NORMAL_CLEARING')
  const arg = 'arg' in step ? step.arg : ''
  // Each step runs when the previous completes; park is the last and never completes by itself.
  start(sw, ch, { name: step.app, arg, appUuid: newAppUuid() }, () => runSteps(sw, ch, rest))
}

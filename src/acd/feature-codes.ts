/**
 * Feature codes dialled from an agent's phone (dialplan/agents.xml): `*21` login, `*22` logout,
 * `*23` ready, `*24` not ready, `*24<nn>` not ready with reason code nn. The call parks with
 * hotline_feature; Hotline changes the agent's presence, plays a short tone and hangs up.
 */
import type { ChannelUuid } from '../shared/index.ts'
import type { CallControl } from '../calls/index.ts'
import type { FeatureCode } from './agent-phone.ts'
import type { PresenceCommand } from './commands.ts'

/** The presence command a code asks for; undefined for an unknown code or reason code. */
export function featureCommand(f: FeatureCode, reasons: Readonly<Record<string, string>>, defaultReason: string): PresenceCommand | undefined {
  switch (f.kind) {
    case 'login':
    case 'ready':
      return { state: 'ready' }
    case 'logout':
      return { state: 'logged-out' }
    case 'not-ready': {
      const reason = f.reasonCode === '' ? defaultReason : reasons[f.reasonCode]
      return reason === undefined ? undefined : { state: 'not-ready', reason }
    }
    case 'unknown':
      return undefined
  }
}

/** Answer, one tone (done or failed), hang up: the agent hears at once whether it worked. */
export async function confirmFeature(control: CallControl, leg: ChannelUuid, tone: string): Promise<void> {
  await control.answer(leg)
  await control.play(leg, [tone])
  await control.hangup(leg, 'NORMAL_CLEARING')
}

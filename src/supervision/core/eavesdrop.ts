/**
 * Listen, whisper and barge as FreeSWITCH eavesdrop (esl-captures 11 and 18, fact 21).
 * The supervisor's phone is originated straight into `&eavesdrop(<agent leg>)`:
 *  - it starts in the asked mode through the eavesdropper's channel variables
 *    `eavesdrop_whisper_aleg` (the eavesdropped leg, the agent, hears the supervisor) and
 *    `eavesdrop_whisper_bleg` (its partner, the caller, hears too), read by mod_dptools'
 *    eavesdrop when it starts (not in the captures: no race with the DTMF below);
 *  - `eavesdrop_enable_dtmf=true` lets the mode change later, as captured in file 11:
 *    `uuid_recv_dtmf <supervisor leg> <digit>` with 2 = talk to the agent (whisper),
 *    1 = talk to the partner, 3 = both (barge), 0 = listen only. A change makes only a DTMF event.
 */
export type SupervisionMode = 'listen' | 'whisper' | 'barge'
export const SUPERVISION_MODES: readonly SupervisionMode[] = ['listen', 'whisper', 'barge']

export function modeDigit(mode: SupervisionMode): '0' | '2' | '3' {
  switch (mode) {
    case 'listen': return '0'
    case 'whisper': return '2'
    case 'barge': return '3'
  }
}

export interface EavesdropPlan {
  readonly dial: string
  readonly vars: Readonly<Record<string, string>>
  readonly app: string
}

/** FreeSWITCH uuids are hex and dashes; anything else must never reach an originate string. */
const LEG = /^[0-9a-fA-F-]{8,64}$/
/** A dial string for the supervisor's phone: `user/1002` or `sofia/gateway/…/number`, no spaces or braces. */
const DIAL = /^[A-Za-z0-9_.@/+:-]{3,200}$/

export function eavesdropPlan(supervisorDial: string, agentLeg: string, mode: SupervisionMode, supervisor: string, agent: string): EavesdropPlan | undefined {
  if (!LEG.test(agentLeg) || !DIAL.test(supervisorDial)) return undefined
  return {
    dial: supervisorDial,
    vars: {
      eavesdrop_enable_dtmf: 'true',
      eavesdrop_whisper_aleg: mode === 'listen' ? 'false' : 'true',
      eavesdrop_whisper_bleg: mode === 'barge' ? 'true' : 'false',
      // Stamped like every Hotline leg, so a restart knows this leg is a supervisor's (capture 18).
      hotline_role: 'supervisor',
      hotline_supervisor: supervisor,
      hotline_eavesdrop_agent: agent,
    },
    app: `&eavesdrop(${agentLeg})`,
  }
}

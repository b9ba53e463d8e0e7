/**
 * The `hotline` context the simulator runs for a scripted caller's hotline leg. The default
 * matches the dialplan used for esl-captures 12-20 (README "Driving parked calls").
 */
export type DialplanStep =
  | { readonly app: 'set'; readonly arg: string }
  | { readonly app: 'answer' }
  | { readonly app: 'playback'; readonly arg: string }
  | { readonly app: 'park' }
  | { readonly app: 'hangup'; readonly arg: string }

/** Extension → steps. An extension not listed is NO_ROUTE_DESTINATION (fact 19). */
export type Dialplan = Readonly<Record<string, readonly DialplanStep[]>>

const set = (arg: string): DialplanStep => ({ app: 'set', arg })

export const defaultDialplan: Dialplan = {
  '96200': [set('hotline_entry=96200'), set('hotline_region=nanjing'), { app: 'park' }],
  '96202': [
    set('hotline_entry=96202'), set('hotline_region=nanjing'),
    set('presence_data=hotline_entry=96202;hotline_region=nanjing'), { app: 'park' },
  ],
  '96201': [set('hotline_transferred=96201'), { app: 'park' }],
  '96210': [{ app: 'answer' }, { app: 'playback', arg: 'connecting.wav' }, { app: 'park' }],
  '96300': [set('hotline_entry=96300'), set('fax_enable_t38=false'), { app: 'park' }],
  // dialplan/hotline-gate.xml: where Hotline parks a leg it takes out of a bridge (hold, transfer).
  hotline: [{ app: 'park' }],
}

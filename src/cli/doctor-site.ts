/**
 * What `hotline doctor` knows about this site apart from the switch: the IVR's flows and prompts
 * (one read of the folders, split into the sounds and flows verdicts), the ACD agents whose
 * phones should be registered and reachable by extension, and the trunk channels the switch must have room for.
 */
import { formatFlowError, parseFlowSet, readFlowFiles, readSoundCatalog, type FlowError, type SoundCatalog } from '../ivr/index.ts'
import { KnexAgentRepository } from '../acd/index.ts'
import { trunkCapacity, type TrunkPlan } from '../trunks/index.ts'
import type { CapacityExpectation, DeskPhone, LocalCheck } from '../doctor/index.ts'
import type { Store } from '../store/index.ts'

type Verdict = Awaited<ReturnType<LocalCheck>>

/** How many errors a verdict line names; `hotline ivr check` lists all of them. */
const SHOWN = 3

export interface IvrVerdicts {
  readonly sounds: LocalCheck
  readonly flows: LocalCheck
}

/**
 * A prompt error is about the sounds folder (a file missing or in the wrong format); everything
 * else is the designer's flow files. parseFlowSet reports both in one list.
 */
function isSoundError(e: FlowError, sounds: SoundCatalog): boolean {
  return e.file.startsWith(`${sounds.dir}/`) || /^prompt '.*' is missing: /.test(e.message) || e.message.startsWith('say nodes need ')
}

function listed(errors: readonly FlowError[]): string {
  const more = errors.length > SHOWN ? `; and ${errors.length - SHOWN} more` : ''
  return errors.slice(0, SHOWN).map(formatFlowError).join('; ') + more
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`

export function ivrVerdicts(scriptsDir: string, soundsDir: string): IvrVerdicts {
  let read: Promise<{ sounds: Verdict; flows: Verdict }> | undefined
  const both = (): Promise<{ sounds: Verdict; flows: Verdict }> => (read ??= judgeIvr(scriptsDir, soundsDir))
  return { sounds: async () => (await both()).sounds, flows: async () => (await both()).flows }
}

async function judgeIvr(scriptsDir: string, soundsDir: string): Promise<{ sounds: Verdict; flows: Verdict }> {
  const files = await readFlowFiles(scriptsDir)
  const sounds = await readSoundCatalog(soundsDir)
  const counts = [...sounds.prompts].map(([lang, m]) => `${m.size} ${lang}`).join(' + ')
  const fixSounds = 'Record or convert the prompts to 8 kHz mono 16-bit (sox in.wav -r 8000 -c 1 -b 16 out.wav); `hotline ivr check` lists every problem.'
  if (files.length === 0) {
    return {
      sounds: { status: 'warn', detail: `${sounds.dir}: ${counts} prompts; no flows to check them against` },
      flows: { status: 'fail', detail: `${scriptsDir}: no flow files (*.yaml)`, hint: 'Point ivr.scriptsDir at the folder of the flow files.' },
    }
  }
  const r = parseFlowSet(files, sounds, 1)
  const errors = r.ok ? [] : r.error
  const soundErrors = errors.filter((e) => isSoundError(e, sounds))
  const flowErrors = errors.filter((e) => !isSoundError(e, sounds))
  const soundVerdict: Verdict = soundErrors.length === 0
    ? { status: 'pass', detail: `${sounds.dir}: ${counts} prompts, every one the flows use present, all 8000 Hz mono 16-bit` }
    : { status: 'fail', detail: `${plural(soundErrors.length, 'problem')}: ${listed(soundErrors)}`, hint: fixSounds }
  const flowVerdict: Verdict = flowErrors.length === 0
    ? { status: 'pass', detail: r.ok ? `${plural(r.value.flows.size, 'flow')}, entries ${[...r.value.entries.keys()].join(', ')}` : `${plural(files.length, 'flow file')}, no flow errors` }
    : { status: 'fail', detail: `${plural(flowErrors.length, 'error')}: ${listed(flowErrors)}`, hint: 'Fix the flow files (`hotline ivr check` shows each error with file:line:col); Hotline keeps the last valid flows until then.' }
  return { sounds: soundVerdict, flows: flowVerdict }
}

/**
 * The agents in the store with a desk phone, or undefined when the store cannot say (not created
 * or not migrated yet: the database line of the report says so) or has none, so doctor only
 * counts phones.
 */
export async function deskPhones(store: Store): Promise<DeskPhone[] | undefined> {
  try {
    const agents = await new KnexAgentRepository(store).list()
    const phones = agents.flatMap((a) => (a.contact.kind === 'sip' ? [{ agent: a.id, name: a.name, extension: a.contact.user }] : []))
    // No agents yet (a fresh site): "all 0 registered" would read as a pass; counting phones is more honest.
    return phones.length > 0 ? phones : undefined
  } catch {
    return undefined
  }
}

/** All trunk channels of the plan: 30 per E1 span plus what the SIP trunks were sold with. */
export function capacityOf(plan: TrunkPlan): CapacityExpectation {
  return { trunkChannels: plan.trunks.reduce((n, t) => n + trunkCapacity(t), 0) }
}

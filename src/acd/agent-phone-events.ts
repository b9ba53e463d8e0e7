/**
 * What agents' phones tell the ACD (parsed by agent-phone.ts), turned into its inputs:
 * registrations mark agents registered or not, and feature-code calls change their presence,
 * answered with a tone. AcdService feeds every decoded ESL event here.
 */
import type { AgentId, ChannelUuid, Failure, Result } from '../shared/index.ts'
import type { CallControl } from '../calls/index.ts'
import type { EslEvent } from '../esl/index.ts'
import { PHONE_UNREACHABLE, type AcdInput, type AcdState, type Agent } from './core/index.ts'
import { featureCallOf, registrationOf, REGISTRATION_SUBCLASSES, type FeatureCall } from './agent-phone.ts'
import type { PresenceCommand } from './commands.ts'
import { confirmFeature, featureCommand } from './feature-codes.ts'
import type { AcdMedia } from './media.ts'

/** What the phones need of the ACD shell (AcdService). */
export interface PhoneEventsHost {
  state(): AcdState
  feed(input: AcdInput): unknown
  presence(agent: AgentId, cmd: PresenceCommand): Result<Agent, Failure>
  defaultReason(): string
}

export class AgentPhoneEvents {
  readonly #control: CallControl
  readonly #media: AcdMedia
  readonly #reasons: Readonly<Record<string, string>>
  readonly #host: PhoneEventsHost
  readonly #featureLegs = new Set<string>()

  constructor(control: CallControl, media: AcdMedia, notReadyReasons: Readonly<Record<string, string>>, host: PhoneEventsHost) {
    this.#control = control
    this.#media = media
    this.#reasons = notReadyReasons
    this.#host = host
  }

  /** Registrations and feature-code parks are picked out; any other event is left alone. */
  handleEsl(ev: EslEvent): void {
    if (ev.name === 'CUSTOM' && (REGISTRATION_SUBCLASSES as readonly (string | undefined)[]).includes(ev.subclass)) this.onRegistration(ev.subclass, ev.headers)
    else if (ev.name === 'CHANNEL_PARK' && ev.header('variable_hotline_feature') !== undefined) {
      const f = featureCallOf(ev.headers)
      if (f) this.onFeatureCall(f)
    }
  }

  onRegistration(subclass: string | undefined, headers: Readonly<Record<string, string>>): void {
    const r = registrationOf(subclass, headers)
    if (!r) return
    for (const a of this.#agentsWithSipUser(r.user)) {
      // A refresh of a registration matters too when the ACD put the agent not-ready for an
      // unreachable phone: the phone is there again (core/presence.ts register).
      const comesBack = r.registered && a.presence.kind === 'not-ready' && a.presence.reason === PHONE_UNREACHABLE
      if (a.registered !== r.registered || comesBack) this.#host.feed({ kind: r.registered ? 'agent-registered' : 'agent-unregistered', agent: a.id })
    }
  }

  /** `*21` login, `*22` logout, `*23` ready, `*24[nn]` not ready (dialplan/agents.xml). */
  onFeatureCall(f: FeatureCall): void {
    if (this.#featureLegs.has(f.leg)) return // parked again after an app (fact 3): already handled
    this.#featureLegs.add(f.leg)
    const agent = this.#agentsWithSipUser(f.extension)[0]
    const command = agent ? featureCommand(f.feature, this.#reasons, this.#host.defaultReason()) : undefined
    const done = agent !== undefined && command !== undefined && this.#host.presence(agent.id, command).ok
    void confirmFeature(this.#control, f.leg as ChannelUuid, done ? this.#media.featureDone : this.#media.featureFailed).then(() => this.#featureLegs.delete(f.leg))
  }

  #agentsWithSipUser(user: string): Agent[] {
    const found: Agent[] = []
    if (!user) return found
    for (const a of this.#host.state().agents.values()) if (a.contact.kind === 'sip' && a.contact.user === user) found.push(a)
    return found
  }
}

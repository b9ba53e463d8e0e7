/**
 * Agents set up the way a site does it (docs/phones.md, docs/deploy.md): each agent made through
 * the API, their SIP accounts written into the kit's directory by `hotline phones generate
 * --reload`, a desk phone (baresip) registered with the password it printed, a console user made
 * with `hotline user add --role agent --agent`, and the agent put ready through the API.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { login, must, type Api } from './hotline-api.ts'
import { cli } from './hotline-process.ts'
import { PBX } from './kit-site.ts'
import type { Lab } from './lab.ts'
import { SipPhone } from './sip-phone.ts'
import { writeToneWav } from './wav.ts'

export interface AgentSpec {
  readonly id: string
  readonly extension: string
  readonly queues?: readonly string[]
  /** The tone the agent's phone sends as the agent's voice. */
  readonly voiceHz?: number
  readonly ready?: boolean
  /** A supervisor's desk: the console user is a supervisor whose phone this is (no queues, never ready). */
  readonly role?: 'agent' | 'supervisor'
}

export interface DeskAgent {
  readonly id: string
  readonly extension: string
  readonly phone: SipPhone
  /** The agent's own console session (token of role agent). */
  readonly api: Api
  readonly voiceHz: number
}

interface Teardown { teardown(fn: () => unknown): void }

export async function setUpAgents(t: Teardown, lab: Lab, specs: readonly AgentSpec[]): Promise<Map<string, DeskAgent>> {
  for (const s of specs) {
    const queues = s.role === 'supervisor' ? [] : s.queues ?? ['general']
    await must(lab.admin.call('PUT', `/agents/${s.id}`, { name: `Agent ${s.id}`, contact: { kind: 'sip', user: s.extension }, skills: Object.fromEntries(queues.map((q) => [q, 1])), queues }), `agent ${s.id}`)
  }
  const out = await cli(['phones', 'generate', '--out', join(lab.kit.confDir, 'directory', 'agents'), '--reload', '--show-passwords'], lab.site)
  const passwords = new Map(out.split('\n').map((l) => l.split('\t')).filter((f) => f.length === 3).map(([ext, , pw]) => [ext ?? '', pw ?? '']))
  const agents = new Map<string, DeskAgent>()
  let n = 0
  for (const s of specs) {
    const password = passwords.get(s.extension)
    if (!password) throw new Error(`phones generate printed no password for ${s.extension}:\n${out}`)
    const dir = join(lab.dir, 'phones', s.id)
    mkdirSync(dir, { recursive: true })
    const voiceHz = s.voiceHz ?? 440 + 110 * n
    const voice = join(dir, 'voice.wav')
    writeToneWav(voice, voiceHz, 300)
    const phone = await SipPhone.start({ user: s.extension, password, domain: PBX.domain, registrar: `${PBX.host}:${PBX.internalPort}`, localIp: `127.0.0.${11 + n}`, audioIn: voice, dir })
    t.teardown(() => phone.stop())
    await phone.registered()
    const userPassword = `live-${s.id}-${Math.random().toString(36).slice(2)}`
    await cli(['user', 'add', s.id, '--role', s.role ?? 'agent', '--agent', s.id, '--password-stdin'], lab.site, userPassword + '\n')
    const api = await login(s.id, userPassword)
    if (s.role !== 'supervisor' && (s.ready ?? true)) await must(api.call('POST', `/agents/${s.id}/presence`, { state: 'ready' }), `${s.id} ready`)
    agents.set(s.id, { id: s.id, extension: s.extension, phone, api, voiceHz })
    n++
  }
  return agents
}

/**
 * Agents the dialplan cannot reach. The kit's dialplan routes only extensions matching the
 * switch's global variable agent_extensions (`^($${agent_extensions})$`); an agent whose SIP user
 * is outside it registers and Hotline rings them, but a colleague or supervisor dialling them
 * gets no route. Silent otherwise, so doctor names them. A warning, never a failure: calls from
 * the queues still reach them.
 */
import type { CheckResult } from './verdict.ts'
import { pass, warn } from './verdict.ts'
import type { Reply } from './judge.ts'
import type { Result } from '../../shared/index.ts'

/** An agent with a desk phone, as the store has them. */
export interface DeskPhone {
  readonly agent: string
  readonly name: string
  readonly extension: string
}

export interface ExtensionPattern {
  readonly source: string
  readonly routes: (extension: string) => boolean
}

/** How the dialplan reads agent_extensions; injected so doctor and `phones generate` share one reading. */
export type ReadExtensionPattern = (source: string) => Result<ExtensionPattern, string>

const ID = 'agent-extensions'
const TITLE = "Agents' extensions routed by the dialplan"

/** `api global_getvar agent_extensions`; `phones` undefined: the store has no agent with a desk phone. */
export function judgeAgentExtensions(phones: readonly DeskPhone[] | undefined, reply: Reply, read: ReadExtensionPattern): CheckResult {
  if (!reply.ok) return warn(ID, TITLE, `no answer from FreeSWITCH: ${reply.error.message}`, 'Check the ESL connection (first line of this report).')
  const body = reply.value.trim()
  // An unset global gives an empty body, which mod_event_socket sends as `-ERR no reply`.
  if (body === '' || body === '-ERR no reply') {
    return warn(ID, TITLE, "the switch has no global variable agent_extensions: not the kit's dialplan, agents' extensions not checked",
      "If this switch should run the kit's freeswitch-conf, set agent_extensions in vars.xml and run `fs_cli -x reloadxml`; otherwise make sure your dialplan routes the agents' extensions.")
  }
  if (body.startsWith('-ERR')) return warn(ID, TITLE, `global_getvar answered ${body}`, 'Is mod_commands loaded? (see the modules line)')
  const pattern = read(body)
  if (!pattern.ok) return warn(ID, TITLE, `${pattern.error}; agents' extensions not checked`, 'Set agent_extensions in vars.xml to a regular expression such as [2-8][0-9]{3}, then `fs_cli -x reloadxml`.')
  const source = pattern.value.source
  if (phones === undefined || phones.length === 0) return pass(ID, TITLE, `agent_extensions ${source}; no agent has a desk phone yet`)
  const outside = phones.filter((p) => !pattern.value.routes(p.extension))
  if (outside.length === 0) return pass(ID, TITLE, `all ${phones.length} desk phones inside agent_extensions ${source}`)
  const named = outside.map((p) => `${p.extension} ${p.name} (${p.agent})`).join(', ')
  return warn(ID, TITLE, `outside agent_extensions ${source}, so nobody can dial them: ${named}`,
    'Their phones register and queue calls reach them, but dialling their extension gets no route. Give each an extension that matches, or change agent_extensions in vars.xml (then `fs_cli -x reloadxml`).')
}

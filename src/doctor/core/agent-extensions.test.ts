import t from 'tap'
import { err, ok } from '../../shared/index.ts'
import { judgeAgentExtensions, type DeskPhone, type ReadExtensionPattern } from './agent-extensions.ts'

// The real reading is `hotline phones generate`'s (src/cli/phones.ts), injected by the CLI.
const read: ReadExtensionPattern = (source) => {
  try {
    const re = new RegExp(`^(${source})$`)
    return ok({ source, routes: (e: string) => re.test(e) })
  } catch {
    return err(`agent_extensions ${source} is not a regular expression Hotline can read`)
  }
}
const KIT = ok('[2-8][0-9]{3}')
const lin: DeskPhone = { agent: 'lin', name: 'Lin', extension: '2001' }
const mei: DeskPhone = { agent: 'mei', name: 'Mei', extension: '2002' }
const old: DeskPhone = { agent: 'wang', name: 'Wang', extension: '1001' }

t.test('an agent outside agent_extensions is named in a warning, with the pattern', (t) => {
  const c = judgeAgentExtensions([lin, old, mei], KIT, read)
  t.equal(c.status, 'warn')
  t.equal(c.detail, 'outside agent_extensions [2-8][0-9]{3}, so nobody can dial them: 1001 Wang (wang)')
  t.match(c.hint, /agent_extensions in vars\.xml/)
  t.end()
})

t.test('all desk phones inside agent_extensions pass; no desk phones pass too', (t) => {
  t.same(judgeAgentExtensions([lin, mei], KIT, read), { id: 'agent-extensions', title: "Agents' extensions routed by the dialplan", status: 'pass', detail: 'all 2 desk phones inside agent_extensions [2-8][0-9]{3}', hint: '' })
  t.match(judgeAgentExtensions(undefined, KIT, read), { status: 'pass', detail: /no agent has a desk phone/ })
  t.end()
})

t.test('a switch without agent_extensions is not the kit dialplan: a note, nobody named', (t) => {
  for (const body of ['-ERR no reply\n', '']) {
    const c = judgeAgentExtensions([old], ok(body), read)
    t.equal(c.status, 'warn')
    t.match(c.detail, /no global variable agent_extensions: not the kit's dialplan/)
    t.notMatch(c.detail, /1001/)
  }
  t.end()
})

t.test('an unreadable pattern, an -ERR answer or no answer warn and never fail the run', (t) => {
  t.match(judgeAgentExtensions([lin], ok('[2-8'), read), { status: 'warn', detail: /\[2-8 is not a regular expression/ })
  t.match(judgeAgentExtensions([lin], ok('-ERR global_getvar Command not found!\n'), read), { status: 'warn', detail: /global_getvar answered -ERR/, hint: /mod_commands/ })
  t.match(judgeAgentExtensions([lin], err({ message: 'esl-timeout' }), read), { status: 'warn', detail: /no answer from FreeSWITCH: esl-timeout/ })
  t.end()
})

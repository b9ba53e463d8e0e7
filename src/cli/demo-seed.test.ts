import t from 'tap'
import { readFileSync } from 'node:fs'
import { ok } from '../shared/index.ts'
import { DEMO_PHONES } from './demo-seed.ts'
import { loadConfig } from '../app/index.ts'
import { KIT_PHONE_DOMAIN } from '../phones/index.ts'
import { kitSwitch } from '../sim/index.ts'
import { agentExtensionPattern, varsSetting } from './phones.ts'

const read = (p: string): string => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8')
const vars = read('freeswitch-conf/vars.xml')
const setting = (name: string): string | undefined => varsSetting(vars, name)

/** What the kit's dialplan reaches by extension: agent-to-agent in dialplan/agents.xml matches ^($${agent_extensions})$. */
const pattern = agentExtensionPattern(ok(vars))
const kitRoutes = (extension: string): boolean => pattern.ok && pattern.value.routes(extension)

t.test('every desk phone of the demo is an extension the kit dialplan routes', (t) => {
  t.match(read('dialplan/agents.xml'), 'expression="^($${agent_extensions})$"', 'the dialplan routes by agent_extensions')
  t.ok(DEMO_PHONES.length > 0)
  for (const phone of DEMO_PHONES) t.ok(kitRoutes(phone), `${phone} matches agent_extensions`)
  t.same([...new Set(DEMO_PHONES)], DEMO_PHONES, 'one phone per person')
  t.end()
})

t.test("the demo supervisor's desk is the first phone of the kit's safety-net ring group", (t) => {
  t.equal(/^user\/(\d+)@/.exec(setting('hotline_fallback_dialstring') ?? '')?.[1], DEMO_PHONES.at(-1))
  t.end()
})

t.test('the check tells the old 1001-style extensions apart from routed ones', (t) => {
  t.notOk(kitRoutes('1001'), '1001 is outside [2-8][0-9]{3}: the kit would not ring it')
  t.notOk(kitRoutes('20011'))
  t.ok(kitRoutes('2001'))
  t.end()
})

t.test("Hotline's default phones.domain, the kit simulator's domain and vars.xml's domain are one", (t) => {
  const config = loadConfig({ cwd: '/nonexistent', env: {} })
  t.equal(setting('domain'), KIT_PHONE_DOMAIN)
  t.equal(kitSwitch.domain, KIT_PHONE_DOMAIN)
  t.match(config, { ok: true, value: { phones: { domain: KIT_PHONE_DOMAIN } } })
  t.end()
})

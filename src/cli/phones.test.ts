import t from 'tap'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FakeSwitch } from '../esl/fake-switch.test-support.ts'
import { startSimulator } from '../sim/index.ts'
import { closeStore, openStore, readMeta } from '../store/index.ts'
import { runCli } from './run.ts'
import { captured, DB, seedAgents, site } from './site.test-support.ts'

const AGENTS = [
  { id: 'lin', name: 'Lin Wei', sip: '2001' }, { id: 'mei', name: 'Mei <Billing>', sip: '2002' }, { id: 'zhou', name: 'Zhou', pstn: '13800138000' },
]
const OUT = 'conf/directory/agents'
const VARS = '<include>\n  <X-PRE-PROCESS cmd="set" data="domain=pbx.example"/>\n  <X-PRE-PROCESS cmd="set" data="agent_extensions=[2-8][0-9]{3}"/>\n</include>\n'
/** The kit's own vars.xml, so the check is tested against the pattern installers actually get. */
const KIT_VARS = readFileSync(new URL('../../freeswitch-conf/vars.xml', import.meta.url), 'utf8')
const NOT_CHECKED = /note: cannot read agent_extensions from /g

async function storedPassword(dir: string, agent: string): Promise<string | undefined> {
  const store = openStore(DB, dir)
  try {
    return await readMeta(store, `sip-password:${agent}`)
  } finally {
    await closeStore(store)
  }
}

async function generate(dir: string, ...flags: string[]) {
  const c = captured(dir)
  const code = await runCli(['phones', 'generate', '--out', OUT, ...flags], {}, c.io)
  return { code, out: c.out(), err: c.err() }
}

t.test('one directory file per desk phone, with the digest of a stored password and never the password itself', async (t) => {
  const dir = site(t, 'phones:\n  domain: pbx.example\n', { conf: { 'vars.xml': VARS } })
  await seedAgents(dir, AGENTS)
  const r = await generate(dir)
  t.equal(r.code, 0, r.err)
  t.equal(r.err, '', 'no warning: 2001 and 2002 are inside agent_extensions')
  t.same(readdirSync(join(dir, OUT)).sort(), ['2001.xml', '2002.xml'], 'the remote agent (PSTN) gets no phone')
  t.match(r.out, `wrote 2 phone accounts to ${join(dir, OUT)} (domain pbx.example)`)
  t.match(r.out, /reloadxml/)
  const password = await storedPassword(dir, 'lin')
  t.ok(password !== undefined && password.length >= 20, 'a long random password is stored for the agent')
  const xml = readFileSync(join(dir, OUT, '2001.xml'), 'utf8')
  const a1 = createHash('md5').update(`2001:pbx.example:${password}`).digest('hex')
  t.match(xml, `<param name="a1-hash" value="${a1}"/>`, 'the realm is the domain of vars.xml')
  t.match(xml, '<variable name="hotline_agent_id" value="lin"/>')
  t.match(readFileSync(join(dir, OUT, '2002.xml'), 'utf8'), 'Mei &lt;Billing&gt;')
  for (const a of ['lin', 'mei']) {
    const p = await storedPassword(dir, a)
    t.notMatch(r.out + r.err + xml, p!, `${a}'s password is not printed nor written in clear`)
  }
})

t.test('generating again keeps every password and rewrites identical files', async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': VARS } })
  await seedAgents(dir, AGENTS)
  await generate(dir)
  const first = readFileSync(join(dir, OUT, '2001.xml'), 'utf8')
  const password = await storedPassword(dir, 'lin')
  t.equal((await generate(dir)).code, 0)
  t.equal(readFileSync(join(dir, OUT, '2001.xml'), 'utf8'), first)
  t.equal(await storedPassword(dir, 'lin'), password)
})

t.test('--show-passwords prints extension, agent and password for setting up the phones', async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': VARS } })
  await seedAgents(dir, AGENTS)
  const r = await generate(dir, '--show-passwords')
  t.match(r.out, `2001\tlin\t${await storedPassword(dir, 'lin')}\n`)
  t.match(r.out, `2002\tmei\t${await storedPassword(dir, 'mei')}\n`)
})

t.test("an agent removed from Hotline loses the phone file, and the engineer's own files stay", async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': VARS, directory: { agents: { 'README.md': 'hand', 'lab.xml': '<include/>\n' } } } })
  await seedAgents(dir, [AGENTS[0]!])
  await generate(dir, '--domain', 'other.example')
  t.ok(existsSync(join(dir, OUT, '2001.xml')))
  const store = openStore(DB, dir)
  await store('acd_agents').delete()
  await closeStore(store)
  const r = await generate(dir, '--domain', 'other.example')
  t.match(r.out, 'removed 1 of agents no longer in Hotline: 2001.xml')
  t.match(r.out, 'no agent has a desk phone')
  t.same(readdirSync(join(dir, OUT)).sort(), ['README.md', 'lab.xml'])
})

t.test("without --domain and without a vars.xml, the phones go in Hotline's phones.domain", async (t) => {
  const dir = site(t, 'phones:\n  domain: pbx.example.cn\n')
  await seedAgents(dir, [AGENTS[0]!])
  const r = await generate(dir)
  t.equal(r.code, 0, r.err)
  t.match(r.out, '(domain pbx.example.cn)')
  t.notMatch(r.err, /warning/, 'the note that agent_extensions cannot be read, nothing about the domain')
})

t.test("a vars.xml domain only FreeSWITCH can resolve still needs --domain", async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': VARS.replace('domain=pbx.example', 'domain=$${local_ip_v4}') } })
  const r = await generate(dir)
  t.equal(r.code, 2)
  t.match(r.err, /no --domain given and no domain in .*vars\.xml/)
})

t.test("phones written in another domain than the one Hotline dials are warned about, naming both", async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': VARS } })
  await seedAgents(dir, [AGENTS[0]!])
  const r = await generate(dir)
  t.equal(r.code, 0)
  t.match(r.err, /written in domain pbx\.example, but Hotline dials them at phones\.domain hotline\.local.*SUBSCRIBER_ABSENT.*HOTLINE_PHONES_DOMAIN/)
})

t.test('--reload asks FreeSWITCH to reload its XML over the event socket', async (t) => {
  const fs = await FakeSwitch.start('reload-secret')
  t.teardown(() => fs.close())
  const dir = site(t, `esl:\n  port: ${fs.port}\n  password: reload-secret\n`, { conf: { 'vars.xml': VARS } })
  await seedAgents(dir, AGENTS)
  const r = await generate(dir, '--reload')
  t.equal(r.code, 0, r.err)
  t.ok(fs.commands.some((c) => c.line === 'api reloadxml'))
  t.match(r.out, 'FreeSWITCH reloaded its XML')
})

t.test('--reload that FreeSWITCH refuses exits 1 with its answer, the files being written', async (t) => {
  // The simulator knows no reloadxml: it answers like a switch lacking the command.
  const sim = await startSimulator({ password: 'reload-secret' })
  t.teardown(() => sim.close())
  const dir = site(t, `esl:\n  port: ${sim.port}\n  password: reload-secret\n`, { conf: { 'vars.xml': VARS } })
  await seedAgents(dir, AGENTS)
  const r = await generate(dir, '--reload')
  t.equal(r.code, 1)
  t.match(r.err, /files written, but FreeSWITCH did not reload: -ERR reloadxml/)
  t.ok(existsSync(join(dir, OUT, '2001.xml')))
})

t.test('--reload without an ESL password says where to set it', async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': VARS } })
  const r = await generate(dir, '--reload')
  t.equal(r.code, 1)
  t.match(r.err, /no ESL password configured \(esl\.password or HOTLINE_ESL_PASSWORD\)/)
})

t.test("an agent whose extension is outside the kit's agent_extensions is named in a warning, and the files are still written", async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': KIT_VARS } })
  await seedAgents(dir, [{ id: 'lin', name: 'Lin Wei', sip: '1001' }, { id: 'mei', name: 'Mei', sip: '2002' }, { id: 'ops', name: 'Ops desk', sip: '9001' }])
  const r = await generate(dir)
  t.equal(r.code, 0, 'same exit code as without the warning')
  t.same(readdirSync(join(dir, OUT)).sort(), ['1001.xml', '2002.xml', '9001.xml'])
  t.match(r.err, 'warning: these extensions are outside agent_extensions [2-8][0-9]{3}')
  t.match(r.err, '  1001  Lin Wei (lin)\n')
  t.match(r.err, '  9001  Ops desk (ops)\n')
  t.notMatch(r.err, /2002|Mei/, 'an agent in range is not named')
  t.match(r.err, `change agent_extensions in ${join(dir, 'conf', 'vars.xml')}`)
})

t.test('with every extension inside agent_extensions there is no warning', async (t) => {
  const dir = site(t, '', { conf: { 'vars.xml': KIT_VARS } })
  await seedAgents(dir, [{ id: 'lin', name: 'Lin Wei', sip: '2000' }, { id: 'mei', name: 'Mei', sip: '8999' }])
  const r = await generate(dir)
  t.equal(r.code, 0)
  t.equal(r.err, '')
})

t.test('without a readable agent_extensions the command says so once, skips the check and writes the files', async (t) => {
  const cases: Record<string, { files: Record<string, unknown>; why: string | RegExp }> = {
    'no vars.xml': { files: {}, why: '(no such file)' },
    'no setting': { files: { conf: { 'vars.xml': VARS.replace(/.*agent_extensions.*\n/, '') } }, why: '(no agent_extensions set there)' },
    'only commented out': { files: { conf: { 'vars.xml': VARS.replace(/(<X-PRE-PROCESS[^>]*agent_extensions[^>]*>)/, '<!-- $1 -->') } }, why: '(no agent_extensions set there)' },
    'not a regex': { files: { conf: { 'vars.xml': VARS.replace('[2-8][0-9]{3}', '[2-8') } }, why: '(agent_extensions [2-8 is not a regular expression Hotline can read)' },
    'another variable': { files: { conf: { 'vars.xml': VARS.replace('[2-8][0-9]{3}', '$${desk_phones}') } }, why: 'names another variable' },
  }
  for (const [name, c] of Object.entries(cases)) {
    await t.test(name, async (t) => {
      const dir = site(t, 'phones:\n  domain: pbx.example\n', c.files)
      await seedAgents(dir, [{ id: 'lin', name: 'Lin Wei', sip: '1001' }, { id: 'mei', name: 'Mei', sip: '1002' }])
      const r = await generate(dir, '--domain', 'pbx.example')
      t.equal(r.code, 0)
      t.equal(r.err.match(NOT_CHECKED)?.length, 1, 'one note, not one per agent')
      t.match(r.err, `from ${join(dir, 'conf', 'vars.xml')} `)
      t.match(r.err, c.why)
      t.match(r.err, "not checking that the dialplan routes the agents' extensions")
      t.notMatch(r.err, /warning/)
      t.same(readdirSync(join(dir, OUT)).sort(), ['1001.xml', '1002.xml'])
    })
  }
})

// The FreeSWITCH kit (freeswitch-conf/ and dialplan/) checked as FreeSWITCH would read it.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkWellFormed } from './xml-wellformed.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const conf = join(root, 'freeswitch-conf')
const dialplanDir = join(root, 'dialplan')

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? xmlFiles(p) : n.endsWith('.xml') ? [p] : []
  })
}
const files = [...xmlFiles(conf), ...xmlFiles(dialplanDir)]
const read = (p: string): string => readFileSync(p, 'utf8')
const noComments = (s: string): string => s.replace(/<!--[\s\S]*?-->/g, '')
const vars = new Map([...read(join(conf, 'vars.xml')).matchAll(/cmd="set" data="([^=]+)=([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']))
// Variables FreeSWITCH's core sets before it reads the configuration (switch_core.c).
const CORE_VARS = new Set(['local_ip_v4', 'conf_dir', 'sounds_dir', 'log_dir', 'base_dir', 'temp_dir', 'recordings_dir'])
const expand = (s: string): string => s.replace(/\$\$\{([^}]+)\}/g, (_, n: string) => expand(vars.get(n) ?? `<unset ${n}>`))
const param = (file: string, name: string): string | undefined =>
  new RegExp(`<param name="${name}" value="([^"]*)"`).exec(noComments(read(join(conf, file))))?.[1]

t.test('the kit has the files FreeSWITCH needs to start by itself', (t) => {
  for (const f of ['freeswitch.xml', 'vars.xml', 'autoload_configs/modules.conf.xml', 'autoload_configs/switch.conf.xml',
    'autoload_configs/event_socket.conf.xml', 'autoload_configs/sofia.conf.xml', 'sip_profiles/internal.xml', 'sip_profiles/external.xml',
    'directory/default.xml']) t.ok(existsSync(join(conf, f)), f)
  t.ok(files.some((f) => f.startsWith(dialplanDir)), 'dialplan files')
  t.end()
})

t.test('every XML file of the kit is well-formed', (t) => {
  for (const f of files) t.same(checkWellFormed(read(f)), { ok: true, value: undefined }, relative(root, f))
  t.end()
})

const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).error === undefined
const NO_XMLLINT = 'xmllint is not installed (scripts/install-deps.sh installs libxml2-utils)'

/**
 * xmllint's verdict on a file as FreeSWITCH reads it: '' when well-formed, else its messages.
 * Only freeswitch.xml is a document of its own. Every other file is spliced by the preprocessor
 * (X-PRE-PROCESS cmd="include") into the element that includes it, its XML declaration and
 * include-tag lines dropped, so it only has to be well-formed as that element's content: a file
 * such as vars.xml may hold several top-level X-PRE-PROCESS elements. Such a fragment is checked
 * inside a stand-in element, the declaration replaced on its own line so line numbers still match.
 */
function xmllint(text: string, fragment: boolean): string {
  const input = fragment ? `<X-INCLUDED>${text.replace(/^\uFEFF?<\?xml[^>]*\?>/, '')}</X-INCLUDED>` : text
  const r = spawnSync('xmllint', ['--noout', '-'], { input, encoding: 'utf8' })
  return r.status === 0 ? '' : `${r.stderr}`.trim()
}

t.test('xmllint finds every XML file of the kit well-formed, as FreeSWITCH includes it', { skip: HAVE_XMLLINT ? false : NO_XMLLINT }, (t) => {
  for (const f of files) t.equal(xmllint(read(f), f !== join(conf, 'freeswitch.xml')), '', relative(root, f))
  t.end()
})

t.test('the xmllint check accepts a fragment of several elements and rejects broken XML with the line', { skip: HAVE_XMLLINT ? false : NO_XMLLINT }, (t) => {
  const vars = '<?xml version="1.0"?>\n<X-PRE-PROCESS cmd="set" data="a=1"/>\n<X-PRE-PROCESS cmd="set" data="b=2"/>\n'
  t.equal(xmllint(vars, true), '')
  t.not(xmllint(vars, false), '', 'several top-level elements are not a document of their own')
  t.match(xmllint('<include>\n  <param name="x" value="1">\n</include>\n', true), /^-:3: .*mismatch/)
  t.match(xmllint('<include>fish & chips</include>', true), /xmlParseEntityRef/)
  t.end()
})

t.test('the well-formedness check rejects broken XML with the line and the reason', (t) => {
  t.same(checkWellFormed('<a>\n<b></a>'), { ok: false, error: 'line 2: </a> closes <b>' })
  t.same(checkWellFormed('<a x=1/>'), { ok: false, error: 'line 1: <a>: attribute without a quoted value, or a stray character' })
  t.same(checkWellFormed('<a x="1" x="2"/>'), { ok: false, error: 'line 1: attribute x twice on <a>' })
  t.same(checkWellFormed('<a>\n<!-- a -- b -->\n</a>'), { ok: false, error: 'line 2: "--" inside a comment' })
  t.same(checkWellFormed('<a>fish & chips</a>'), { ok: false, error: 'line 1: bare & in text' })
  t.same(checkWellFormed('<a v="x<y"/>'), { ok: false, error: 'line 1: <a>: attribute without a quoted value, or a stray character' })
  t.same(checkWellFormed('<a/><b/>'), { ok: false, error: 'expected one root element, found 2' })
  t.same(checkWellFormed('<a><b>'), { ok: false, error: 'end of file: <b> is never closed' })
  t.same(checkWellFormed('<a v="1 &gt; 0 &amp; 2"/>'), { ok: true, value: undefined })
  t.end()
})

t.test("the files respect FreeSWITCH's line-based preprocessor", (t) => {
  for (const f of files) {
    const text = read(f)
    const name = relative(root, f)
    // A line holding <include> or </include> is dropped whole: nothing else may share it.
    for (const l of text.split('\n')) if (/<\/?include>/.test(l)) t.match(l.trim(), /^<\/?include>$/, `${name}: include tag alone on its line`)
    // The preprocessor obeys its commands even inside comments.
    for (const c of text.match(/<!--[\s\S]*?-->/g) ?? []) t.notMatch(c, /<X-PRE-PROCESS/i, `${name}: no preprocessor command in a comment`)
  }
  t.end()
})

t.test('every file FreeSWITCH would include exists', (t) => {
  for (const f of files) {
    for (const m of noComments(read(f)).matchAll(/cmd="include" data="([^"]+)"/g)) {
      const target = join(dirname(f), expand(m[1] ?? ''))
      const dir = target.endsWith('*.xml') ? dirname(target) : target
      t.ok(existsSync(dir), `${relative(root, f)} includes ${m[1]}`)
      if (!target.endsWith('agents/*.xml') && target.endsWith('*.xml')) t.ok(readdirSync(dir).some((n) => n.endsWith('.xml')), `${m[1]} matches a file`)
    }
  }
  t.end()
})

t.test('every $${variable} used is set in vars.xml or by the core', (t) => {
  for (const f of files) {
    for (const m of noComments(read(f)).matchAll(/\$\$\{([^}]+)\}/g)) t.ok(vars.has(m[1] ?? '') || CORE_VARS.has(m[1] ?? ''), `${relative(root, f)}: ${m[1]}`)
  }
  t.end()
})

t.test('the event socket listens on loopback only, behind the loopback ACL', (t) => {
  t.equal(param('autoload_configs/event_socket.conf.xml', 'listen-ip'), '127.0.0.1')
  t.equal(param('autoload_configs/event_socket.conf.xml', 'apply-inbound-acl'), 'loopback.auto')
  t.end()
})

t.test('the ESL password comes from vars.xml and is not the stock ClueCon', (t) => {
  t.equal(param('autoload_configs/event_socket.conf.xml', 'password'), '$${hotline_esl_password}')
  const pw = vars.get('hotline_esl_password') ?? ''
  t.not(pw.toLowerCase(), 'cluecon')
  t.match(pw, /^change-me/, 'a placeholder the doctor recognises until the engineer sets it')
  t.end()
})

t.test('modules.conf.xml loads exactly the standard modules Hotline uses', (t) => {
  const loaded = [...noComments(read(join(conf, 'autoload_configs/modules.conf.xml'))).matchAll(/<load module="([^"]+)"/g)].map((m) => m[1])
  t.same(loaded.slice().sort(), ['mod_console', 'mod_db', 'mod_dialplan_xml', 'mod_dptools', 'mod_event_socket', 'mod_expr', 'mod_hash',
    'mod_local_stream', 'mod_logfile', 'mod_loopback', 'mod_native_file', 'mod_say_en', 'mod_say_zh', 'mod_sndfile', 'mod_sofia',
    'mod_spandsp', 'mod_tone_stream', 'mod_xml_cdr', 'mod_commands'].sort())
  t.end()
})

const allText = files.map((f) => noComments(read(f))).join('\n')
const gateways = new Set([...allText.matchAll(/<gateway name="([^"]+)"/g)].map((m) => m[1]))
const contexts = new Set([...allText.matchAll(/<context name="([^"]+)"/g)].map((m) => m[1]))

t.test('every gateway the dialplan dials exists in the external profile', (t) => {
  const used = [...allText.matchAll(/sofia\/gateway\/([\w-]+)\//g)].map((m) => m[1])
  t.ok(used.length > 0)
  for (const g of used) t.ok(gateways.has(g), `gateway ${g}`)
  t.end()
})

t.test('every context a profile or a transfer names exists', (t) => {
  const named = [...allText.matchAll(/name="context" value="([^"]+)"/g), ...allText.matchAll(/"user_context" value="([^"]+)"/g),
    ...allText.matchAll(/data="\S+ XML ([\w-]+)"/g)].map((m) => m[1])
  for (const c of named) t.ok(contexts.has(c), `context ${c}`)
  t.end()
})

function didPattern(extension: string): RegExp {
  const m = new RegExp(`<extension name="${extension}">\\s*<condition field="destination_number" expression="([^"]+)"`).exec(read(join(dialplanDir, 'trunk-inbound.xml')))
  return new RegExp(expand(m?.[1] ?? '^$'))
}

t.test('the main DID matches bare, with area code and in E.164, capturing the DID', (t) => {
  const re = didPattern('did-main')
  for (const n of ['96200', '02596200', '2596200', '+862596200', '00862596200']) t.equal(re.exec(n)?.[1], '96200', n)
  for (const n of ['96201', '962000', '1096200', '02196200', '+8596200', '']) t.notOk(re.test(n), `not ${n}`)
  t.end()
})

t.test('the fax DID is its own number and only it', (t) => {
  t.equal(didPattern('did-fax').exec('02596300')?.[1], '96300')
  t.notOk(didPattern('did-fax').test('96200'))
  t.notOk(didPattern('did-main').test('96300'))
  t.end()
})

t.test('fax calls are flagged and every DID sets what Hotline routes on before the gate', (t) => {
  const inbound = read(join(dialplanDir, 'trunk-inbound.xml'))
  for (const ext of inbound.split('<extension').filter((e) => /name="did-/.test(e))) {
    for (const v of ['hotline_did=', 'hotline_entry=', 'hotline_region=']) t.match(ext, v)
    t.match(ext, /application="transfer" data="\w+ XML hotline-gate"/)
  }
  t.match(inbound, /name="did-fax">[\s\S]*hotline_fax=true[\s\S]*fax_enable_t38=true/)
  t.end()
})

t.test('the gate sets presence_data before park and sends calls to the safety net otherwise', (t) => {
  const gate = noComments(read(join(dialplanDir, 'hotline-gate.xml')))
  t.ok(gate.indexOf('presence_data=hotline_entry=') < gate.indexOf('application="park"'))
  t.match(gate, /db\(select\/hotline\/alive\)/)
  t.match(gate, /anti-action application="transfer" data="\$\{destination_number\} XML hotline-fallback"/)
  t.end()
})

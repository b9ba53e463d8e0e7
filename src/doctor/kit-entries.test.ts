// The kit (freeswitch-conf/vars.xml, dialplan/trunk-inbound.xml) and the IVR (ivr-scripts/) read
// together: every voice number the switch hands to Hotline must start a flow, or its callers overflow.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseFlowSet, readFlowFiles, readSoundCatalog, startSession, type FlowSet } from '../ivr/index.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (p: string): string => readFileSync(join(root, p), 'utf8')
const noComments = (s: string): string => s.replace(/<!--[\s\S]*?-->/g, '')

const vars = new Map([...read('freeswitch-conf/vars.xml').matchAll(/cmd="set" data="([^=]+)=([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']))

/**
 * The vars.xml names of the DIDs whose calls go to the IVR: the trunk extensions that set
 * hotline_entry to the dialled number ($1). The fax DID sets hotline_entry=fax and is answered
 * by the fax service, never by a flow.
 */
function voiceDidVars(dialplan: string): string[] {
  return noComments(dialplan).split('<extension').slice(1).flatMap((ext) => {
    if (!ext.includes('data="hotline_entry=$1"')) return []
    const did = /expression="[^"]*\$\$\{(did_\w+)\}\)\$"/.exec(ext)?.[1]
    return did === undefined ? [] : [did]
  })
}

/** Each voice DID, with the reason a call to it would not start a flow ('' when it would). */
function unrouted(didVars: readonly string[], values: ReadonlyMap<string, string>, flows: FlowSet): string[] {
  return didVars.flatMap((name) => {
    const did = values.get(name)
    if (did === undefined) return [`${name}: not set in vars.xml`]
    const s = startSession(flows, did, '13800000001', 0)
    return s.ok ? [] : [`${name}=${did}: ${s.error.message} in ivr-scripts/ (add it under entries:)`]
  })
}

let flows: FlowSet
t.before(async () => {
  const r = parseFlowSet(await readFlowFiles(join(root, 'ivr-scripts')), await readSoundCatalog(join(root, 'sounds')), 1)
  if (!r.ok) throw new Error(`ivr-scripts/ does not load: ${r.error.map((e) => `${e.file}: ${e.message}`).join('; ')}`)
  flows = r.value
})

t.test('the voice DIDs of the kit are did_main and did_second; the fax DID is not one', (t) => {
  t.same(voiceDidVars(read('dialplan/trunk-inbound.xml')), ['did_main', 'did_second'])
  t.end()
})

t.test('every voice DID the kit defines starts a flow in ivr-scripts', (t) => {
  t.same(unrouted(voiceDidVars(read('dialplan/trunk-inbound.xml')), vars, flows), [])
  t.end()
})

t.test('the second number runs the main hotline in Mandarin, like the first', (t) => {
  t.same(flows.entries.get(vars.get('did_second') ?? ''), flows.entries.get(vars.get('did_main') ?? ''))
  t.same(flows.entries.get('96296'), { flow: 'main', lang: 'zh' })
  t.end()
})

t.test('a voice DID without an entry, or not set in vars.xml, is reported by name and number', (t) => {
  const onlyMain: FlowSet = { ...flows, entries: new Map([...flows.entries].filter(([n]) => n === '96200')) }
  t.same(unrouted(['did_main', 'did_second'], vars, onlyMain), ['did_second=96296: no flow for entry 96296 in ivr-scripts/ (add it under entries:)'])
  t.same(unrouted(['did_third'], vars, flows), ['did_third: not set in vars.xml'])
  t.end()
})

t.test('a DID extension that routes to a fixed entry name is not taken for a voice DID', (t) => {
  const dialplan = '<extension name="did-x"><condition field="destination_number" expression="^($${did_x})$">' +
    '<action application="set" data="hotline_entry=fax"/></condition></extension>' +
    '<!-- <extension name="old"><condition expression="^($${did_old})$"><action data="hotline_entry=$1"/> -->'
  t.same(voiceDidVars(dialplan), [])
  t.end()
})

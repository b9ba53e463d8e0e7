import t from 'tap'
import { createHash } from 'node:crypto'
import { checkWellFormed } from '../doctor/index.ts'
import { renderDirectory } from './index.ts'

const lin = { extension: '2001', displayName: 'Lin Wei', sipPassword: 's3cret', agentId: 'lin' }

t.test('each agent becomes a directory user with the digest a1-hash, never the password', (t) => {
  const xml = renderDirectory([lin], 'hotline.local')
  t.match(xml, '<user id="2001">')
  t.match(xml, `<param name="a1-hash" value="${createHash('md5').update('2001:hotline.local:s3cret').digest('hex')}"/>`)
  t.notMatch(xml, 's3cret')
  t.match(xml, '<variable name="hotline_agent_id" value="lin"/>')
  t.end()
})

t.test('names with XML characters are escaped and the file stays well-formed', (t) => {
  const xml = renderDirectory([{ ...lin, displayName: 'R&D <"night">' }, { ...lin, extension: '2000', agentId: 'mei' }], 'hotline.local')
  t.match(xml, 'value="R&amp;D &lt;&quot;night&quot;&gt;"')
  t.same(checkWellFormed(xml), { ok: true, value: undefined })
  t.ok(xml.indexOf('id="2000"') < xml.indexOf('id="2001"'), 'sorted by extension, so a regeneration diff shows only real changes')
  t.end()
})

t.test('no agents gives an empty, valid include file', (t) => {
  const xml = renderDirectory([], 'hotline.local')
  t.same(checkWellFormed(xml), { ok: true, value: undefined })
  t.notMatch(xml, '<user')
  t.end()
})

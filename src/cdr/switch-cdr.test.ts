import t from 'tap'
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closingOf, LAST_SEEN_CAUSE, parseSwitchCdr } from './switch-cdr.ts'
import { SwitchCdrFiles, sweepUnclosed } from './cdr-sweep.ts'
import type { Cdr } from './cdr.ts'

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'xml-cdr')
const UUID = '0b7d3e52-1f7a-4f3e-9d1c-5b6f0e2a9c11'
const fixture = readFileSync(join(FIXTURES, `a_${UUID}.cdr.xml`), 'utf8')
const quiet = { info: () => undefined, warn: () => undefined }

t.test("mod_xml_cdr's file gives the switch's end time (ms, from end_uepoch), cause and call id", (t) => {
  t.same(parseSwitchCdr(fixture), { ok: true, value: { uuid: UUID, endedAt: 1796450461988, hangupCause: 'NORMAL_CLEARING', callId: UUID } })
  const secondsOnly = fixture.replace(/<end_uepoch>.*<\/end_uepoch>/, '')
  t.match(parseSwitchCdr(secondsOnly), { ok: true, value: { endedAt: 1796450461000 } }, 'end_epoch when there are no microseconds')
  t.same(parseSwitchCdr(fixture.replace(/<end_[a-z]*epoch>[^<]*<\/end_[a-z]*epoch>/g, '')), { ok: false, reason: 'no end_uepoch or end_epoch' })
  t.same(parseSwitchCdr('<cdr></cdr>'), { ok: false, reason: 'no <variables> section' })
  t.same(parseSwitchCdr('not xml at all'), { ok: false, reason: 'no <variables> section' })
  t.match(parseSwitchCdr(fixture.replace('<hangup_cause>NORMAL_CLEARING</hangup_cause>', '')), { ok: true, value: { hangupCause: 'UNKNOWN' } })
  t.end()
})

t.test('a call gone while Hotline was away closes at the switch time, or else when it was last seen', (t) => {
  const row = { callId: 'c1', arrivedAt: 1000, ivrEndedAt: 5000, queuedAt: 5200 }
  t.same(closingOf(row, { uuid: 'c1', callId: 'c1', endedAt: 9000, hangupCause: 'NORMAL_CLEARING' }), { endedAt: 9000, hangupCause: 'NORMAL_CLEARING', from: 'switch' })
  t.same(closingOf(row, undefined), { endedAt: 5200, hangupCause: LAST_SEEN_CAUSE, from: 'last-seen' })
  t.same(closingOf({ callId: 'c2', arrivedAt: 1000 }, { uuid: 'c2', callId: 'c2', endedAt: 500, hangupCause: 'X' }).endedAt, 1000, 'never before it arrived (a clock step)')
  t.end()
})

t.test('the sweep closes the rows of calls not up any more, from the files, and leaves the live ones', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'xml-cdr-'))
  cpSync(join(FIXTURES, `a_${UUID}.cdr.xml`), join(dir, `a_${UUID}.cdr.xml`))
  writeFileSync(join(dir, 'a_broken.cdr.xml'), '<cdr><variables><uuid>broken</uuid></variables></cdr>')
  const rows: Cdr[] = [
    { callId: UUID, entry: '96200', did: '96200', region: undefined, callerNumber: '1', callerName: '1', arrivedAt: 1796450400123 },
    { callId: 'live', entry: '96200', did: '96200', region: undefined, callerNumber: '2', callerName: '2', arrivedAt: 1 },
    { callId: 'broken', entry: '96200', did: '96200', region: undefined, callerNumber: '3', callerName: '3', arrivedAt: 7, queuedAt: 70 },
  ]
  const closed: Array<[string, unknown]> = []
  const store = { unclosed: () => Promise.resolve(rows), close: (id: string, c: unknown) => (closed.push([id, c]), Promise.resolve(true)) }
  const warned: object[] = []
  const files = new SwitchCdrFiles(dir, { ...quiet, warn: (o) => void warned.push(o) })
  t.same(await sweepUnclosed(store, new Set(['live']), files, quiet), { closed: 2, fromSwitch: 1 })
  t.same(closed, [[UUID, { endedAt: 1796450461988, hangupCause: 'NORMAL_CLEARING' }], ['broken', { endedAt: 70, hangupCause: LAST_SEEN_CAUSE }]])
  t.match(warned, [{ file: 'a_broken.cdr.xml', reason: 'no end_uepoch or end_epoch' }], 'an unreadable file is named in the log')
  t.equal(await new SwitchCdrFiles(dir, quiet).lookup('../etc/passwd'), undefined, 'a call id is never a path')
  t.equal(await new SwitchCdrFiles(undefined, quiet).lookup(UUID), undefined, 'no folder configured: nothing to read')
})

import t from 'tap'
import { readFileSync } from 'node:fs'
import { channelUuid } from '../../shared/index.ts'
import { bridgedPairs, channelRows, emptyCalls, parseRecovery, recoveryExpression, recoveryFacts, track, RECOVERED_VARS, type CallEvent, type ChannelFact } from './index.ts'

const captures = new URL('../../../test/fixtures/esl-captures/', import.meta.url)

/** The api/response bodies of a capture, in order. */
function apiBodies(file: string): string[] {
  const text = readFileSync(new URL(file, captures)).toString('latin1')
  const out: string[] = []
  const re = /Content-Type: api\/response\nContent-Length: (\d+)\n\n/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(Buffer.from(text.slice(re.lastIndex, re.lastIndex + Number(m[1])), 'latin1').toString('utf8'))
    re.lastIndex += Number(m[1])
  }
  return out
}

t.test('show channels and bridged_calls from the real reconnect capture are read', (t) => {
  const bodies = apiBodies('16-controller-reconnect.esl')
  const rows = channelRows(bodies[1]!)
  if (typeof rows === 'string') return t.fail(rows)
  t.equal(rows.length, 8, 'eight live channels after the controller restart')
  t.ok(rows.some((r) => r.name === 'loopback/96200-b'))
  const pairs = bridgedPairs(bodies[4]!)
  if (typeof pairs === 'string') return t.fail(pairs)
  t.equal(pairs.length, 1, 'one bridged pair')
  t.end()
})

t.test('an empty show is no rows, and garbage is an error message, not an exception', (t) => {
  t.same(channelRows('{"row_count": 0}\n'), [])
  t.type(channelRows('-ERR no reply'), 'string')
  t.end()
})

t.test('the recovery expression asks for every variable with the variable_ prefix', (t) => {
  const expr = recoveryExpression()
  for (const v of RECOVERED_VARS) t.match(expr, `\${variable_${v}}`)
  t.end()
})

const row = (uuid: string) => ({ uuid: channelUuid(uuid), name: '', state: 'CS_EXECUTE' })
const evalLine = (vars: Partial<Record<(typeof RECOVERED_VARS)[number], string>>, answer: string, name: string) =>
  [...RECOVERED_VARS.map((v) => vars[v] ?? ''), answer, name, '13800000031', 'Caller0031', '96200'].join('|')

t.test('a waiting caller and a bridged caller with its agent are rebuilt as calls after a restart', (t) => {
  const waiting = parseRecovery(row('w1'), evalLine({ hotline_entry: '96200', hotline_call_id: 'c1', hotline_queue: 'general' }, 'answered', 'loopback/96200-b'))!
  const talking = parseRecovery(row('t1'), evalLine({ hotline_entry: '96200', hotline_call_id: 'c2' }, 'answered', 'loopback/96200-b'))!
  const agentLeg = parseRecovery(row('a1'), evalLine({ hotline_offer_id: 'o2', hotline_call_id: 'c2' }, 'answered', 'sofia/internal/1005'))!
  const ringing = parseRecovery(row('r1'), evalLine({ hotline_offer_id: 'o3', hotline_call_id: 'c1' }, 'ringing', 'sofia/internal/1004'))!
  const stranger = parseRecovery(row('x1'), evalLine({}, 'answered', 'loopback/96200-a'))!
  t.equal(parseRecovery(row('gone'), '-ERR no such channel\n'), undefined)
  const facts: ChannelFact[] = recoveryFacts([agentLeg, ringing, waiting, talking, stranger], [[channelUuid('t1'), channelUuid('a1')]])
  let s = emptyCalls()
  const events: CallEvent[] = []
  for (const f of facts) {
    const r = track(s, f, 0)
    s = r.state
    events.push(...r.events)
  }
  t.same(events.filter((e) => e.type === 'call-arrived').map((e) => e.type === 'call-arrived' && [e.call.id, e.recovered]), [['c1', true], ['c2', true]])
  t.ok(events.some((e) => e.type === 'call-bridged' && e.callId === 'c2' && e.agentLeg === 'a1'))
  t.equal(s.legs.get(channelUuid('r1'))?.parked, false, 'a ringing offer is not taken for a parked agent')
  t.notOk(s.legs.has(channelUuid('x1')), 'a channel that is not ours is left alone')
  t.end()
})

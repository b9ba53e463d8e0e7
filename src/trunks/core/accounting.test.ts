import t from 'tap'
import type { ChannelFact, TrunkEvent, TrunkPlan, TrunkState } from './index.ts'
import { chooseTrunk, recordChannel, trunkState, trunkUsage } from './index.ts'

// Builders: a site with two E1 spans (one gateway each) and a 10-channel SIP carrier.
const site = (over: Partial<TrunkPlan> = {}): TrunkPlan => ({
  trunks: [
    { kind: 'e1', name: 'e1-span-1', spans: ['span-1'] },
    { kind: 'e1', name: 'e1-span-2', spans: ['span-2'] },
    { kind: 'sip', name: 'carrier', channels: 10 },
  ],
  outboundOrder: ['e1-span-1', 'e1-span-2', 'carrier'],
  ...over,
})
const created = (uuid: string, trunk: string, span?: string): ChannelFact =>
  span === undefined ? { kind: 'channel-created', uuid, trunk } : { kind: 'channel-created', uuid, trunk, span }
const ended = (uuid: string): ChannelFact => ({ kind: 'channel-ended', uuid })

function feed(state: TrunkState, facts: ChannelFact[]): { state: TrunkState; events: TrunkEvent[] } {
  const events: TrunkEvent[] = []
  for (const f of facts) {
    const r = recordChannel(state, f)
    state = r.state
    events.push(...r.events)
  }
  return { state, events }
}
const fill = (trunk: string, n: number, from = 0): ChannelFact[] =>
  Array.from({ length: n }, (_, i) => created(`${trunk}-${from + i}`, trunk))

t.test('an E1 span holds 30 channels and a two-span gateway 60', (t) => {
  const plan: TrunkPlan = { trunks: [{ kind: 'e1', name: 'gw', spans: ['a', 'b'] }], outboundOrder: ['gw'] }
  const { state } = feed(trunkState(plan), [created('x', 'gw', 'a'), created('y', 'gw', 'b'), created('z', 'gw', 'b')])
  t.same(trunkUsage(state), [{ trunk: 'gw', inUse: 3, capacity: 60, spans: [{ span: 'a', inUse: 1, capacity: 30 }, { span: 'b', inUse: 2, capacity: 30 }] }])
  t.end()
})

t.test('a channel on a one-span E1 trunk counts on that span without naming it', (t) => {
  const { state } = feed(trunkState(site()), [created('x', 'e1-span-1')])
  t.same(trunkUsage(state)[0]?.spans, [{ span: 'span-1', inUse: 1, capacity: 30 }])
  t.end()
})

t.test('the 24th channel of a 30-channel span warns once that the trunk is nearly full', (t) => {
  const first = feed(trunkState(site()), fill('e1-span-1', 23))
  t.same(first.events, [])
  const at80 = feed(first.state, fill('e1-span-1', 2, 23))
  t.same(at80.events, [{ kind: 'trunk-nearly-full', trunk: 'e1-span-1', inUse: 24, capacity: 30 }])
  t.end()
})

t.test('a nearly full trunk reports once when it falls back below 80 %', (t) => {
  const busy = feed(trunkState(site()), fill('e1-span-1', 24)).state
  const r = feed(busy, [ended('e1-span-1-0'), ended('e1-span-1-1')])
  t.same(r.events, [{ kind: 'trunk-load-normal', trunk: 'e1-span-1', inUse: 23, capacity: 30 }])
  t.end()
})

t.test('the same channel reported twice (originate, then CHANNEL_CREATE) occupies one seat', (t) => {
  const { state } = feed(trunkState(site()), [created('cb-1', 'carrier'), created('cb-1', 'carrier')])
  t.equal(trunkUsage(state)[2]?.inUse, 1)
  t.end()
})

t.test('the end of a channel Hotline never counted changes nothing', (t) => {
  const s = trunkState(site())
  t.equal(recordChannel(s, ended('stranger')).state, s)
  t.end()
})

t.test('a channel on a trunk the plan does not know is reported and not counted', (t) => {
  const r = recordChannel(trunkState(site()), created('x', 'mystery'))
  t.same(r.events, [{ kind: 'channel-on-unknown-trunk', uuid: 'x', trunk: 'mystery' }])
  t.equal(r.state.channels.size, 0)
  t.end()
})

t.test('a callback takes the first trunk in the configured order that has room', (t) => {
  const s = feed(trunkState(site()), fill('e1-span-1', 30)).state
  t.same(chooseTrunk(s, 'callback'), { kind: 'use-trunk', trunk: 'e1-span-2' })
  t.same(chooseTrunk(trunkState(site()), 'callback'), { kind: 'use-trunk', trunk: 'e1-span-1' })
  t.end()
})

t.test('outbound work is held, not failed, when every trunk is full', (t) => {
  const s = feed(trunkState(site()), [...fill('e1-span-1', 30), ...fill('e1-span-2', 30), ...fill('carrier', 10)]).state
  t.same(chooseTrunk(s, 'remote-agent'), { kind: 'hold', reason: 'all-trunks-full' })
  const oneFreed = recordChannel(s, ended('carrier-3')).state
  t.same(chooseTrunk(oneFreed, 'remote-agent'), { kind: 'use-trunk', trunk: 'carrier' })
  t.end()
})

t.test('a fax follows its own trunk order when one is configured', (t) => {
  const s = trunkState(site({ outboundOrderFor: { fax: ['e1-span-2', 'e1-span-1'] } }))
  t.same(chooseTrunk(s, 'fax'), { kind: 'use-trunk', trunk: 'e1-span-2' })
  t.same(chooseTrunk(s, 'callback'), { kind: 'use-trunk', trunk: 'e1-span-1' })
  t.end()
})

t.test('outbound work leaves the channels kept for callers ringing in', (t) => {
  const plan = site({ trunks: [{ kind: 'sip', name: 'carrier', channels: 10 }], outboundOrder: ['carrier'], keepFreeForInbound: 2 })
  const s = feed(trunkState(plan), fill('carrier', 8)).state
  t.same(chooseTrunk(s, 'callback'), { kind: 'hold', reason: 'all-trunks-full' })
  t.same(chooseTrunk(recordChannel(s, ended('carrier-0')).state, 'callback'), { kind: 'use-trunk', trunk: 'carrier' })
  t.end()
})

t.test('a trunk named in the order but missing from the plan is skipped', (t) => {
  const s = trunkState(site({ outboundOrder: ['gone', 'carrier'] }))
  t.same(chooseTrunk(s, 'callback'), { kind: 'use-trunk', trunk: 'carrier' })
  t.end()
})

import t from 'tap'
import { agentId, callId, offerId, queueId } from '../../shared/index.ts'
import { advancePop, buildPop, withEnrichment, type CallFacts, type Enrichment } from './pop.ts'
import { decidePop, emptyBoard, type AgentStateView, type PopBoard, type PopInput } from './board.ts'

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0)
const offer = (o: string, agent = 'mei', call = 'c1', tier?: 'gold') => ({ offer: offerId(o), call: callId(call), agent: agentId(agent), queue: queueId('repair'), tier })
const facts = (extra: Partial<CallFacts> = {}): CallFacts => ({
  caller: '13800000051', did: '96200', region: 'gulou', arrivedAt: T0 - 60_000, queuedAt: T0 - 20_000,
  ivrPath: ['main/welcome', 'main/menu', 'repair/account'], facts: { account: '100200300', menu: '2', work_order: 'WO-20261102-0007' }, ...extra,
})
const found: Enrichment = {
  kind: 'found',
  customer: { account: '100200300', name: '王芳', phones: ['13800000051'], address: '鼓楼区中山路1号', area: 'gulou', tier: 'gold', services: ['dtv'], balanceFen: 1200, arrearsFen: 0, status: 'active' },
  recentContacts: [{ at: T0 - 86_400_000, channel: 'call', direction: 'inbound', summary: 'no signal' }],
  openWorkOrders: [{ id: 7, reference: 'WO-20261102-0007', type: 'repair', status: 'new', summary: 'no signal', dueAt: T0 + 3_600_000 }],
}

t.test('a pop carries the caller, DID, region, queue, wait, IVR path and every IVR fact', (t) => {
  const p = buildPop(offer('c1/1'), facts(), found, T0)
  t.match(p, { call: 'c1', offer: 'c1/1', agent: 'mei', queue: 'repair', caller: '13800000051', did: '96200', region: 'gulou', waitedMs: 20_000, account: '100200300', status: 'offered', offeredAt: T0 })
  t.same(p.ivrPath, ['main/welcome', 'main/menu', 'repair/account'])
  t.same(p.facts, { account: '100200300', menu: '2', work_order: 'WO-20261102-0007' })
  t.equal(p.workOrderCreated, 'WO-20261102-0007')
  t.equal(p.customer.kind === 'found' && p.customer.openWorkOrders.length, 1)
  t.end()
})

t.test('without a known customer the pop still shows the caller and the account the IVR collected', (t) => {
  const p = buildPop(offer('c1/1'), facts(), { kind: 'not-found' }, T0)
  t.equal(p.account, '100200300')
  t.equal(p.customer.kind, 'not-found')
  t.equal(p.tier, 'standard')
  t.end()
})

t.test('a call the tracker no longer knows still pops, with the wait counted from the offer', (t) => {
  const p = buildPop(offer('c1/1'), undefined, { kind: 'pending' }, T0)
  t.match(p, { caller: '', waitedMs: 0, account: undefined, ivrPath: [] })
  t.end()
})

t.test('the tier the ACD queued with wins over the IVR fact and the customer record', (t) => {
  t.equal(buildPop(offer('c1/1', 'mei', 'c1', 'gold'), facts({ facts: { tier: 'silver' } }), { kind: 'not-found' }, T0).tier, 'gold')
  t.equal(buildPop(offer('c1/1'), facts({ facts: { tier: 'silver' } }), found, T0).tier, 'silver')
  t.equal(buildPop(offer('c1/1'), facts({ facts: {} }), found, T0).tier, 'gold')
  t.end()
})

t.test('a late customer lookup fills the pop and supplies the account when the IVR collected none', (t) => {
  const p = withEnrichment(buildPop(offer('c1/1'), facts({ facts: {} }), { kind: 'pending' }, T0), found)
  t.match(p, { account: '100200300', tier: 'gold', customer: { kind: 'found' } })
  t.end()
})

t.test('a pop never moves backwards, and an answered call is not cancelled', (t) => {
  const p = buildPop(offer('c1/1'), facts(), found, T0)
  const answered = advancePop(advancePop(p, 'ringing', T0 + 1), 'answered', T0 + 2)
  t.equal(advancePop(answered, 'ringing', T0 + 3), answered)
  t.equal(advancePop(answered, 'cancelled', T0 + 3, 'caller-hung-up'), answered)
  t.equal(advancePop(p, 'cancelled', T0 + 3, 'ring-timeout').cancelReason, 'ring-timeout')
  t.end()
})

const state = (agent: string, kind: string, extra: Partial<AgentStateView['activity']> = {}): AgentStateView =>
  ({ agent: agentId(agent), presence: { kind: 'ready', since: T0 }, activity: { kind, ...extra }, registered: true })

function run(inputs: PopInput[], board: PopBoard = emptyBoard) {
  const pushes = []
  for (const i of inputs) {
    const r = decidePop(board, i, T0)
    board = r.board
    pushes.push(...r.pushes)
  }
  return { board, pushes }
}

t.test('the pop goes out before the ringing state, though the ACD tells ringing first', (t) => {
  const { pushes, board } = run([
    { kind: 'agent-state', state: state('mei', 'ringing', { offer: offerId('c1/1'), call: callId('c1') }) },
    { kind: 'offered', offer: offer('c1/1'), call: facts(), customer: found },
  ])
  t.same(pushes.map((p) => `${p.kind}${p.kind === 'agent-state' ? ':' + p.state.activity.kind : ':' + p.pop.status}`), ['pop:offered', 'agent-state:ringing', 'pop-updated:ringing'])
  t.equal(board.pops.get(agentId('mei'))?.status, 'ringing')
  t.end()
})

t.test('a held state is flushed at the end of the turn even if no offer followed', (t) => {
  const { pushes } = run([{ kind: 'agent-state', state: state('mei', 'ringing', { offer: offerId('x/1') }) }, { kind: 'flush' }])
  t.same(pushes.map((p) => p.kind), ['agent-state'])
  t.end()
})

t.test('answer, wrap-up and idle: updated, kept through wrap-up, then no longer replayed', (t) => {
  const offered = run([{ kind: 'offered', offer: offer('c1/1'), call: facts(), customer: found }])
  const after = run([
    { kind: 'answered', call: callId('c1'), agent: agentId('mei') },
    { kind: 'agent-state', state: state('mei', 'on-call', { call: callId('c1') }) },
    { kind: 'agent-state', state: state('mei', 'wrap-up', { call: callId('c1') }) },
  ], offered.board)
  t.same(after.pushes.filter((p) => p.kind === 'pop-updated').map((p) => p.kind === 'pop-updated' && p.pop.status), ['answered', 'ended'])
  t.equal(after.board.pops.get(agentId('mei'))?.status, 'ended')
  const idle = run([{ kind: 'agent-state', state: state('mei', 'idle') }], after.board)
  t.equal(idle.board.pops.get(agentId('mei')), undefined)
  t.end()
})

t.test('a cancelled offer tells the console why and is not replayed; another agent\'s offer is untouched', (t) => {
  const two = run([
    { kind: 'offered', offer: offer('c1/1', 'mei'), call: facts(), customer: found },
    { kind: 'offered', offer: offer('c1/2', 'lin'), call: facts(), customer: found },
    { kind: 'offer-ended', offer: offerId('c1/1'), agent: agentId('mei'), reason: 'answered-elsewhere' },
  ])
  const last = two.pushes.at(-1)
  t.match(last, { kind: 'pop-updated', agent: 'mei', pop: { status: 'cancelled', cancelReason: 'answered-elsewhere' } })
  t.equal(two.board.pops.has(agentId('mei')), false)
  t.equal(two.board.pops.get(agentId('lin'))?.status, 'offered')
  t.end()
})

t.test('an enrichment updates every agent holding a pop for that call', (t) => {
  const r = run([
    { kind: 'offered', offer: offer('c1/1', 'mei'), call: facts(), customer: { kind: 'pending' } },
    { kind: 'offered', offer: offer('c1/2', 'lin'), call: facts(), customer: { kind: 'pending' } },
    { kind: 'enriched', call: callId('c1'), customer: found },
  ])
  t.same(r.pushes.slice(2).map((p) => p.kind === 'pop-updated' && [p.agent, p.pop.customer.kind]), [['mei', 'found'], ['lin', 'found']])
  t.end()
})

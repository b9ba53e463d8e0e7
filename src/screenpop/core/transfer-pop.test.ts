import t from 'tap'
import { agentId, callId, offerId, queueId } from '../../shared/index.ts'
import type { CallFacts, Enrichment, TransferFacts } from './pop.ts'
import { decidePop, emptyBoard, type AgentStateView, type PopBoard, type PopInput } from './board.ts'

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0)
const facts: CallFacts = { caller: '13800000051', did: '96200', region: 'gulou', arrivedAt: T0 - 60_000, queuedAt: T0 - 20_000, ivrPath: ['main/menu'], facts: { account: '100200300', menu: '2' } }
const found: Enrichment = {
  kind: 'found',
  customer: { account: '100200300', name: '王芳', phones: ['13800000051'], address: '中山路1号', area: 'gulou', tier: 'gold', services: ['dtv'], balanceFen: 0, arrearsFen: 0, status: 'active' },
  recentContacts: [], openWorkOrders: [],
}
const transfer = (how: 'blind' | 'consulted', from = 'lin', to = 'mei'): TransferFacts => ({ call: callId('c1'), from: agentId(from), to: agentId(to), queue: queueId('repair'), how, tier: undefined })
const state = (agent: string, kind: string, call?: string): AgentStateView =>
  ({ agent: agentId(agent), presence: { kind: 'ready', since: T0 }, activity: { kind, ...(call ? { call: callId(call) } : {}) }, registered: true })

function run(inputs: readonly (readonly [PopInput, number])[], board: PopBoard = emptyBoard) {
  const pushes = []
  for (const [i, at] of inputs) {
    const r = decidePop(board, i, at)
    board = r.board
    pushes.push(...r.pushes)
  }
  return { board, pushes }
}

/** Lin answered c1 (a gold caller who waited 20 s) and is now talking. */
const linTalking = () => run([
  [{ kind: 'offered', offer: { offer: offerId('c1/1'), call: callId('c1'), agent: agentId('lin'), queue: queueId('repair'), tier: 'gold' }, call: facts, customer: found }, T0],
  [{ kind: 'answered', call: callId('c1'), agent: agentId('lin') }, T0 + 2000],
]).board

t.test('the agent a call is handed to gets a pop with the caller, account, customer and the first agent\'s tier and wait', (t) => {
  const r = run([[{ kind: 'transferred', transfer: transfer('blind'), call: facts, customer: { kind: 'pending' }, note: undefined }, T0 + 90_000]], linTalking())
  t.equal(r.pushes.length, 1)
  t.match(r.pushes[0], {
    kind: 'pop', agent: 'mei',
    pop: { call: 'c1', agent: 'mei', caller: '13800000051', account: '100200300', tier: 'gold', waitedMs: 20_000, status: 'ringing', customer: { kind: 'found' }, ivrPath: ['main/menu'],
      transferredFrom: { agent: 'lin', how: 'blind', at: T0 + 90_000 } },
  })
  t.equal(r.board.pops.get(agentId('lin'))?.status, 'answered', "the first agent's pop is left as it was")
  t.end()
})

t.test('a consulted transfer pops as answered: the receiving agent is already on the line', (t) => {
  const r = run([[{ kind: 'transferred', transfer: transfer('consulted'), call: facts, customer: found, note: undefined }, T0 + 90_000]])
  t.match(r.pushes, [{ kind: 'pop', agent: 'mei', pop: { status: 'answered', tier: 'gold', transferredFrom: { how: 'consulted' } } }])
  t.end()
})

t.test('a blind transfer never answered is cancelled on the console and no longer replayed', (t) => {
  const popped = run([[{ kind: 'transferred', transfer: transfer('blind'), call: facts, customer: found, note: undefined }, T0]])
  const released = run([[{ kind: 'agent-state', state: state('mei', 'idle') }, T0 + 30_000]], popped.board)
  t.match(released.pushes, [{ kind: 'agent-state' }, { kind: 'pop-updated', pop: { status: 'cancelled', cancelReason: 'transfer-not-answered' } }])
  t.equal(released.board.pops.has(agentId('mei')), false)
  const answered = run([[{ kind: 'agent-state', state: state('mei', 'wrap-up', 'c1') }, T0 + 300_000]], popped.board)
  t.equal(answered.board.pops.get(agentId('mei'))?.status, 'ended', 'talked and wrapped up: ended, not cancelled')
  t.end()
})

t.test('a blind transfer answered by its agent turns answered on her pop only, and ends with her wrap-up, never cancelled', (t) => {
  const popped = run([[{ kind: 'transferred', transfer: transfer('blind'), call: facts, customer: found, note: undefined }, T0]], linTalking())
  const picked = run([[{ kind: 'answered', call: callId('c1'), agent: agentId('mei') }, T0 + 8000]], popped.board)
  t.match(picked.pushes, [{ kind: 'pop-updated', agent: 'mei', pop: { status: 'answered', statusAt: T0 + 8000, transferredFrom: { agent: 'lin' } } }])
  t.equal(picked.pushes.length, 1, "Lin's pop of the same call is not touched")
  t.same(run([[{ kind: 'answered', call: callId('c1'), agent: agentId('mei') }, T0 + 9000]], picked.board).pushes, [], 'said twice: pushed once')
  const idle = run([[{ kind: 'agent-state', state: state('mei', 'idle') }, T0 + 60_000]], picked.board)
  t.match(idle.pushes, [{ kind: 'agent-state' }, { kind: 'pop-updated', pop: { status: 'ended' } }], 'she talked: ended, not transfer-not-answered')
  const wrapped = run([[{ kind: 'agent-state', state: state('mei', 'wrap-up', 'c1') }, T0 + 60_000]], picked.board)
  t.equal(wrapped.board.pops.get(agentId('mei'))?.status, 'ended')
  t.end()
})

t.test("the first agent's wrap-up reaches the receiving agent's pop, not anyone else's", (t) => {
  const note = { agent: agentId('lin'), code: 'callback-needed', notes: '机顶盒已重启' }
  const popped = run([[{ kind: 'transferred', transfer: transfer('blind'), call: facts, customer: found, note: undefined }, T0]], linTalking())
  const r = run([[{ kind: 'wrapped-up', call: callId('c1'), note }, T0 + 5000]], popped.board)
  t.same(r.pushes.map((p) => p.agent), ['mei'])
  t.match(r.pushes[0], { kind: 'pop-updated', pop: { transferredFrom: { agent: 'lin', wrapUp: note } } })
  t.same(run([[{ kind: 'wrapped-up', call: callId('c1'), note: { ...note, agent: agentId('zhou') } }, T0]], popped.board).pushes, [], 'another agent\'s note: nothing')
  const early = run([[{ kind: 'transferred', transfer: transfer('consulted'), call: facts, customer: found, note }, T0]])
  t.match(early.pushes[0], { pop: { transferredFrom: { wrapUp: { code: 'callback-needed' } } } }, 'written before the hand-over: in the first pop')
  t.end()
})

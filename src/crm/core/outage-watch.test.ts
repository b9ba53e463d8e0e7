import t from 'tap'
import { FakeClock, minutes } from '../../shared/index.ts'
import { emptyOutageWatch, faultReported, outageWatchTick, type OutageSuspected, type OutageWatchState } from './index.ts'

const policy = { threshold: 3, windowMs: minutes(30) }

function feed(clock: FakeClock, reports: [number, string][], start: OutageWatchState = emptyOutageWatch) {
  let state = start
  const events: OutageSuspected[] = []
  for (const [afterMin, area] of reports) {
    clock.advance(minutes(afterMin))
    const r = faultReported(state, area, clock.now(), policy)
    state = r.state
    events.push(...r.events)
  }
  return { state, events }
}

t.test('three fault reports from one area within 30 minutes raise one suspected outage', (t) => {
  const clock = new FakeClock()
  const start = clock.now()
  const { events } = feed(clock, [[0, 'gulou'], [10, 'gulou'], [10, 'gulou']])
  t.same(events, [{ type: 'outage-suspected', area: 'gulou', reports: 3, since: start, at: start + minutes(20) }])
  t.end()
})

t.test('reports spread wider than the window, or across areas, raise nothing', (t) => {
  const clock = new FakeClock()
  t.same(feed(clock, [[0, 'gulou'], [20, 'gulou'], [20, 'gulou'], [20, 'gulou']]).events, [])
  t.same(feed(clock, [[0, 'gulou'], [1, 'xuanwu'], [1, 'jiangning'], [1, 'xuanwu']]).events, [])
  t.end()
})

t.test('a continuing storm is one event; after a quiet window the area can raise again', (t) => {
  const clock = new FakeClock()
  const storm = feed(clock, [[0, 'gulou'], [1, 'gulou'], [1, 'gulou'], [1, 'gulou'], [1, 'gulou'], [25, 'gulou']])
  t.equal(storm.events.length, 1)
  const later = feed(clock, [[31, 'gulou'], [1, 'gulou'], [1, 'gulou']], storm.state)
  t.equal(later.events.length, 1, 'raised again once the area was quiet for a whole window')
  t.end()
})

t.test('a tick forgets reports older than the window', (t) => {
  const clock = new FakeClock()
  const { state } = feed(clock, [[0, 'gulou'], [0, 'xuanwu']])
  t.equal(outageWatchTick(state, clock.now() + minutes(31), policy).reports.size, 0)
  t.end()
})

import t from 'tap'
import { DEFAULT_SLOT_PLAN as plan, formatReference, localDay, nextFree, referencePrefix, slotKey, slotsAfter } from './index.ts'

// 2026-11-22 10:30 in Nanjing (UTC+8)
const from = Date.UTC(2026, 10, 22, 2, 30)

t.test('the local day follows the center\'s offset, not UTC', (t) => {
  t.equal(localDay(Date.UTC(2026, 10, 22, 17, 0), 480), '2026-11-23', '01:00 next morning in Nanjing')
  t.end()
})

t.test('slots after a moment start with the next one that has not begun, in order', (t) => {
  const first = slotsAfter(from, plan).slice(0, 4).map((s) => `${s.day} ${s.slot}`)
  t.same(first, ['2026-11-22 13-17', '2026-11-22 18-21', '2026-11-23 09-12', '2026-11-23 13-17'])
  t.equal(slotsAfter(from, plan).length, 2 + 3 * plan.horizonDays, 'up to the horizon')
  t.end()
})

t.test('the next free slots skip the full ones and say how much room is left', (t) => {
  const counts = new Map([
    [slotKey('gulou', { day: '2026-11-22', slot: '13-17' }), { capacity: 4, booked: 4 }],
    [slotKey('gulou', { day: '2026-11-22', slot: '18-21' }), { capacity: 2, booked: 1 }],
  ])
  t.same(nextFree('gulou', from, 2, counts, plan).map((s) => [s.day, s.slot, s.free]), [['2026-11-22', '18-21', 1], ['2026-11-23', '09-12', 4]])
  t.same(nextFree('gulou', from, 2, counts, { ...plan, capacityByArea: { gulou: 0 } }).map((s) => s.slot), ['18-21'], 'an area with no installers only has overridden days')
  t.end()
})

t.test('a reference is the type letter, the local date and a four-digit daily sequence', (t) => {
  t.equal(formatReference(referencePrefix('repair', from, 480), 1), 'R2611220001')
  t.equal(formatReference(referencePrefix('installation', Date.UTC(2026, 10, 22, 17, 0), 480), 12), 'I2611230012')
  t.equal(formatReference('C261122', 12345), 'C26112212345', 'a busy day grows the number rather than wrapping')
  t.end()
})

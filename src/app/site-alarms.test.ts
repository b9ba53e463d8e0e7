import t from 'tap'
import { siteAlarms, SWITCH_GRACE_MS } from './site-alarms.ts'

const up = { state: 'connected' as const, since: 0, reconnects: 0, eventsPerSecond: 0, decodeErrors: 0 }
const fine = { state: 'ok' as const, heldWrites: 0, givenUp: 0 }

t.test('a healthy site raises no alarm', (t) => {
  t.same(siteAlarms({ switch: up, store: fine, recordingsDisk: { alarm: false, freeBytes: 9e9 } }, 60_000), [])
  t.end()
})

t.test('the switch link down is critical after a grace, not during a quick reconnect', (t) => {
  const down = { ...up, state: 'reconnecting' as const, since: 1000 }
  t.same(siteAlarms({ switch: down, store: fine }, 1000 + SWITCH_GRACE_MS - 1), [])
  t.match(siteAlarms({ switch: down, store: fine }, 1000 + SWITCH_GRACE_MS), [{ code: 'switch-down', severity: 'critical', since: 1000 }])
  t.same(siteAlarms({ switch: { ...up, state: 'stopped' }, store: fine }, 1e9), [], 'a stop on purpose is no alarm')
  t.end()
})

t.test('a store refusing writes is critical and says how many records wait; low disks are warnings with the free space', (t) => {
  const full = { state: 'degraded' as const, heldWrites: 48, givenUp: 0, since: 5, reason: 'database or disk is full', disk: { path: '/var/lib/hotline', freeBytes: 0, low: true } }
  const alarms = siteAlarms({ switch: up, store: full, recordingsDisk: { alarm: true, freeBytes: 300 * 1048576 } }, 10)
  t.match(alarms, [
    { code: 'store-refusing-writes', severity: 'critical', message: /disk is full.*48 call records/, since: 5 },
    { code: 'database-disk-low', severity: 'warning', message: /0 MiB free/ },
    { code: 'recordings-disk-low', severity: 'warning', message: /300 MiB free/ },
  ])
  t.notMatch(JSON.stringify(alarms), /var\/lib/, 'no server paths on a supervisor screen')
  t.end()
})

import t from 'tap'
import { FakeClock } from '../shared/index.ts'
import { DiskWatch } from './disk-watch.ts'

t.test("the database folder's free space is watched: one warning when it falls under the threshold, one all-clear when it is back", async (t) => {
  let free = 5_000
  const warned: object[] = []
  const cleared: object[] = []
  const w = new DiskWatch({ path: '/var/lib/hotline', thresholdBytes: 1_000, clock: new FakeClock(), facts: () => Promise.resolve({ freeBytes: free, totalBytes: 100_000 }), log: { warn: (o) => void warned.push(o), info: (o) => void cleared.push(o) } })
  t.match(await w.check(), { low: false, freeBytes: 5_000 })
  free = 900
  t.match(await w.check(), { low: true, path: '/var/lib/hotline' })
  await w.check()
  t.equal(warned.length, 1, 'warned once, not at every check')
  free = 2_000
  t.match(await w.check(), { low: false })
  t.equal(cleared.length, 1)
})

t.test('a disk that cannot be read keeps the last figure instead of failing', async (t) => {
  let fail = false
  const w = new DiskWatch({ path: '/x', thresholdBytes: 1, clock: new FakeClock(), facts: () => (fail ? Promise.reject(new Error('EIO')) : Promise.resolve({ freeBytes: 10, totalBytes: 20 })), log: { warn: () => undefined, info: () => undefined } })
  await w.check()
  fail = true
  t.match(await w.check(), { freeBytes: 10, low: false })
})

t.test('on a disk smaller than ten times the threshold, a tenth of it is the alarm line', async (t) => {
  let free = 2_900_000
  const w = new DiskWatch({ path: '/small', thresholdBytes: 512 * 1024 * 1024, clock: new FakeClock(), facts: () => Promise.resolve({ freeBytes: free, totalBytes: 3_000_000 }), log: { warn: () => undefined, info: () => undefined } })
  t.match(await w.check(), { low: false }, 'a 3 MB disk with room is not low')
  free = 200_000
  t.match(await w.check(), { low: true })
})

import t from 'tap'
import { minutes } from '../../shared/index.ts'
import { DEFAULT_SMS_RETRY, settle } from './index.ts'

const now = Date.UTC(2026, 10, 2, 9, 0, 0)
const down = { kind: 'unavailable', reason: 'HTTP 503' } as const

t.test('an unavailable gateway is retried after 1, 5 and 15 minutes, then the message fails', (t) => {
  t.same(settle(1, down, now, DEFAULT_SMS_RETRY), { status: 'queued', nextAttemptAt: now + minutes(1), lastError: 'HTTP 503' })
  t.same(settle(2, down, now, DEFAULT_SMS_RETRY), { status: 'queued', nextAttemptAt: now + minutes(5), lastError: 'HTTP 503' })
  t.same(settle(3, down, now, DEFAULT_SMS_RETRY), { status: 'queued', nextAttemptAt: now + minutes(15), lastError: 'HTTP 503' })
  t.same(settle(4, down, now, DEFAULT_SMS_RETRY), { status: 'failed', lastError: 'gave up after 4 attempts: HTTP 503' })
  t.end()
})

t.test('the last delay repeats when more attempts are allowed than delays are listed', (t) => {
  t.same(settle(5, down, now, { delaysMs: [1000, 2000], maxAttempts: 9 }), { status: 'queued', nextAttemptAt: now + 2000, lastError: 'HTTP 503' })
  t.end()
})

t.test('a refused message fails at once; a sent one records when', (t) => {
  t.same(settle(1, { kind: 'rejected', reason: 'HTTP 400: bad number' }, now, DEFAULT_SMS_RETRY), { status: 'failed', lastError: 'HTTP 400: bad number' })
  t.same(settle(3, { kind: 'sent' }, now, DEFAULT_SMS_RETRY), { status: 'sent', at: now })
  t.end()
})

import t from 'tap'
import { say, sayPrompts } from './say.ts'

t.test('money in Mandarin reads yuan, jiao and fen with 零 for a missing jiao', (t) => {
  t.same(say('money', 12850, 'zh'), ['num-1', 'hundred', 'num-2', 'num-10', 'num-8', 'yuan', 'num-5', 'jiao'])
  t.same(say('money', 1205, 'zh'), ['num-10', 'num-2', 'yuan', 'num-0', 'num-5', 'fen'])
  t.same(say('money', 50, 'zh'), ['num-5', 'jiao'])
  t.same(say('money', 0, 'zh'), ['num-0', 'yuan'])
  t.end()
})

t.test('money in English reads yuan and cents, singular for one cent', (t) => {
  t.same(say('money', 12850, 'en'), ['num-1', 'hundred', 'num-20', 'num-8', 'yuan', 'and', 'num-50', 'cents'])
  t.same(say('money', 301, 'en'), ['num-3', 'yuan', 'and', 'num-1', 'cent'])
  t.same(say('money', 99, 'en'), ['num-90', 'num-9', 'cents'])
  t.same(say('money', 100000, 'en'), ['num-1', 'thousand', 'yuan'])
  t.end()
})

t.test('Mandarin numbers drop the leading 一 of 十 and insert 零 for inner zeros', (t) => {
  t.same(say('number', 15, 'zh'), ['num-10', 'num-5'])
  t.same(say('number', 1005, 'zh'), ['num-1', 'thousand', 'num-0', 'num-5'])
  t.same(say('number', 10050, 'zh'), ['num-1', 'ten-thousand', 'num-0', 'num-5', 'num-10'])
  t.same(say('number', 100000, 'zh'), ['num-10', 'ten-thousand'])
  t.same(say('number', 20015, 'zh'), ['num-2', 'ten-thousand', 'num-0', 'num-1', 'num-10', 'num-5'])
  t.end()
})

t.test('English numbers use teens and tens prompts', (t) => {
  t.same(say('number', 13, 'en'), ['num-13'])
  t.same(say('number', 2026, 'en'), ['num-2', 'thousand', 'num-20', 'num-6'])
  t.same(say('number', 1000001, 'en'), ['num-1', 'million', 'num-1'])
  t.end()
})

t.test('digits are read one by one, dates in each language order', (t) => {
  t.same(say('digits', '2611001', 'en'), ['num-2', 'num-6', 'num-1', 'num-1', 'num-0', 'num-0', 'num-1'])
  t.same(say('date', '2026-11-05', 'zh'), ['num-2', 'num-0', 'num-2', 'num-6', 'year', 'num-10', 'num-1', 'month', 'num-5', 'day'])
  t.same(say('date', '2026-11-05', 'en'), ['month-11', 'num-5', 'num-2', 'thousand', 'num-20', 'num-6'])
  t.end()
})

t.test('a value that cannot be said is a failure value, not a crash', (t) => {
  t.match(say('money', 'lots', 'zh'), { code: 'say-bad-value' })
  t.match(say('money', 12.5, 'en'), { code: 'say-bad-value' })
  t.match(say('date', '2026-13-01', 'en'), { code: 'say-bad-value' })
  t.match(say('digits', null, 'en'), { code: 'say-bad-value' })
  t.end()
})

t.test('every prompt a say can produce is in the list the checker requires', (t) => {
  for (const lang of ['zh', 'en'] as const) {
    const needed = new Set(sayPrompts(lang))
    for (let n = 0; n < 100000; n += 7) {
      for (const as of ['number', 'money'] as const) {
        const ids = say(as, n, lang)
        if (!Array.isArray(ids)) return t.fail(`cannot say ${n}`)
        for (const id of ids) if (!needed.has(id)) return t.fail(`${lang} ${as} ${n} needs ${id}`)
      }
    }
  }
  t.pass('all covered')
  t.end()
})

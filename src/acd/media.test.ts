import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { wavProblem } from '../ivr/index.ts'
import { defaultMedia, waitMinutes } from './media.ts'

const sounds = join(fileURLToPath(new URL('../../', import.meta.url)), 'sounds')

/** Every file the ACD may hand to FreeSWITCH: positions up to 300, waits up to 3 hours, every key. */
function everyFile(lang: 'zh' | 'en'): Set<string> {
  const m = defaultMedia(sounds, lang)
  const files = new Set<string>(m.callbackConfirmed)
  for (let position = 1; position <= 300; position++) {
    for (const est of [undefined, position * 37]) for (const f of m.announcement(position, est)) files.add(f)
  }
  for (let minutes = 1; minutes <= 180; minutes++) for (const f of m.announcement(1, minutes * 60)) files.add(f)
  for (const key of '0123456789') for (const f of m.announcement(1, undefined, key)) files.add(f)
  return files
}

for (const lang of ['zh', 'en'] as const) {
  t.test(`every ${lang} prompt the ACD can play is in sounds/${lang}/ as 8 kHz mono 16-bit WAV, on an absolute path`, (t) => {
    const files = everyFile(lang)
    t.ok(files.size > 10)
    for (const f of files) {
      t.ok(f.startsWith(`${sounds}/${lang}/`), `${f} is absolute, under Hotline's sounds folder`)
      let problem: string | null
      try {
        problem = wavProblem(readFileSync(f))
      } catch {
        problem = 'missing'
      }
      t.equal(problem, null, f)
    }
    t.end()
  })
}

t.test('the Mandarin announcement: place, estimated wait in minutes, then the callback key', (t) => {
  const names = (files: readonly string[]) => files.map((f) => f.slice(sounds.length + 1))
  const m = defaultMedia(sounds)
  t.same(names(m.announcement(12, 250, '1')), [
    'zh/queue-position.wav', 'zh/num-10.wav', 'zh/num-2.wav', 'zh/queue-position-end.wav',
    'zh/queue-wait.wav', 'zh/num-5.wav', 'zh/minutes.wav',
    'zh/callback-offer.wav', 'zh/num-1.wav',
  ])
  t.same(names(m.announcement(3, undefined)), ['zh/queue-position.wav', 'zh/num-3.wav', 'zh/queue-position-end.wav'], 'no estimate: the place only')
  t.equal(waitMinutes(20), 1, 'less than a minute is announced as one')
  t.end()
})

t.test('a relative sounds folder is refused: FreeSWITCH would look for it in its own sounds folder', (t) => {
  t.throws(() => defaultMedia('sounds'), /absolute/)
  t.end()
})

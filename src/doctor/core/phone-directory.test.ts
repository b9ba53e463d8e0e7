import t from 'tap'
import { err, ok } from '../../shared/index.ts'
import { judgePhoneDirectory, judgePhoneDomain } from './phone-directory.ts'
import type { DeskPhone } from './agent-extensions.ts'

const lin: DeskPhone = { agent: 'lin', name: 'Lin', extension: '2001' }
const mei: DeskPhone = { agent: 'mei', name: 'Mei', extension: '2002' }

t.test('phones user_exists does not find fail the check, named, with the way to fix it', (t) => {
  const c = judgePhoneDirectory([lin, mei], 'hotline.local', [ok('true'), ok('false')])
  t.equal(c.status, 'fail')
  t.equal(c.detail, "not in FreeSWITCH's directory for domain hotline.local, so every call offered to them fails (SUBSCRIBER_ABSENT): 2002 Mei (mei)")
  t.match(c.hint, /hotline phones generate --reload.*phones\.domain/)
  t.end()
})

t.test('all found, or no desk phones, pass', (t) => {
  t.match(judgePhoneDirectory([lin, mei], 'hotline.local', [ok('true'), ok('true\n')]), { status: 'pass', detail: 'all 2 desk phones exist in domain hotline.local' })
  t.match(judgePhoneDirectory(undefined, 'hotline.local', []), { status: 'pass', detail: /no agent has a desk phone/ })
  t.end()
})

t.test('no answer or an answer that is not true/false warns and names nobody', (t) => {
  t.match(judgePhoneDirectory([lin], 'hotline.local', [err({ message: 'esl-timeout' })]), { status: 'warn', detail: /no answer from FreeSWITCH: esl-timeout/ })
  t.match(judgePhoneDirectory([lin], 'hotline.local', [ok('-ERR user_exists Command not found!\n')]), { status: 'warn', detail: /user_exists answered -ERR/, hint: /mod_commands/ })
  t.end()
})

t.test("the switch's domain: the same passes (any case), another warns naming both, none warns", (t) => {
  t.match(judgePhoneDomain('hotline.local', ok('Hotline.Local')), { status: 'pass' })
  t.match(judgePhoneDomain('hotline.local', ok('10.0.0.5')), { status: 'warn', detail: "the switch's domain is 10.0.0.5, but Hotline dials phones at phones.domain hotline.local", hint: /set phones\.domain \(HOTLINE_PHONES_DOMAIN\) to 10\.0\.0\.5/ })
  t.match(judgePhoneDomain('hotline.local', ok('-ERR no reply\n')), { status: 'warn', detail: /no global variable domain/ })
  t.match(judgePhoneDomain('hotline.local', err({ message: 'esl-disconnected' })), { status: 'warn', detail: /no answer/ })
  t.end()
})

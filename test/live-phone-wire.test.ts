/**
 * The live tier's desk-phone driver speaks baresip's ctrl_tcp (netstring-framed JSON) and writes
 * its config; and its audio check tells a tone from silence and from another tone. Checked here
 * without baresip or a switch, so a broken driver fails `npm test`, not only the live tier.
 */
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { accountLine, configText, netstring, parseMessage, readNetstrings } from './live/support/baresip-wire.ts'
import { heardTone, readWav, writeToneWav } from './live/support/wav.ts'

t.test('netstrings: one command out, events and responses back across chunk boundaries', (t) => {
  t.equal(netstring({ command: 'accept', params: '', token: 't1' }).toString(), '45:{"command":"accept","params":"","token":"t1"},')
  const wire = Buffer.concat([netstring({ event: true, type: 'CALL_INCOMING', param: 'sip:1380@x', peeruri: 'sip:1380@x', id: 'c1' }), netstring({ response: true, ok: true, data: '中文', token: 't1' })])
  const cut = wire.length - 7
  const first = readNetstrings(wire.subarray(0, cut))
  t.equal(first.messages.length, 1, 'the complete one only')
  t.same(parseMessage(first.messages[0]), { kind: 'event', type: 'CALL_INCOMING', param: 'sip:1380@x', peer: 'sip:1380@x', callId: 'c1' })
  const second = readNetstrings(Buffer.concat([first.rest, wire.subarray(cut)]))
  t.same(second.messages.map(parseMessage), [{ kind: 'response', ok: true, data: '中文', token: 't1' }], 'a multi-byte body counted in bytes')
  t.equal(second.rest.length, 0)
  t.throws(() => readNetstrings(Buffer.from('x2:{},')), /not a netstring length/, 'garbage is an error, not a hang')
  t.throws(() => readNetstrings(Buffer.from('2:{}.')), /trailing comma/)
  t.same(parseMessage(42), { kind: 'other', raw: 42 })
  t.end()
})

t.test('the phone config binds its own address and dumps audio; the account is G.711 with manual answer', (t) => {
  const c = configText({ localIp: '127.0.0.12', controlPort: 4444, audioIn: '/x/voice.wav', recordDir: '/x/audio' })
  t.match(c, /^sip_listen 127\.0\.0\.12:5060$/m)
  t.match(c, /^ctrl_tcp_listen 127\.0\.0\.12:4444$/m)
  t.match(c, /^audio_source aufile,\/x\/voice\.wav$/m)
  t.match(c, /^module sndfile\.so$/m)
  t.match(c, /^snd_path \/x\/audio$/m)
  const a = accountLine({ user: '2001', password: 'pw', domain: 'hotline.local', registrar: '127.0.0.1:5060' })
  t.match(a, /^<sip:2001@hotline\.local>;auth_pass=pw;outbound="sip:127\.0\.0\.1:5060;transport=udp";/)
  t.match(a, /answermode=manual/)
  t.match(a, /audio_codecs=PCMA,PCMU/)
  t.end()
})

t.test('a tone is heard for as long as it plays; silence and another tone are not', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wav-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const f = join(dir, 'a.wav')
  writeToneWav(f, 440, 2)
  const pcm = readWav(f)
  t.equal(pcm.rate, 8000)
  t.equal(pcm.samples.length, 16000)
  t.equal(heardTone(f, 440).toneSeconds, 2, 'all of it')
  t.equal(heardTone(f, 1000).toneSeconds, 0, 'not another tone')
  writeToneWav(f, 440, 0)
  t.equal(heardTone(f, 440).toneSeconds, 0, 'nothing in an empty file')
  t.throws(() => readWav(join(dir, 'missing.wav')), /ENOENT/)
  t.end()
})

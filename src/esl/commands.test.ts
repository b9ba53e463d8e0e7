import t from 'tap'
import { bgapiCommand, eventCommand, executeCommand, filterCommand, hangupCommand } from './commands.ts'

const text = (r: { ok: boolean; value?: string; error?: { code: string } }): string | undefined => (r.ok ? r.value : r.error?.code)

t.test('commands end with a blank line and carry their headers one per line', (t) => {
  t.equal(text(bgapiCommand('status', 'job-1')), 'bgapi status\nJob-UUID: job-1\n\n')
  t.equal(text(executeCommand('leg', 'playback', 'a.wav', 'ev-1')), 'sendmsg leg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: a.wav\nevent-lock: true\nEvent-UUID: ev-1\n\n')
  t.equal(text(executeCommand(undefined, 'answer', undefined, 'ev-2', { eventLock: false })), 'sendmsg\ncall-command: execute\nexecute-app-name: answer\nEvent-UUID: ev-2\n\n')
  t.equal(text(hangupCommand('leg', 'USER_BUSY')), 'sendmsg leg\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n')
  t.end()
})

t.test('CUSTOM goes last in a subscription, followed by its subclasses', (t) => {
  t.equal(text(eventCommand('json', ['CUSTOM', 'CHANNEL_PARK'], ['sofia::register'])), 'event json CHANNEL_PARK CUSTOM sofia::register\n\n')
  t.end()
})

t.test('a newline in any argument is esl-bad-command, so no second command can be smuggled in', (t) => {
  t.equal(text(bgapiCommand('status\n\napi originate x', 'j')), 'esl-bad-command')
  t.equal(text(bgapiCommand('status', 'j\nexit')), 'esl-bad-command')
  t.equal(text(executeCommand('leg\n', 'answer', undefined, 'e')), 'esl-bad-command')
  t.equal(text(executeCommand('leg', 'playback', 'x\r\ny', 'e')), 'esl-bad-command')
  t.end()
})

t.test('names that FreeSWITCH would refuse or misread are rejected before sending', (t) => {
  t.equal(text(eventCommand('json', [], [])), 'esl-bad-command')
  t.equal(text(eventCommand('json', ['CHANNEL PARK'], [])), 'esl-bad-command')
  t.equal(text(filterCommand('Event-Name', '')), 'esl-bad-command')
  t.equal(text(executeCommand('leg', 'play back', undefined, 'e')), 'esl-bad-command')
  t.equal(text(hangupCommand('leg', 'normal clearing')), 'esl-bad-command')
  t.end()
})

import t, { type Test } from 'tap'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { FakeClock, type Result } from '../shared/index.ts'
import type { EslError } from './errors.ts'
import type { EslEvent } from './message.ts'
import { createOutboundServer, type DisconnectNotice, type OutboundSession } from './outbound.ts'

const dir = new URL('../../test/fixtures/esl-captures/', import.meta.url)
const wait = { timeoutMs: 30_000 }

type Step = { kind: 'send'; text: string } | { kind: 'recv'; offset: number; len: number; contentType: string }

/** The SEND/RECV lines of a `.cmds.txt`, in the order the capture script saw them. */
function script(name: string): Step[] {
  const steps: Step[] = []
  for (const line of readFileSync(new URL(`${name}.cmds.txt`, dir), 'utf8').split('\n')) {
    const send = /^\s*[\d.]+ SEND (".*")$/.exec(line)
    const recv = /^\s*[\d.]+ RECV @(\d+) len=(\d+) (\S+)/.exec(line)
    if (send) steps.push({ kind: 'send', text: JSON.parse(send[1]!) as string })
    else if (recv) steps.push({ kind: 'recv', offset: Number(recv[1]), len: Number(recv[2]), contentType: recv[3]! })
  }
  return steps
}

/**
 * Plays FreeSWITCH: connects to our server, and after each command it receives writes the bytes
 * the real switch sent next in the capture, up to the following SEND; after the last, it closes.
 */
function playSwitch(port: number, name: string, mismatches: string[]): Socket {
  const bytes = readFileSync(new URL(`${name}.esl`, dir))
  const steps = script(name)
  let i = 0
  const socket = connect({ port, host: '127.0.0.1' })
  let buf = ''
  socket.on('data', (chunk: Buffer) => {
    buf += chunk.toString('latin1')
    for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
      const got = buf.slice(0, end).split('\n')[0]
      buf = buf.slice(end + 2)
      while (i < steps.length && steps[i]!.kind !== 'send') i++
      const want = steps[i++]
      if (want?.kind !== 'send' || want.text.split('\n')[0] !== got) mismatches.push(`${got} vs ${want?.kind === 'send' ? want.text : 'nothing'}`)
      for (; i < steps.length && steps[i]!.kind === 'recv'; i++) {
        const r = steps[i] as Extract<Step, { kind: 'recv' }>
        socket.write(bytes.subarray(r.offset, r.offset + r.len))
      }
      if (i >= steps.length) socket.end()
    }
  })
  return socket
}

const header = (text: string, name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(text)?.[1]

/** Drives the session with the same commands the capture script sent, pipelined. */
function drive(s: OutboundSession, name: string): { replies: Promise<Result<unknown, EslError>>[]; executes: Map<string, Promise<Result<unknown, EslError>>> } {
  const replies: Promise<Result<unknown, EslError>>[] = []
  const executes = new Map<string, Promise<Result<unknown, EslError>>>()
  for (const step of script(name)) {
    if (step.kind !== 'send') continue
    const [line = '', ...rest] = step.text.split('\n')
    const [verb, ...args] = line.split(' ')
    const h = (n: string): string | undefined => header(rest.join('\n'), n)
    if (verb === 'connect') continue
    else if (verb === 'myevents') replies.push(s.myevents(args[0] === 'json' ? 'json' : 'plain', wait))
    else if (verb === 'linger') replies.push(s.linger(args[0] === undefined ? undefined : Number(args[0]), wait))
    else if (verb === 'nolinger') replies.push(s.nolinger(wait))
    else if (verb === 'filter') replies.push(s.filter(args[0]!, args.slice(1).join(' '), wait))
    else if (verb === 'api') replies.push(s.api(args.join(' '), wait))
    else if (h('call-command') === 'hangup') replies.push(s.hangup(h('hangup-cause')!, wait))
    else {
      const appUuid = h('Event-UUID')
      const p = s.execute(h('execute-app-name')!, h('execute-app-arg'), { ...wait, eventLock: h('event-lock') === 'true', async: h('async') === 'true', ...(appUuid ? { appUuid } : {}) })
      executes.set(appUuid ?? `#${executes.size}`, p)
    }
  }
  return { replies, executes }
}

async function replay(t: Test, name: string) {
  const events: EslEvent[] = []
  const notices: DisconnectNotice[] = []
  const mismatches: string[] = []
  let sessionDone!: (v: { session: OutboundSession; driven: ReturnType<typeof drive>; closed: string }) => void
  const done = new Promise<{ session: OutboundSession; driven: ReturnType<typeof drive>; closed: string }>((r) => (sessionDone = r))
  const server = await createOutboundServer({
    port: 0,
    clock: new FakeClock(),
    onSession: async (session) => {
      session.onEvent((ev) => void events.push(ev))
      session.onDisconnectNotice((n) => void notices.push(n))
      const driven = drive(session, name)
      sessionDone({ session, driven, closed: await session.closed })
    },
  })
  if (!server.ok) throw new Error(server.error.message)
  t.teardown(() => server.value.close())
  const fs = playSwitch(server.value.port, name, mismatches)
  const { session, driven, closed } = await done
  await once(fs, 'close')
  const replies = await Promise.all(driven.replies)
  const executes = new Map<string, Result<unknown, EslError>>()
  for (const [k, p] of driven.executes) executes.set(k, await p)
  const expectedEvents = script(name).filter((s) => s.kind === 'recv' && s.contentType.startsWith('text/event-')).length
  return { session, replies, executes, events, notices, mismatches, closed, expectedEvents }
}


t.test('06 async full: channel data, 13 filters, an Event-UUID execute, api, hangup and a linger-forever notice', async (t) => {
  const r = await replay(t, '06-outbound-socket-async-full')
  t.same(r.mismatches, [], 'the session sent what the capture script sent, in order')
  t.equal(r.session.channelData['Event-Name'], 'CHANNEL_DATA')
  t.equal(r.session.uuid, '2c6c6fca-200a-4c1e-9d03-093606d86da8')
  t.equal(r.session.socketMode, 'async')
  t.equal(r.session.channelData['Reply-Text'], '+OK\n', 'the URL-encoded %2BOK%0A is decoded')
  t.same(r.replies.map((x) => x.ok), r.replies.map(() => true), 'myevents, linger, filters, api, hangup all +OK')
  t.same(r.replies.find((x) => x.ok && x.value === '42'), { ok: true, value: '42' }, 'api uuid_getvar over the outbound socket')
  const missing = r.executes.get('11111111-2222-3333-4444-555555555555')
  t.same(missing?.ok && (missing.value as { response: string }).response, 'FILE NOT FOUND', 'resolved by its Application-UUID')
  t.equal(r.events.length, r.expectedEvents)
  t.equal(r.events[0]?.name, 'CHANNEL_PARK')
  t.same(r.notices.map((n) => [n.disposition, n.lingerSeconds]), [['linger', -1]])
  t.ok([...r.executes.values()].filter((x) => !x.ok).every((x) => !x.ok && x.error.code === 'esl-disconnected'),
    'executes whose switch-chosen Application-UUID we never knew settle on close, not hang')
})

t.test('07 json, nolinger: events decode as JSON and the disconnect notice ends the session', async (t) => {
  const r = await replay(t, '07-outbound-socket-nolinger-json')
  t.same(r.mismatches, [])
  t.equal(r.session.uuid, r.notices[0]?.headers['Controlled-Session-UUID'])
  t.same(r.replies.map((x) => x.ok), [true, true, true])
  t.equal(r.events.length, r.expectedEvents)
  t.ok(r.events.every((e) => e.format === 'json'))
  t.same(r.events.map((e) => e.name).slice(-2), ['CHANNEL_STATE', 'CHANNEL_HANGUP_COMPLETE'])
  t.same(r.notices.map((n) => n.disposition), ['disconnect'])
})

t.test('08 sync: a held sendmsg reply, completion before reply, two notices (linger 2, then disconnect)', async (t) => {
  const r = await replay(t, '08-outbound-socket-sync-full')
  t.same(r.mismatches, [])
  t.equal(r.session.socketMode, 'static')
  t.same(r.replies.find((x) => x.ok && x.value === '127.0.0.1'), { ok: true, value: '127.0.0.1' })
  t.equal(r.events.length, r.expectedEvents)
  t.same(r.notices.map((n) => [n.disposition, n.lingerSeconds]), [['linger', 2], ['disconnect', undefined]])
})

t.test('a port already in use is an esl-listen-failed value', async (t) => {
  const first = await createOutboundServer({ port: 0, onSession: () => undefined })
  if (!first.ok) throw new Error(first.error.message)
  t.teardown(() => first.value.close())
  const second = await createOutboundServer({ port: first.value.port, onSession: () => undefined })
  t.equal(!second.ok && second.error.code, 'esl-listen-failed')
})

import t from 'tap'
import { channelUuid, err, ok, type Failure, type Result } from '../shared/index.ts'
import { EslFaxPort, originateCommand } from './index.ts'
import { parseOriginate } from '../sim/index.ts'

function sw(bgapiBody: Result<string, Failure>, exec: Result<unknown, Failure> = ok(undefined)) {
  const sentCmds: string[] = []
  const executed: string[] = []
  return {
    sentCmds, executed,
    port: new EslFaxPort({
      bgapi: (cmd) => { sentCmds.push(cmd); return Promise.resolve(bgapiBody) },
      execute: (uuid, app, arg) => { executed.push(`${uuid} ${app} ${arg}`); return Promise.resolve(exec) },
    }),
  }
}

t.test('outbound fax is one bgapi originate through the gateway with txfax as the app', async (t) => {
  const s = sw(ok('+OK 11111111-2222\n'))
  const r = await s.port.send('sofia/gateway/e1-span-1/02588881234', { origination_uuid: '11111111-2222', fax_header: 'Hotline, page' }, '/var/fax/out/j1/fax.tif')
  t.same(r, ok(channelUuid('11111111-2222')))
  // The comma is escaped for the {…} block, the space for the blank split (esl/switch-syntax.ts).
  t.same(s.sentCmds, ['originate {origination_uuid=11111111-2222,fax_header=Hotline\\\\,\\spage}sofia/gateway/e1-span-1/02588881234 &txfax(/var/fax/out/j1/fax.tif)'])
})

t.test('a failed originate carries the hangup cause from the BACKGROUND_JOB body', async (t) => {
  t.match(await sw(ok('-ERR USER_BUSY\n')).port.send('d', {}, 'f'), { ok: false, error: { code: 'originate-failed', cause: 'USER_BUSY' } })
  t.match(await sw(err({ code: 'esl-timeout', message: 'bgapi originate timed out' })).port.send('d', {}, 'f'), { ok: false, error: { code: 'switch-unreachable' } })
})

t.test('inbound fax is rxfax executed on the parked leg; a leg gone is reported as such', async (t) => {
  const s = sw(ok(''))
  t.same(await s.port.receive(channelUuid('leg-1'), '/var/fax/in/a.tif'), ok(undefined))
  t.same(s.executed, ['leg-1 rxfax /var/fax/in/a.tif'])
  t.match(await sw(ok(''), err({ code: 'esl-command-failed', message: '-ERR invalid session id' })).port.receive(channelUuid('x'), 'p'), { ok: false, error: { code: 'leg-gone' } })
})

t.test("a fax header with quotes, commas and spaces reaches the leg unchanged, as FreeSWITCH parses the originate", (t) => {
  const cmd = originateCommand('sofia/gateway/carrier/02588881234', { fax_ident: "it's a test", fax_header: 'ACME, Inc {fax}' }, '/var/fax/out/j 1/fax.tif')
  const parsed = parseOriginate(cmd.replace(/^originate /, ''))
  t.match(parsed, { ok: true, value: { dial: 'sofia/gateway/carrier/02588881234', app: 'txfax', appArg: '/var/fax/out/j 1/fax.tif' } })
  if (parsed.ok) t.same(Object.fromEntries(parsed.value.vars), { fax_ident: "it's a test", fax_header: 'ACME, Inc {fax}' })
  t.end()
})

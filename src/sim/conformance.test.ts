/**
 * Every event the simulator emits carries every header FreeSWITCH sent on *all* captured
 * instances of that event kind (variable_* excluded: those depend on the apps that ran, except
 * the variable_hotline_* the dialplan stamps, checked below). Plain and JSON.
 */
import t from 'tap'
import { FakeClock } from '../shared/index.ts'
import type { EslEvent } from '../esl/index.ts'
import { startSimulator } from './index.ts'
import { RawEslClient } from './test-client.ts'
import { alwaysPresent, capturedEvents, eventKind } from './templates-from-captures.ts'

const captured = capturedEvents(new URL('../../test/fixtures/esl-captures/', import.meta.url))

async function scenario(format: 'plain' | 'json'): Promise<EslEvent[]> {
  const clock = new FakeClock()
  const sim = await startSimulator({ password: 'pw', clock, phones: { '1005': { kind: 'auto-answer', afterMs: 500 } } })
  const c = await RawEslClient.login(sim.port, 'pw')
  try {
    await c.command(`event ${format} ALL`)
    const call = sim.call({ did: '96200', caller: '13800000001' })
    const leg = call.legUuid!
    const exec = async (app: string, arg = ''): Promise<void> => {
      await c.command(`sendmsg ${leg}\ncall-command: execute\nexecute-app-name: ${app}\nexecute-app-arg: ${arg}\nevent-lock: true`)
    }
    await exec('answer')
    await exec('playback', '/opt/hotline/sounds/zh/welcome.wav')
    await c.event((e) => e.name === 'PLAYBACK_START')
    clock.advance(3000)
    await c.api(`uuid_recv_dtmf ${leg} 1`)
    await c.api(`uuid_record ${leg} start /tmp/r.wav`)
    await c.api(`uuid_record ${leg} stop /tmp/r.wav`)
    await c.command('bgapi originate {origination_uuid=ag}user/1005 &park()')
    clock.advance(500)
    await c.event((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === 'ag')
    await c.api(`uuid_setvar ${leg} park_after_bridge true`)
    await c.api(`uuid_bridge ${leg} ag`)
    await c.api('uuid_kill ag')
    sim.registerPhone('1001', { kind: 'busy' }, 5)
    sim.unregisterPhone('1001')
    sim.registerPhone('1002', { kind: 'busy' }, 5)
    await c.api('sofia profile internal flush_inbound_reg 1002@127.0.0.1')
    sim.heartbeat()
    await exec('rxfax', '/tmp/in.tif')
    await c.event((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Application'] === 'rxfax')
    clock.advance(22_000)
    await c.event((e) => e.subclass === 'spandsp::rxfaxresult')
    call.hangup()
    await c.event((e) => e.name === 'CHANNEL_DESTROY' && e.headers['Unique-ID'] === leg)
    return c.events
  } finally {
    c.close()
    await sim.close()
  }
}

for (const format of ['plain', 'json'] as const) {
  t.test(`every ${format} event kind the simulator emits carries the captured headers`, async (t) => {
    const events = await scenario(format)
    const kinds = new Set<string>()
    const missing: Record<string, string[]> = {}
    for (const e of events) {
      const kind = eventKind(e)
      kinds.add(kind)
      const caps = captured.get(kind)
      const lacks = caps ? alwaysPresent(caps).map(([k]) => k).filter((k) => !(k in e.headers)) : ['<kind never captured>']
      if (lacks.length) missing[kind] = [...new Set([...(missing[kind] ?? []), ...lacks])]
    }
    t.same(missing, {}, 'no emitted event lacks a header every capture of its kind carries')
    for (const k of ['CHANNEL_CREATE', 'CHANNEL_PARK', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_ANSWER', 'PLAYBACK_START', 'PLAYBACK_STOP', 'DTMF', 'RECORD_START', 'RECORD_STOP', 'BACKGROUND_JOB', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY', 'HEARTBEAT', 'CUSTOM sofia::register', 'CUSTOM sofia::unregister', 'CUSTOM sofia::expire', 'CUSTOM spandsp::rxfaxresult']) {
      t.ok(kinds.has(k), `the scenario covered ${k}`)
    }
    const park = events.find((e) => e.name === 'CHANNEL_PARK' && e.headers['Caller-Context'] === 'hotline')
    t.match(park?.headers, { variable_hotline_entry: '96200', variable_hotline_region: 'nanjing' })
  })
}

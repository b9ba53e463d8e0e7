import t from 'tap'
import { FakeClock } from '../shared/index.ts'
import { kitSwitch, startSimulator, type SimulatorOptions } from './index.ts'
import { RawEslClient } from './test-client.ts'

const PW = 'dir-secret'

async function kit(t: { teardown(fn: () => unknown): void }, o: Partial<SimulatorOptions> = {}) {
  const sim = await startSimulator({ password: PW, clock: new FakeClock(), ...kitSwitch, phones: { '2001': { kind: 'auto-answer', afterMs: 0 } }, ...o })
  const c = await RawEslClient.login(sim.port, PW)
  t.teardown(async () => { c.close(); await sim.close() })
  await c.command('event plain BACKGROUND_JOB')
  const originate = async (args: string): Promise<string> => {
    const from = c.events.length
    await c.command(`bgapi originate ${args}`)
    return (await c.event((e) => e.name === 'BACKGROUND_JOB', 2000, from)).body ?? ''
  }
  return { sim, c, originate }
}

t.test("user/<n>@<domain> finds users only in the switch's domain: another domain is SUBSCRIBER_ABSENT, as on 1.11.3", async (t) => {
  const { originate } = await kit(t)
  t.equal(await originate('user/2001@127.0.0.1 &park()'), '-ERR SUBSCRIBER_ABSENT\n')
  t.match(await originate('user/2001@hotline.local &park()'), /^\+OK /)
  t.match(await originate('user/2001@HOTLINE.local &park()'), /^\+OK /, 'domains compare without case')
  t.match(await originate('user/2001 &park()'), /^\+OK /, "no domain: the switch's own")
})

t.test('a user not in the directory is SUBSCRIBER_ABSENT; one that exists but is not registered is USER_NOT_REGISTERED', async (t) => {
  const { sim, originate } = await kit(t, { directory: ['2002'] })
  t.equal(await originate('user/2009@hotline.local &park()'), '-ERR SUBSCRIBER_ABSENT\n')
  t.equal(await originate('user/2002@hotline.local &park()'), '-ERR USER_NOT_REGISTERED\n')
  sim.unregisterPhone('2001')
  t.equal(await originate('user/2001@hotline.local &park()'), '-ERR USER_NOT_REGISTERED\n', 'a phone that registered once stays a directory user')
})

t.test('user_exists answers true or false with no newline, like mod_commands', async (t) => {
  const { c } = await kit(t, { directory: ['2002'] })
  t.equal(await c.api('user_exists id 2001 hotline.local'), 'true')
  t.equal(await c.api('user_exists id 2002 hotline.local'), 'true', 'not registered, but in the directory')
  t.equal(await c.api('user_exists id 2009 hotline.local'), 'false')
  t.equal(await c.api('user_exists id 2001 127.0.0.1'), 'false')
  t.equal(await c.api('user_exists id 2001'), 'false', 'fewer than three arguments')
  t.equal(await c.api('global_getvar domain'), 'hotline.local')
})

t.test("the lab's stock switch: domain 127.0.0.1 and users 1000-1019", async (t) => {
  const sim = await startSimulator({ password: PW, clock: new FakeClock() })
  const c = await RawEslClient.login(sim.port, PW)
  t.teardown(async () => { c.close(); await sim.close() })
  t.equal(await c.api('user_exists id 1019 127.0.0.1'), 'true')
  t.equal(await c.api('user_exists id 1020 127.0.0.1'), 'false')
  t.equal(await c.api('global_getvar domain'), '127.0.0.1')
})

t.test('an unquoted space in the {…} block fails like FreeSWITCH (Parse Error!: DESTINATION_OUT_OF_ORDER)', async (t) => {
  const { originate } = await kit(t)
  t.equal(await originate('{origination_caller_id_name=Zhang Wei}user/2001@hotline.local &park()'), '-ERR DESTINATION_OUT_OF_ORDER\n')
  t.match(await originate('{origination_caller_id_name=Zhang\\sWei}user/2001@hotline.local &park()'), /^\+OK /)
  t.match(await originate('user/2001@hotline.local'), /^-USAGE: <call url> <exten>/, 'no app or extension')
})

t.test('the name arrives on the leg unescaped; a value with ${ is not set at all (var_check)', async (t) => {
  const { sim, originate } = await kit(t)
  t.match(await originate("{origination_uuid=a1,origination_caller_id_name=ACME\\\\,\\sInc,hotline_x=$\\{uuid},hotline_y=ok}user/2001@hotline.local &park()"), /^\+OK a1/)
  const leg = sim.channels().find((c) => c.uuid === 'a1')
  t.match(leg?.variables, { origination_caller_id_name: 'ACME, Inc', hotline_y: 'ok' })
  t.equal(leg?.variables['hotline_x'], undefined)
})

/**
 * Every branch of the sample hotline's main menu (ivr-scripts/main.yaml and the flows it goes
 * to), walked at once by eleven trunk callers with real RFC 2833 DTMF from the gateway, judged by
 * what the PBX did: each menu reached, each prompt played (PLAYBACK_START of a file that exists),
 * the recording of a phone order started. Then each call's one closed CDR with its IVR path
 * (the site's sqlite file read-only), and the work orders the IVR filed, installation slot and all.
 */
import t from 'tap'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must } from './support/hotline-api.ts'
import { callerPresses, placeTrunkCall, startLab, type Lab } from './support/lab.ts'
import { journey, pathOf, siteCdrs, type Journey } from './support/caller-journey.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(400_000)

/** Callers whose number is on file (the customer below) skip typing their account. */
const KNOWN = { billing: '13800000101', fault: '13800000102', install: '13800000103', ppv: '13800000104', english: '13800000108', again: '13800000109', agent: '13800000100', invalid: '13800000107' } as const
const STRANGER = { account: '13900000111', silent: '13900000112' } as const
const ACCOUNT = '3456789'

const onHold = (j: Journey): Promise<unknown> => quiet(j.next((e) => e.name === 'CHANNEL_EXECUTE' && (e.header('Application-Data') ?? '').includes('local_stream://moh'), 'hold music in the queue', { timeoutMs: 90_000 }))
/** Watched from the start of a walk, awaited later: a walk that fails first must not leave it unhandled. */
const quiet = <T>(p: Promise<T>): Promise<T> => (p.catch(() => undefined), p)

type Walk = (lab: Lab, j: Journey, press: (d: string) => Promise<void>) => Promise<void>

const walks: Record<string, { from: string; walk: Walk; path: string[]; outcome: string }> = {
  '1 balance (known caller)': {
    from: KNOWN.billing, path: ['main/services', 'account/known', 'account/route', 'billing/balance', 'billing/options'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      await press('1')
      await j.played('zh/your-balance-is.wav')
      await j.menu('zh/balance-options.wav')
      await j.hangUp()
    },
  },
  '1 balance (caller types the account)': {
    from: STRANGER.account, path: ['account/ask', 'account/lookup', 'account/route', 'billing/balance'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      await press('1')
      await j.menu('zh/enter-account.wav')
      await press(ACCOUNT)
      await j.played('zh/your-balance-is.wav')
      await j.hangUp()
    },
  },
  '2 fault report': {
    from: KNOWN.fault, path: ['fault/outage', 'fault/report', 'fault/text', 'fault/reference', 'fault/offer', 'fault/goodbye'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      await press('2')
      await j.played('zh/repair-reference.wav')
      await j.played('zh/goodbye.wav', { timeoutMs: 40_000 })
      await j.ended // the flow hangs up after the offer's timeout
    },
  },
  '3 installation booking': {
    from: KNOWN.install, path: ['install/slots', 'install/book', 'install/booked', 'install/goodbye'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      await press('3')
      await j.menu('zh/install-slots.wav')
      await press('1')
      await j.played('zh/install-booked.wav')
      await j.played('zh/goodbye.wav', { timeoutMs: 40_000 })
      await j.ended
    },
  },
  '4 pay-per-view order, recorded': {
    from: KNOWN.ppv, path: ['ppv/events', 'ppv/proof', 'ppv/confirm', 'ppv/order', 'ppv/ordered'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      await press('4')
      await j.menu('zh/ppv-events.wav')
      const proof = j.next((e) => e.name === 'RECORD_START', 'the proof recording starts')
      await press('1')
      await proof
      await j.menu('zh/ppv-confirm.wav')
      await press('1')
      await j.played('zh/ppv-ordered.wav')
      await j.ended
    },
  },
  '8 English': {
    from: KNOWN.english, path: ['main/switch-language', 'main/english'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      await press('8')
      await j.played('en/main-menu.wav')
      await j.hangUp()
    },
  },
  '9 the menu again': {
    from: KNOWN.again, path: ['main/main-menu', 'main/main-menu'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      const again = j.next((e) => e.name === 'CHANNEL_EXECUTE' && e.header('Application') === 'play_and_get_digits', 'the menu once more')
      await press('9')
      await again
      await j.hangUp()
    },
  },
  '0 an agent': {
    from: KNOWN.agent, path: ['main/agent', 'agent/hours', 'agent/which-queue', 'agent/general'], outcome: 'abandoned',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      const held = onHold(j)
      await press('0')
      await j.played('zh/please-hold.wav')
      await held
      await j.hangUp()
    },
  },
  'an invalid key': {
    from: KNOWN.invalid, path: ['main/main-menu'], outcome: 'self-service',
    walk: async (_l, j, press) => {
      await j.menu('zh/main-menu.wav')
      const again = j.next((e) => e.name === 'CHANNEL_EXECUTE' && e.header('Application') === 'play_and_get_digits', 'the menu once more')
      await press('7')
      await j.played('zh/invalid-entry.wav')
      await again
      await j.hangUp()
    },
  },
  'no input: twice the no-input prompt, then an agent': {
    from: STRANGER.silent, path: ['main/main-menu', 'main/agent', 'agent/general'], outcome: 'abandoned',
    walk: async (_l, j) => {
      const held = onHold(j)
      await j.played('zh/no-input.wav', { timeoutMs: 40_000 })
      await j.played('zh/please-hold.wav', { timeoutMs: 90_000 })
      await held
      await j.hangUp()
    },
  },
}

t.test('every branch of the main menu on the real switch, all callers at once', { skip }, async (t) => {
  const lab = await startLab(t)
  await must(lab.admin.call('POST', '/customers', {
    account: ACCOUNT, name: 'Live Caller', area: 'north', tier: 'gold', balanceFen: 12850,
    phones: Object.values(KNOWN),
  }), 'a customer on file')
  const since = lab.pbxWatch.mark
  const results = await Promise.allSettled(Object.entries(walks).map(async ([name, w]) => {
    const call = await placeTrunkCall(lab, { from: w.from })
    const j = journey(lab, call, since)
    await w.walk(lab, j, (d) => callerPresses(lab, call, d)).catch(async (e: unknown) => {
      await j.hangUp().catch(() => undefined)
      throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`)
    })
    await j.ended
    return name
  }))
  Object.values(walks).forEach((w, i) => {
    const r = results[i]!
    t.ok(r.status === 'fulfilled', r.status === 'fulfilled' ? `${r.value}: walked as the switch played it` : String(r.reason))
  })

  const list = (await must(lab.admin.call<{ workOrders: Array<Record<string, unknown>> }>('GET', '/work-orders?limit=50'), 'the work orders')).workOrders
  t.comment(JSON.stringify(list))
  const install = list.find((o) => o['type'] === 'installation')
  t.ok(install, 'the IVR booked an installation')
  t.match(install, { account: ACCOUNT, slot: { slot: '09-12', day: tomorrowInShanghai() } }, 'in the slot the caller chose: 1, tomorrow morning')
  t.ok(list.find((o) => o['type'] === 'repair'), 'and filed the fault report')
  t.ok(list.find((o) => o['type'] === 'enquiry' && JSON.stringify(o['details']).includes('"event":"1"')), 'and the pay-per-view order')

  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab)
  for (const [name, w] of Object.entries(walks)) {
    const mine = rows.filter((r) => r.caller_number === w.from)
    t.equal(mine.length, 1, `${name}: one CDR`)
    const row = mine[0]
    t.ok(row?.ended_at, `${name}: closed`)
    t.equal(row?.outcome, w.outcome, `${name}: ${w.outcome}`)
    const path = pathOf(row)
    const missing = w.path.filter((n, i) => !path.includes(n) || (n === 'main/main-menu' && w.path.slice(0, i + 1).filter((x) => x === n).length > path.filter((x) => x === n).length))
    t.same(missing, [], `${name}: the IVR path ${JSON.stringify(path)} has ${JSON.stringify(w.path)}`)
  }
})

function tomorrowInShanghai(): string {
  return new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10)
}

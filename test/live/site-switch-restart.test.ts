/**
 * FreeSWITCH restarts under a running `hotline start` (an engineer's `systemctl restart
 * freeswitch`, a crash and its restart): Hotline says so in its health, reconnects by itself, the
 * calls the switch dropped leave closed CDRs with the switch's end time (it writes its CDR files as
 * it hangs them up), nothing of them stays in Hotline, and the next caller is served as usual.
 */
import t, { type Test } from 'tap'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must } from './support/hotline-api.ts'
import { HOTLINE_HTTP } from './support/hotline-process.ts'
import { callerPresses, placeTrunkCall, startLab, type Lab } from './support/lab.ts'
import { journey, siteCdrs } from './support/caller-journey.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(400_000)

const health = (): Promise<{ status?: string; switch?: { state?: string } }> =>
  fetch(`http://${HOTLINE_HTTP.host}:${HOTLINE_HTTP.port}/api/v1/health`).then((r) => r.json() as Promise<{ status?: string; switch?: { state?: string } }>)

async function restartSwitch(t: Test, lab: Lab): Promise<void> {
  const lost = lab.hotline.waitLog((l) => l.msg === 'esl: connection lost; reconnecting', 'Hotline seeing the switch go', { timeoutMs: 60_000, fromNow: true })
  const back = lab.hotline.waitLog((l) => l.msg === 'calls: reconciled with the switch', 'Hotline reconnected and reconciled', { timeoutMs: 90_000, fromNow: true })
  await lab.pbx.stop()
  await lost
  const down = await health()
  t.not(down.switch?.state, 'connected', `health while the switch is down: ${JSON.stringify(down.switch)}`)
  await lab.restartPbx()
  await back
  t.equal((await health()).switch?.state, 'connected', 'connected again, by itself')
}

async function aCallerIsServed(t: Test, lab: Lab, from: string): Promise<void> {
  const since = lab.pbxWatch.mark
  const call = await placeTrunkCall(lab, { from })
  const j = journey(lab, call, since)
  await j.menu('zh/main-menu.wav')
  await callerPresses(lab, call, '8')
  await j.played('en/main-menu.wav')
  await j.hangUp()
  t.pass(`${from}: the IVR answers, plays, takes a key`)
}

t.test('the switch restarts while idle, then while a caller is in the IVR and one waits for an agent', { skip }, async (t) => {
  const lab = await startLab(t)
  await restartSwitch(t, lab)
  await aCallerIsServed(t, lab, '13800000701')

  const since = lab.pbxWatch.mark
  const inIvr = await placeTrunkCall(lab, { from: '13800000702' })
  const waiting = await placeTrunkCall(lab, { from: '13800000703' })
  await journey(lab, inIvr, since).menu('zh/main-menu.wav')
  const w = journey(lab, waiting, since)
  await w.menu('zh/main-menu.wav')
  const held = w.next((e) => e.name === 'CHANNEL_EXECUTE' && (e.header('Application-Data') ?? '').includes('local_stream://moh'), 'on hold', { timeoutMs: 60_000 })
  await callerPresses(lab, waiting, '0')
  await held
  await restartSwitch(t, lab)
  const live = await must(lab.admin.call<{ waiting: unknown[] }>('GET', '/queues/general/live'), 'the queue after the restart')
  t.same(live.waiting, [], 'no ghost caller left in the queue')
  await aCallerIsServed(t, lab, '13800000704')

  await lab.hotline.stop('SIGTERM')
  const rows = siteCdrs(lab)
  t.comment(JSON.stringify(rows.map((r) => ({ caller: r.caller_number, ended_at: r.ended_at, cause: r['hangup_cause'], outcome: r.outcome }))))
  t.equal(rows.length, 4, 'one CDR per call')
  t.ok(rows.every((r) => r.ended_at !== null), 'all closed')
  t.match(rows.find((r) => r.caller_number === '13800000702'), { outcome: 'self-service', hangup_cause: /MANAGER_REQUEST|SYSTEM_SHUTDOWN|NORMAL_CLEARING/ }, 'the IVR caller cut by the restart: self-service, with the switch\'s cause')
  t.match(rows.find((r) => r.caller_number === '13800000703'), { outcome: 'abandoned' }, 'the waiting caller cut by the restart: abandoned')
})

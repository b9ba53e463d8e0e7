import t from 'tap'
import { startSimulator } from '../sim/index.ts'
import { runCli } from './run.ts'
import type { CliIo } from './command.ts'

function io(cwd: string) {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, stopRequested: () => new Promise(() => undefined) }
  return { io, out: () => out, err: () => err }
}

t.test('doctor against a reachable switch reports each check and fails on what is missing', async (t) => {
  const sim = await startSimulator({ password: 'doctor-secret' })
  t.teardown(() => sim.close())
  const c = io(t.testdir({}))
  const code = await runCli(['doctor', '--esl-port', String(sim.port), '--esl-password', 'doctor-secret'], {}, c.io)
  t.match(c.out(), /PASS +ESL reachable and authenticated/)
  t.match(c.out(), /PASS +FreeSWITCH version: FreeSWITCH 1\.11/)
  // The simulator models the capture lab's switch: no gateways of the kit, so doctor must fail.
  t.match(c.out(), /FAIL +Trunk gateway carrier/)
  t.equal(code, 1, 'exit 1 when anything fails')
})

t.test('doctor fails on the default password ClueCon, and says so', async (t) => {
  const sim = await startSimulator({ password: 'ClueCon' })
  t.teardown(() => sim.close())
  const c = io(t.testdir({}))
  const code = await runCli(['doctor', '--json', '--esl-port', String(sim.port), '--esl-password', 'ClueCon'], {}, c.io)
  const report = JSON.parse(c.out()) as { checks: Array<{ id: string; status: string }> }
  t.match(report.checks.find((x) => x.id === 'esl-password'), { status: 'fail' })
  t.match(report.checks.find((x) => x.id === 'esl-connect'), { status: 'pass' })
  t.equal(code, 1)
})

t.test('doctor with a wrong password says the switch refused it', async (t) => {
  const sim = await startSimulator({ password: 'right-one' })
  t.teardown(() => sim.close())
  const c = io(t.testdir({}))
  const code = await runCli(['doctor', '--esl-port', String(sim.port), '--esl-password', 'wrong-one'], {}, c.io)
  t.match(c.out(), /FAIL +ESL reachable and authenticated: .*refused the password/)
  t.equal(code, 1)
})

/**
 * The FreeSWITCH simulator as a process of its own, for the fault suite: a switch that outlives
 * the Hotline process under test (kill -9, restart), as the real one does. Started with
 * `node --import tsx test/fault/sim-process.ts <password> <phones,comma,separated>`; it prints
 * `{"port":N}` once listening, then takes one JSON command per line on stdin and answers one
 * JSON line on stdout each:
 *   {"op":"call","caller":"138…","did":"96200"}        → {"id":1,"leg":"…"}
 *   {"op":"press","id":1,"digits":"0"}                  → {}
 *   {"op":"hangup","id":1}  {"op":"hangupAll"}          → {}
 *   {"op":"loseEvents","n":250} {"op":"stall","ms":75000} {"op":"replyDelay","ms":1500} → {}
 *   {"op":"channels"}                                    → {"channels":[…]}
 */
import { createInterface } from 'node:readline'
import { kitSwitch, startSimulator, type ScriptedCall } from '../../src/sim/index.ts'

const [password = 'fault-secret', phoneList = ''] = process.argv.slice(2)
const phones = Object.fromEntries(phoneList.split(',').filter(Boolean).map((u) => [u, { kind: 'auto-answer' as const, afterMs: 500 }]))
const sim = await startSimulator({ password, domain: kitSwitch.domain, directory: kitSwitch.directory, modules: kitSwitch.modules, phones })
const calls = new Map<number, ScriptedCall>()
let n = 0

type Command = { op: string; id?: number; caller?: string; did?: string; digits?: string; n?: number; ms?: number }

function run(c: Command): unknown {
  const call = c.id === undefined ? undefined : calls.get(c.id)
  switch (c.op) {
    case 'call': {
      const placed = sim.call({ did: c.did ?? '96200', caller: c.caller ?? '13800000000', callerName: 'Fault Caller' })
      calls.set(++n, placed)
      void placed.ended.then(() => calls.delete(n))
      return { id: n, leg: placed.legUuid }
    }
    case 'press':
      call?.press(c.digits ?? '')
      return {}
    case 'hangup':
      call?.hangup()
      return {}
    case 'hangupAll':
      for (const x of calls.values()) x.hangup()
      return { count: calls.size }
    case 'loseEvents':
      sim.loseEvents(c.n ?? 0)
      return {}
    case 'stall':
      sim.stall(c.ms ?? 0)
      return {}
    case 'replyDelay':
      sim.setReplyDelay(c.ms ?? 0)
      return {}
    case 'channels':
      return { channels: sim.channels().map((ch) => ({ uuid: ch.uuid, name: ch.name, answered: ch.answerState === 'answered', parked: ch.parked, bridgedTo: ch.bridgedTo ?? null, offer: ch.variables['hotline_offer_id'] ?? null })) }
    default:
      return { error: `unknown op ${c.op}` }
  }
}

process.stdout.write(JSON.stringify({ port: sim.port }) + '\n')
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  let answer: unknown
  try {
    answer = run(JSON.parse(line) as Command)
  } catch (e) {
    answer = { error: e instanceof Error ? e.message : String(e) }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
})
lines.on('close', () => void sim.close().then(() => process.exit(0)))

/** Fakes for the ACD shell's tests: a CallControl that records and lets the test settle originates, in-memory repositories. */
import { Bus, FakeClock, agentId, channelUuid, err, ok, queueId, seconds, type AgentId, type ChannelUuid, type QueueId, type Result } from '../shared/index.ts'
import type { CallControl, CallControlError, OriginateSpec, PlayOutcome } from '../calls/index.ts'
import { queueConfig, type QueueConfig } from './core/index.ts'
import { AcdService } from './acd-service.ts'
import type { AcdNotice } from './acd-events.ts'
import type { AgentRecord, AgentRepository, CallbackStore, PresenceEntry, PresenceLog, QueueRepository } from './ports.ts'

export interface Sent {
  readonly op: string
  readonly leg: string
  readonly arg?: unknown
}

type OriginateResult = Result<ChannelUuid, CallControlError>

export class FakeControl implements CallControl {
  readonly sent: Sent[] = []
  readonly originates: OriginateSpec[] = []
  readonly #pending = new Map<string, (r: OriginateResult) => void>()
  /** Hold music playing per leg, as on the switch: it ends by a break, a bridge or a hangup. */
  readonly #music = new Map<string, (how: PlayOutcome) => void>()

  #done(op: string, leg: string, arg?: unknown): Promise<Result<void, CallControlError>> {
    this.sent.push(arg === undefined ? { op, leg } : { op, leg, arg })
    return Promise.resolve(ok(undefined))
  }

  answer = (leg: ChannelUuid) => this.#done('answer', leg)
  play = (leg: ChannelUuid, files: readonly string[]) => this.#done('play', leg, files).then(() => ok('played' as const))
  collect = () => Promise.resolve(ok({ kind: 'no-input' as const }))
  record = (leg: ChannelUuid) => this.#done('record', leg)
  setVars = (leg: ChannelUuid, vars: Readonly<Record<string, string>>) => this.#done('setVars', leg, vars)
  /** Legs the switch no longer has: a bridge to one is refused as uuid_bridge refuses it (-ERR Invalid uuid). */
  readonly gone = new Set<string>()
  bridge = (customer: ChannelUuid, agent: ChannelUuid): Promise<Result<void, CallControlError>> => {
    if (this.gone.has(customer) || this.gone.has(agent)) {
      this.sent.push({ op: 'bridge', leg: customer, arg: agent })
      return Promise.resolve(err({ code: 'switch-refused', message: 'uuid_bridge: -ERR Invalid uuid' }))
    }
    return (this.#endMusic(customer, 'interrupted'), this.#done('bridge', customer, agent))
  }
  transfer = (leg: ChannelUuid, dest: string) => (this.#endMusic(leg, 'interrupted'), this.#done('transfer', leg, dest))
  breakMedia = (leg: ChannelUuid, all: boolean) => (this.#endMusic(leg, 'played'), this.#done('break', leg, all))
  hangup = (leg: ChannelUuid, cause: string) => (this.#endMusic(leg, 'interrupted'), this.#done('hangup', leg, cause))

  hold(leg: ChannelUuid, music: string): Promise<Result<PlayOutcome, CallControlError>> {
    this.sent.push({ op: 'hold', leg, arg: music })
    return new Promise((resolve) => this.#music.set(leg, (how) => resolve(ok(how))))
  }

  /** Music still playing on the leg (started by hold, not yet ended). */
  musicOn(leg: string): boolean {
    return this.#music.has(leg)
  }

  #endMusic(leg: string, how: PlayOutcome): void {
    const end = this.#music.get(leg)
    this.#music.delete(leg)
    end?.(how)
  }

  originate(spec: OriginateSpec): Promise<OriginateResult> {
    this.originates.push(spec)
    return new Promise((resolve) => this.#pending.set(spec.uuid, resolve))
  }

  /** The agent answered: the BACKGROUND_JOB said `+OK <uuid>`. */
  answered(uuid: string): void {
    this.#pending.get(uuid)?.(ok(channelUuid(uuid)))
    this.#pending.delete(uuid)
  }

  /** `-ERR <cause>` in the BACKGROUND_JOB (fact 13). */
  failed(uuid: string, cause: string): void {
    this.#pending.get(uuid)?.(err({ code: 'originate-failed', message: cause, cause }))
    this.#pending.delete(uuid)
  }

  /** The connection went while the bgapi was out: its BACKGROUND_JOB is lost. */
  unreachable(uuid: string): void {
    this.#pending.get(uuid)?.(err({ code: 'switch-unreachable', message: 'the connection to the switch was lost' }))
    this.#pending.delete(uuid)
  }

  ops(op: string): Sent[] {
    return this.sent.filter((s) => s.op === op)
  }
}

export class MemoryAgents implements AgentRepository {
  readonly rows = new Map<AgentId, AgentRecord>()
  list = () => Promise.resolve([...this.rows.values()])
  get = (id: AgentId) => Promise.resolve(this.rows.get(id))
  save = (a: AgentRecord) => Promise.resolve(void this.rows.set(a.id, a))
  remove = (id: AgentId) => Promise.resolve(this.rows.delete(id))
}

export class MemoryQueues implements QueueRepository {
  readonly rows = new Map<QueueId, QueueConfig>()
  list = () => Promise.resolve([...this.rows.values()])
  get = (id: QueueId) => Promise.resolve(this.rows.get(id))
  save = (q: QueueConfig) => Promise.resolve(void this.rows.set(q.id, q))
  remove = (id: QueueId) => Promise.resolve(this.rows.delete(id))
}

export class MemoryPresenceLog implements PresenceLog {
  readonly rows: PresenceEntry[] = []
  append = (e: PresenceEntry) => Promise.resolve(void this.rows.push(e))
  latest = () => Promise.resolve(new Map(this.rows.map((r) => [r.agent, r])))
  history = (agent: AgentId) => Promise.resolve(this.rows.filter((r) => r.agent === agent))
}

export const sipAgent = (id: string, user: string, queues: string[] = ['support'], skills: Record<string, number> = {}): AgentRecord => ({
  id: agentId(id), name: id.toUpperCase(), contact: { kind: 'sip', user }, skills: new Map(Object.entries(skills)), queues: queues.map(queueId),
})

export interface ShellWorld {
  readonly clock: FakeClock
  readonly control: FakeControl
  readonly acd: AcdService
  readonly notices: AcdNotice[]
  readonly presenceLog: MemoryPresenceLog
  readonly agents: MemoryAgents
  readonly queues: MemoryQueues
  /** Answers to `api` commands by prefix (show channels, eval, sofia status). */
  readonly api: Map<string, string>
}

/** A started ACD with queue `support` (20 s ring, 10 s wrap-up) and the given agents; no switch state. */
export async function shellWorld(records: AgentRecord[], o: { queue?: Partial<Omit<QueueConfig, 'id'>>; presenceLog?: MemoryPresenceLog; registered?: string[]; callbacks?: CallbackStore } = {}): Promise<ShellWorld> {
  const clock = new FakeClock()
  const control = new FakeControl()
  const agents = new MemoryAgents()
  for (const r of records) agents.rows.set(r.id, r)
  const queues = new MemoryQueues()
  queues.rows.set(queueId('support'), queueConfig(queueId('support'), { ringTimeout: seconds(20), wrapUp: seconds(10), ...o.queue }))
  const presenceLog = o.presenceLog ?? new MemoryPresenceLog()
  const notices: AcdNotice[] = []
  const bus = new Bus<AcdNotice>()
  bus.subscribe((n) => void notices.push(n))
  const api = new Map<string, string>([
    ['show channels', '{"row_count": 0}\n'], ['show bridged_calls', '{"row_count": 0}\n'],
    ['sofia status profile internal reg', (o.registered ?? []).map((u) => `User:       \t${u}@127.0.0.1\n`).join('')],
  ])
  let n = 0
  const acd = new AcdService({
    control, clock, agents, queues, presenceLog, bus, ...(o.callbacks ? { callbacks: o.callbacks } : {}),
    api: (cmd) => {
      for (const [prefix, body] of api) if (cmd.startsWith(prefix)) return Promise.resolve(ok(body))
      return Promise.resolve(ok('-ERR no such channel\n'))
    },
    calls: { call: (id) => ({ customerLeg: channelUuid(`leg-${id}`), caller: { number: '13800000001', name: 'Wang' } }) },
    log: { info: () => undefined, warn: () => undefined },
    dial: { sipDomain: 'hotline.local', pstnGateway: 'carrier' },
    newUuid: () => `agent-leg-${++n}`,
    notReadyReasons: { '1': 'break', '2': 'lunch' },
  })
  await acd.start()
  const recovered = await acd.recover()
  if (!recovered.ok) throw new Error(recovered.error.message)
  return { clock, control, acd, notices, presenceLog, agents, queues, api }
}

/** Lets promise callbacks (originate results, stamped vars) run. */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r))

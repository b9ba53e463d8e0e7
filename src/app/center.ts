/**
 * The whole center around one FreeSWITCH: the switch link, IVR, ACD, customers and work orders,
 * users, recording — built and wired here and nowhere else (the one composition root).
 */
import { resolve } from 'node:path'
import type { Router } from 'express'
import { AcdService, KnexAgentRepository, KnexPresenceLog, KnexQueueRepository, acdRoutes } from '../acd/index.ts'
import type { TokenVerifier } from '../api/index.ts'
import { Crm, crmRoutes } from '../crm/index.ts'
import { FlowLoader, IvrRunner } from '../ivr/index.ts'
import { createRecordingService, recordingRoutes, type RecordingModule } from '../recording/index.ts'
import { failure, queueId, type Clock, type Failure, type Result } from '../shared/index.ts'
import type { Store } from '../store/index.ts'
import { authRoutes, createUserService, userAdminRoutes, type UserService } from '../users/index.ts'
import { WorkOrderDesk, workOrderRoutes } from '../workorders/index.ts'
import type { Config } from './config.ts'
import { ivrPorts } from './ivr-ports.ts'
import type { Logger } from './log.ts'
import { createSwitchLink, type SwitchLink } from './switch-link.ts'

export interface CenterPorts {
  readonly config: Config
  readonly store: Store
  readonly log: Logger
  readonly clock: Clock
  /** Where FreeSWITCH (or the simulator) listens, and its password. */
  readonly esl: { readonly host: string; readonly port: number; readonly password: string }
  /** Folders are resolved against it. */
  readonly cwd: string
}

export interface Center {
  readonly link: SwitchLink
  readonly acd: AcdService
  readonly ivr: IvrRunner
  readonly flows: FlowLoader
  readonly crm: Crm
  readonly desk: WorkOrderDesk
  readonly recording: RecordingModule
  readonly users: UserService
  readonly tokens: TokenVerifier
  readonly routers: readonly Router[]
  /** After migrations: load state, flows, then connect to the switch. */
  start(): Promise<void>
  stop(): Promise<void>
}

export function createCenter(p: CenterPorts): Center {
  const { config, store, log, clock } = p
  const link = createSwitchLink({ ...config.esl, ...p.esl }, store, clock, log)
  const api = async (cmd: string): Promise<Result<string, Failure>> => {
    const r = await link.esl.api(cmd, { timeoutMs: config.esl.commandTimeoutMs })
    return r.ok ? r : { ok: false, error: failure(r.error.code, r.error.message) }
  }
  const crm = new Crm({ db: store, clock, onOutageSuspected: (e) => log.warn({ ...e }, 'crm: an outage is suspected') })
  const desk = new WorkOrderDesk({ db: store, clock, crm })
  const users = createUserService(store, clock)
  const acd = new AcdService({
    control: link.control, api, calls: link.calls, cdr: link.cdr, clock, log: log.child({ module: 'acd' }),
    agents: new KnexAgentRepository(store), queues: new KnexQueueRepository(store), presenceLog: new KnexPresenceLog(store),
    dial: { sipDomain: config.esl.host, pstnGateway: 'carrier' },
  })
  const soundsDir = resolve(p.cwd, config.ivr.soundsDir)
  const flows = new FlowLoader({ scriptsDir: resolve(p.cwd, config.ivr.scriptsDir), soundsDir, clock, log: log.child({ module: 'ivr' }) })
  const ivr = new IvrRunner({
    control: link.control, flows: () => flows.current() ?? undefined, ports: ivrPorts(crm, desk), soundsDir, clock,
    maxPorts: config.ivr.maxPorts, overflow: { kind: 'queue', queue: config.ivr.overflowQueue }, log: log.child({ module: 'ivr' }),
    enqueue: (r) => {
      const tier = r.tier === 'diamond' || r.tier === 'gold' || r.tier === 'silver' ? r.tier : 'standard'
      const q = acd.enqueue(r.call.id, { queue: queueId(r.queue), skills: r.skills, tier, callerNumber: r.call.caller.number, leg: r.leg })
      if (!q.ok) log.error({ call: r.call.id, queue: r.queue, error: q.error }, 'ivr: the ACD refused the caller')
    },
    ended: (e) => link.cdr.patch(e.callId, { ivrEndedAt: e.endedAt, ivrPath: e.path, facts: e.facts }),
  })
  const recording = createRecordingService({
    db: store, api, clock, log: log.child({ module: 'recording' }), config: { ...config.recording, root: resolve(p.cwd, config.recording.root) },
    contextOf: (callId) => {
      const call = link.calls.call(callId)
      const offer = [...acd.state.agents.values()].find((a) => a.activity.kind === 'on-call' && a.activity.call === callId)
      return { ...(offer ? { agentId: offer.id } : {}), ...(call ? { callerNumber: call.caller.number } : {}) }
    },
  })

  link.callEvents.subscribe((e) => ivr.onCallEvent(e))
  link.callEvents.subscribe((e) => acd.onCallEvent(e))
  link.callEvents.subscribe((e) => recording.service.onCallEvent(e))
  link.switchEvents.subscribe((ev) => {
    acd.handleEsl(ev)
    if (ev.name === 'RECORD_START' || ev.name === 'RECORD_STOP') recording.service.onRecordEvent(ev.headers)
  })
  link.onReconnected(async () => {
    await acd.recover()
  })

  const routers = [
    authRoutes(users), userAdminRoutes(users), acdRoutes({ acd }), crmRoutes({ crm, openWorkOrders: desk.openFor }),
    workOrderRoutes({ desk }), recordingRoutes(recording.routeDeps),
  ]
  let unwatch: (() => void) | undefined

  return {
    link, acd, ivr, flows, crm, desk, recording, users, tokens: users, routers,
    async start() {
      await acd.start()
      const loaded = await flows.reload()
      if (!loaded.ok) log.error({ errors: loaded.error.length }, 'ivr: the flows do not load; callers overflow to the queue until they do')
      unwatch = flows.watch()
      recording.sweeper.start()
      link.start()
    },
    async stop() {
      unwatch?.()
      recording.sweeper.stop()
      acd.stop()
      await link.stop()
      await Promise.all([acd.flush(), recording.service.flush()])
    },
  }
}

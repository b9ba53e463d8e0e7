/**
 * The whole center around one FreeSWITCH: the switch link, IVR, ACD, customers and work orders,
 * users, recording — built and wired here and nowhere else (the one composition root).
 */
import { dirname, resolve } from 'node:path'
import { statfs } from 'node:fs/promises'
import type { Router } from 'express'
import { AcdService, CallControls, dialString, KnexAgentRepository, KnexCallbackStore, KnexPresenceLog, KnexQueueRepository, acdRoutes, callRoutes, defaultMedia } from '../acd/index.ts'
import type { StoreStatus, SwitchStatus, TokenVerifier } from '../api/index.ts'
import { DiskWatch } from './disk-watch.ts'
import { siteAlarms } from './site-alarms.ts'
import { Crm, crmRoutes } from '../crm/index.ts'
import { cdrRoutes } from '../cdr/index.ts'
import { FlowLoader, IvrRunner } from '../ivr/index.ts'
import { createRecordingService, recordingRoutes, type RecordingModule } from '../recording/index.ts'
import { agentId, callId as toCallId, channelUuid, failure, ok, queueId, type CallId, type ChannelUuid, type Clock, type Failure, type Result, type TimerHandle } from '../shared/index.ts'
import type { Store } from '../store/index.ts'
import { authRoutes, createUserService, userAdminRoutes, type UserService } from '../users/index.ts'
import { WorkOrderDesk, workOrderRoutes } from '../workorders/index.ts'
import { DEFAULT_DISPOSITIONS, KnexDeliveryLog, PopService, StreamGuard, popRoutes, type CallFacts } from '../screenpop/index.ts'
import { centerMetrics, type CenterMetrics } from './metrics.ts'
import { SupervisionService, supervisionRoutes } from '../supervision/index.ts'
import { DEFAULT_FAX_POLICY, EslFaxPort, KnexFaxStore, createFaxConversion, createFaxService, defaultFaxConfig, faxRoutes, type FaxService } from '../fax/index.ts'
import { randomUUID } from 'node:crypto'
import { KIT_TRUNK_PLAN, TrunkLedger } from './trunk-ledger.ts'
import { HttpSmsGateway, KnexSmsOutboxStore, SmsOutbox, smsRoutes, type SmsGateway } from '../sms/index.ts'
import type { Config } from './config.ts'
import { ivrPorts } from './ivr-ports.ts'
import type { Logger } from './log.ts'
import { createSwitchLink, type SwitchLink } from './switch-link.ts'
import { provideDeclaredQueues } from './declared-queues.ts'

export interface CenterPorts {
  readonly config: Config
  readonly store: Store
  readonly log: Logger
  readonly clock: Clock
  /** Where FreeSWITCH (or the simulator) listens, and its password. */
  readonly esl: { readonly host: string; readonly port: number; readonly password: string }
  /** Folders are resolved against it. */
  readonly cwd: string
  /** The way out for SMS when the site configures none in sms.url (the demo shows them on screen). */
  readonly smsGateway?: SmsGateway
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
  readonly fax: FaxService
  readonly trunks: TrunkLedger
  readonly pops: PopService
  readonly supervision: SupervisionService
  readonly tokens: TokenVerifier
  readonly routers: readonly Router[]
  /** Prometheus metrics (GET /metrics, composed beside the API). */
  readonly metrics: CenterMetrics
  /** Whether the store takes writes and its disk has room (health). */
  storeStatus(): StoreStatus
  /** The switch link for health; `corrections` counts the audit's and the ACD's (orphan agent legs hung up). */
  switchStatus(): SwitchStatus
  /** After migrations: load state, flows, then connect to the switch. */
  start(): Promise<void>
  stop(): Promise<void>
}

/** How often the wallboard's alarm strip is checked against the site's statuses. */
const ALARM_CHECK_MS = 5000

/** Free space under which the database's folder raises the disk alarm (a tenth of a smaller disk). */
export const DB_DISK_ALARM_BYTES = 512 * 1024 * 1024

export function createCenter(p: CenterPorts): Center {
  const { config, store, log, clock } = p
  const link = createSwitchLink({ ...config.esl, ...p.esl }, store, clock, log, resolve(p.cwd, config.paths.switchCdr))
  const api = async (cmd: string): Promise<Result<string, Failure>> => {
    const r = await link.esl.api(cmd, { timeoutMs: config.esl.commandTimeoutMs })
    return r.ok ? r : { ok: false, error: failure(r.error.code, r.error.message) }
  }
  const crm = new Crm({ db: store, clock, onOutageSuspected: (e) => log.warn({ ...e }, 'crm: an outage is suspected') })
  const desk = new WorkOrderDesk({ db: store, clock, crm })
  const users = createUserService(store, clock, { tokenTtlMs: config.auth.tokenTtlMs })
  // Every phone is dialled in FreeSWITCH's directory domain (phones.domain), never at the ESL host.
  const dial = { sipDomain: config.phones.domain, pstnGateway: 'carrier' }
  const acd = new AcdService({
    control: link.control, api, calls: link.calls, cdr: link.cdr, clock, log: log.child({ module: 'acd' }),
    agents: new KnexAgentRepository(store), queues: new KnexQueueRepository(store), presenceLog: new KnexPresenceLog(store), callbacks: new KnexCallbackStore(store),
    // Mandarin prompts on absolute paths under Hotline's sounds folder (media.ts says why).
    media: defaultMedia(resolve(p.cwd, config.ivr.soundsDir)),
    dial,
  })
  // Without a configured gateway every SMS is refused at once (and logged), never silently kept.
  const gateway: SmsGateway = config.sms.url
    ? new HttpSmsGateway({ url: config.sms.url, timeoutMs: config.sms.timeoutMs, clock, ...(config.sms.token ? { token: config.sms.token } : {}) })
    : p.smsGateway ?? { send: () => Promise.resolve({ kind: 'rejected', reason: 'no SMS gateway configured (sms.url)' }) }
  const sms = new SmsOutbox({ store: new KnexSmsOutboxStore(store), gateway, clock, log: log.child({ module: 'sms' }) })
  /** What the IVR learned about each live call, for the screen-pop (kept until the call ends). */
  const learned = new Map<CallId, { path: readonly string[]; facts: CallFacts['facts'] }>()
  const soundsDir = resolve(p.cwd, config.ivr.soundsDir)
  const flows = new FlowLoader({ scriptsDir: resolve(p.cwd, config.ivr.scriptsDir), soundsDir, clock, log: log.child({ module: 'ivr' }) })
  const ivr = new IvrRunner({
    control: link.control, flows: () => flows.current() ?? undefined, ports: ivrPorts(crm, desk, clock), soundsDir, messagesDir: resolve(p.cwd, config.paths.messages), clock,
    maxPorts: config.ivr.maxPorts, overflow: { kind: 'queue', queue: config.ivr.overflowQueue }, log: log.child({ module: 'ivr' }),
    // A phone order's confirmation is recorded as proof and kept a year (retention class order).
    recordCall: (callId, leg) => {
      recording.service.recordConsent(callId, leg)
      recording.service.markOrder(callId)
    },
    sms: async (to, text) => {
      const r = await sms.queue(to, text)
      if (!r.ok) log.warn({ code: r.error.code, to }, `ivr: sms not queued: ${r.error.message}`)
    },
    enqueue: (r) => {
      const tier = r.tier === 'diamond' || r.tier === 'gold' || r.tier === 'silver' ? r.tier : 'standard'
      const q = acd.enqueue(r.call.id, { queue: queueId(r.queue), skills: r.skills, tier, callerNumber: r.call.caller.number, leg: r.leg, ...(r.callback ? { callback: true } : {}) })
      if (!q.ok) log.error({ call: r.call.id, queue: r.queue, error: q.error }, 'ivr: the ACD refused the caller')
    },
    ended: (e) => {
      learned.set(e.callId, { path: e.path, facts: e.facts as CallFacts['facts'] })
      link.cdr.patch(e.callId, { ivrEndedAt: e.endedAt, ivrPath: e.path, facts: e.facts })
    },
  })
  const recording = createRecordingService({
    db: store, api, clock, log: log.child({ module: 'recording' }), config: { ...config.recording, root: resolve(p.cwd, config.recording.root) },
    contextOf: (callId) => {
      const call = link.calls.call(callId)
      const offer = [...acd.state.agents.values()].find((a) => a.activity.kind === 'on-call' && a.activity.call === callId)
      const facts = learned.get(toCallId(callId))?.facts
      const account = facts?.['customer.account'] ?? facts?.['account']
      return {
        ...(offer ? { agentId: offer.id } : {}),
        ...(offer?.activity.kind === 'on-call' ? { queue: offer.activity.queue } : {}),
        ...(typeof account === 'string' ? { customer: account } : {}),
        ...(call ? { callerNumber: call.caller.number } : {}),
      }
    },
  })

  const pops = new PopService({
    clock, log: log.child({ module: 'screenpop' }),
    sources: {
      call: (id) => {
        const c = link.calls.call(id)
        if (!c) return undefined
        const ivrPart = learned.get(id)
        return { caller: c.caller.number, did: c.did, region: c.region, arrivedAt: c.arrivedAt, ivrPath: ivrPart?.path ?? [], facts: ivrPart?.facts ?? {} }
      },
      customer: (by) => crm.findCustomer(by),
      recentContacts: (account, limit) => crm.contacts(account, limit),
      openWorkOrders: async (account) => (await desk.openFor(account)).map((w) => ({ id: w.id, reference: w.reference, type: w.type, status: w.status, summary: w.summary, dueAt: w.dueAt })),
    },
  })
  /** The agent's own leg while on a call: what a supervisor eavesdrops on. */
  const agentLeg = (agent: string): ChannelUuid | undefined => {
    const a = [...acd.state.agents.values()].find((x) => x.id === agent)
    // The tracker has the leg once it saw the bridge; the ACD a moment earlier, from the answer
    // (a supervisor who clicks "listen" as the call is put through is not told "not on a call").
    return a?.activity.kind === 'on-call' ? link.calls.call(a.activity.call)?.agentLeg ?? acd.phoneLeg(a.id) : undefined
  }
  const supervision = new SupervisionService({
    acd: acd.admin, agentLeg: (a) => agentLeg(a), clock,
    alarms: () => siteAlarms({ switch: switchStatusNow(), store: storeStatusNow(), recordingsDisk: recording.sweeper.lastDisk }, clock.now()),
    // A supervisor's phone is the SIP phone of the ACD agent their user is linked to, read at each
    // request: a desk phone assigned through the API counts at once, with no restart.
    supervisorDial: async (userId) => {
      const u = await users.get(userId)
      const a = u?.agentId && u.role !== 'agent' ? acd.admin.agent(agentId(u.agentId)) : undefined
      return a?.contact.kind === 'sip' ? dialString(a.contact, dial) : undefined
    },
    switch: {
      originate: async (spec) => {
        const r = await link.control.originate(spec)
        return r.ok ? r : { ok: false, error: failure(r.error.code, r.error.message) }
      },
      recvDtmf: async (leg, digits) => {
        const r = await api(`uuid_recv_dtmf ${leg} ${digits}`)
        return r.ok ? ok(undefined) : r
      },
      hangup: async (leg) => {
        const r = await link.control.hangup(leg, 'NORMAL_CLEARING')
        return r.ok ? r : { ok: false, error: failure(r.error.code, r.error.message) }
      },
    },
  })
  acd.bus.subscribe((n) => pops.onAcdNotice(n))
  acd.bus.subscribe((n) => supervision.onAcdNotice(n))
  link.switchEvents.subscribe((ev) => {
    const leg = ev.name === 'CHANNEL_HANGUP_COMPLETE' ? ev.header('Unique-ID') : undefined
    if (leg) supervision.legEnded(channelUuid(leg))
  })
  link.callEvents.subscribe((e) => {
    if (e.type === 'call-ended') learned.delete(e.call.id)
  })
  // Hold, hang up and transfers (blind and consulted) asked for from the agent's console.
  const controls = new CallControls({
    acd, calls: link.calls, control: link.control, api, clock, log: log.child({ module: 'call-controls' }), cdr: link.cdr,
    dial,
  })
  link.callEvents.subscribe((e) => controls.onCallEvent(e))
  const trunks = new TrunkLedger(KIT_TRUNK_PLAN, (o, m) => log.warn(o, m))
  const fax = createFaxService({
    config: defaultFaxConfig(resolve(p.cwd, config.paths.fax), {
      policy: { ...DEFAULT_FAX_POLICY, channels: config.fax.channels, maxAttempts: config.fax.maxAttempts },
      faxDids: config.fax.faxDids, noT38Dids: config.fax.noT38Dids, t38Outbound: config.fax.t38Outbound, ringSeconds: config.fax.ringSeconds,
      ...(config.fax.callerIdNumber ? { callerIdNumber: config.fax.callerIdNumber } : {}),
      ...(config.fax.stationId ? { stationId: config.fax.stationId } : {}),
      ...(config.fax.pageHeader ? { pageHeader: config.fax.pageHeader } : {}),
    }),
    calls: link.control,
    // A fax takes minutes: the execute waits longer than any fax, the originate longer than the ring.
    fax: new EslFaxPort({ execute: (u, a, arg) => link.esl.execute(u, a, arg, { timeoutMs: 15 * 60_000 }), bgapi: (cmd) => link.esl.bgapi(cmd, { timeoutMs: 120_000 }) }),
    store: new KnexFaxStore(store), conversion: createFaxConversion(), clock, newId: randomUUID, log: log.child({ module: 'fax' }),
    trunks: { choose: () => trunks.choose('fax'), seatTaken: (uuid, trunk) => trunks.seatTaken(uuid, trunk) },
  })
  link.callEvents.subscribe((e) => trunks.onCallEvent(e))
  // A fax call is the fax service's; every other call goes to the IVR.
  link.callEvents.subscribe((e) => {
    if (e.type === 'call-arrived' && fax.onCallArrived(e.call)) return
    ivr.onCallEvent(e)
  })
  link.switchEvents.subscribe((ev) => {
    if (ev.subclass === 'spandsp::rxfaxresult' || ev.subclass === 'spandsp::txfaxresult') fax.onFaxResult(ev.headers)
  })
  link.callEvents.subscribe((e) => acd.onCallEvent(e))
  link.callEvents.subscribe((e) => recording.service.onCallEvent(e))
  link.switchEvents.subscribe((ev) => {
    acd.handleEsl(ev)
    if (ev.name === 'RECORD_START' || ev.name === 'RECORD_STOP') recording.service.onRecordEvent(ev.headers)
  })
  link.onReconnected(async () => {
    await acd.recover()
    ivr.resumeStalled()
  })

  // The SQLite database's folder is watched for room (PostgreSQL's disk is its server's business).
  const dbDisk = config.db.client === 'better-sqlite3' && config.db.filename !== ':memory:'
    ? new DiskWatch({
      path: dirname(resolve(p.cwd, config.db.filename)), thresholdBytes: DB_DISK_ALARM_BYTES, clock, log: log.child({ module: 'disk' }),
      facts: async (path) => {
        const f = await statfs(path)
        return { freeBytes: f.bavail * f.bsize, totalBytes: f.blocks * f.bsize }
      },
    })
    : undefined

  // One guard per kind of stream, so metrics can count the streams open.
  const popStreams = new StreamGuard(users)
  const boardStreams = new StreamGuard(users)
  const metrics = centerMetrics({
    switchStatus: () => switchStatusNow(), storeStatus: () => storeStatusNow(), ivrCalls: () => ivr.occupancy,
    waiting: () => acd.state.calls.values(), agents: () => acd.state.agents.values(), streamsOpen: () => popStreams.size + boardStreams.size,
    now: () => clock.now(),
  })
  acd.bus.subscribe((n) => metrics.onAcdNotice(n))

  const routers = [
    authRoutes(users), userAdminRoutes(users), acdRoutes({ acd }), crmRoutes({ crm, openWorkOrders: desk.openFor }),
    workOrderRoutes({ desk }), recordingRoutes(recording.routeDeps),
    popRoutes({
      pops, tokens: users, streams: popStreams, clock, deliveries: new KnexDeliveryLog(store),
      settings: { notReadyReasons: ['break', 'lunch', 'training', 'meeting', 'missed-calls'], dispositions: DEFAULT_DISPOSITIONS },
      dispositions: {
        // The wrap-up goes to the CDR and, for a known customer, to their contact history.
        record: async (d) => {
          link.cdr.patch(d.call, { disposition: d.code })
          if (!d.account) return ok(undefined)
          const r = await crm.appendContact({ account: d.account, channel: 'call', direction: 'inbound', summary: `${d.code}${d.notes ? `: ${d.notes}` : ''}`, callId: d.call, agent: d.agent })
          return r.ok ? ok(undefined) : { ok: false, error: failure(r.error.code, r.error.message) }
        },
        handledBy: async (call) => {
          const row = await link.cdrs.get(call)
          return row && { agent: row.agentId }
        },
      },
    }),
    supervisionRoutes({ supervision, tokens: users, streams: boardStreams, clock }),
    faxRoutes({ fax }),
    smsRoutes({ outbox: sms }),
    callRoutes({ controls, acd }),
    cdrRoutes({ cdrs: link.cdrs }),
  ]
  let unwatch: (() => void) | undefined
  let unprovide: (() => void) | undefined
  let alarmTimer: TimerHandle | undefined
  const watchAlarms = (): void => {
    alarmTimer = clock.setTimer(ALARM_CHECK_MS, () => {
      supervision.checkAlarms()
      watchAlarms()
    })
  }
  function switchStatusNow(): SwitchStatus {
    const s = link.status()
    return { ...s, corrections: (s.corrections ?? 0) + acd.orphansHungUp }
  }
  function storeStatusNow(): StoreStatus {
    const cdr = link.cdr.status()
    const disk = dbDisk?.status()
    return { ...cdr, state: cdr.state === 'ok' && !disk?.low ? 'ok' : 'degraded', ...(disk ? { disk } : {}) }
  }

  return {
    link, acd, ivr, flows, crm, desk, recording, users, fax, trunks, pops, supervision, tokens: users, routers, metrics,
    switchStatus: switchStatusNow,
    storeStatus: storeStatusNow,
    async start() {
      await acd.start()
      // On every load, not only this first one: a queue a designer adds to a running flow would
      // otherwise be refused (queue-unknown) until the next restart. Existing queues are never touched.
      const acdLog = log.child({ module: 'acd' })
      unprovide = flows.onLoaded(async (set) => {
        await provideDeclaredQueues(acd.admin, set.queues, config.ivr.overflowQueue, acdLog)
      })
      // reload() waits for the listener: the queues exist before the switch link brings a caller.
      const loaded = await flows.reload()
      if (!loaded.ok) {
        log.error({ errors: loaded.error.length }, 'ivr: the flows do not load; callers overflow to the queue until they do')
        // Nothing declared, but the overflow queue those callers go to must still be checked.
        await provideDeclaredQueues(acd.admin, [], config.ivr.overflowQueue, acdLog)
      }
      unwatch = flows.watch()
      recording.sweeper.start()
      await dbDisk?.start()
      watchAlarms()
      await fax.start()
      sms.start()
      link.start()
    },
    async stop() {
      unwatch?.()
      unprovide?.()
      // A reload under way may still be creating queues: let it finish before the store closes.
      await flows.settled()
      recording.sweeper.stop()
      dbDisk?.stop()
      alarmTimer?.cancel()
      recording.service.stop()
      fax.stop()
      await sms.stop()
      acd.stop()
      await link.stop()
      await Promise.all([acd.flush(), recording.service.flush()])
    },
  }
}

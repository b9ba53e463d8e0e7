/**
 * Every queue the IVR flows declare (`queues:` in ivr-scripts/) exists in the ACD: run at start and
 * again each time edited flows go live (center.ts subscribes to FlowLoader.onLoaded).
 * The flow checker only proves an enqueue names a declared queue; the ACD refuses a caller for a
 * queue it does not have (`queue-unknown`). On a fresh database the ACD has none, so without this
 * step every caller who asks for an agent is refused until an admin creates the queues by hand, and
 * a queue a designer adds while Hotline runs would be refused until the next restart.
 * A missing queue is created with the ACD's defaults; an existing one is never touched, so what an
 * admin tuned over the API (strategy, ring time, wrap-up) survives every restart.
 */
import { queueConfig, type AcdAdmin } from '../acd/index.ts'
import { queueId, type QueueId } from '../shared/index.ts'

export type QueueSetup = Pick<AcdAdmin, 'queues' | 'saveQueue'>

export interface DeclaredQueuesLog {
  info(o: object, msg: string): void
  error(o: object, msg: string): void
}

export interface DeclaredQueuesOutcome {
  /** Queues created now, in name order. */
  readonly created: readonly QueueId[]
  /** The IVR's overflow queue, when it is neither declared nor in the ACD. */
  readonly overflowMissing: string | undefined
}

/** The declared queues the ACD lacks, in name order. */
export function missingQueues(declared: Iterable<string>, existing: Iterable<string>): QueueId[] {
  const have = new Set(existing)
  return [...new Set(declared)].filter((q) => !have.has(q)).sort().map(queueId)
}

/**
 * Creates the declared queues the ACD lacks and logs each one. Then checks the IVR's overflow
 * queue (ivr.overflowQueue): callers go there when the IVR is full or the flows do not load, so a
 * missing one is an error on the log (and a failed `hotline doctor` check), not a silent refusal.
 */
export async function provideDeclaredQueues(
  acd: QueueSetup, declared: Iterable<string>, overflowQueue: string, log: DeclaredQueuesLog,
): Promise<DeclaredQueuesOutcome> {
  const created: QueueId[] = []
  for (const id of missingQueues(declared, acd.queues().map((q) => q.id))) {
    // Asked again just before the write: a queue that appeared meanwhile is an admin's, not ours.
    if (acd.queues().some((q) => q.id === id)) continue
    const r = await acd.saveQueue(queueConfig(id))
    if (!r.ok) {
      log.error({ queue: id, code: r.error.code }, `acd: queue ${id} declared by the IVR flows could not be created: ${r.error.message}`)
      continue
    }
    created.push(id)
    const { strategy, ringTimeout, wrapUp } = r.value
    log.info({ queue: id, strategy, ringTimeoutMs: ringTimeout, wrapUpMs: wrapUp }, `acd: created queue ${id}, declared by the IVR flows, with default settings`)
  }
  const overflowMissing = acd.queues().some((q) => q.id === overflowQueue) ? undefined : overflowQueue
  if (overflowMissing !== undefined) {
    log.error({ queue: overflowMissing }, `ivr: the overflow queue ${overflowMissing} (ivr.overflowQueue) does not exist: callers who find the IVR full are refused; declare it under queues: in ivr-scripts or set ivr.overflowQueue to an existing queue`)
  }
  return { created, overflowMissing }
}

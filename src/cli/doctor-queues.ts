/**
 * Doctor's overflow-queue check: reads what `hotline start` would read (the flows, as the loader
 * validates them, and the ACD's queues in the database) and lets src/doctor judge it.
 */
import { KnexQueueRepository } from '../acd/index.ts'
import type { DbConfig } from '../app/index.ts'
import { judgeOverflowQueue, type LocalCheck } from '../doctor/index.ts'
import { parseFlowSet, readFlowFiles, readSoundCatalog } from '../ivr/index.ts'
import { closeStore, openStore } from '../store/index.ts'

export interface OverflowQueueSite {
  /** ivr.overflowQueue */
  readonly queue: string
  readonly scriptsDir: string
  readonly soundsDir: string
  readonly db: DbConfig
  readonly cwd: string
}

export function overflowQueueCheck(site: OverflowQueueSite): LocalCheck {
  return async () => {
    const [declared, existing] = await Promise.all([declaredQueues(site), storedQueues(site)])
    return judgeOverflowQueue({ queue: site.queue, declared, existing })
  }
}

/** The queues of the flows when they load as the FlowLoader would load them; else undefined. */
async function declaredQueues(site: OverflowQueueSite): Promise<ReadonlySet<string> | undefined> {
  const [files, sounds] = await Promise.all([readFlowFiles(site.scriptsDir), readSoundCatalog(site.soundsDir)])
  const r = parseFlowSet(files, sounds, 1)
  return r.ok ? r.value.queues : undefined
}

/** The ACD's queues, or undefined when the database is not there or not migrated (the database check says so). */
async function storedQueues(site: OverflowQueueSite): Promise<ReadonlySet<string> | undefined> {
  const store = openStore(site.db, site.cwd)
  try {
    return new Set((await new KnexQueueRepository(store).list()).map((q) => q.id))
  } catch {
    return undefined
  } finally {
    await closeStore(store)
  }
}

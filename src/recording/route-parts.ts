/** Pieces the recording and quality routes share. */
import { z } from 'zod'
import type { ApiError, Principal } from '../api/index.ts'
import type { Recording, RecordingStore } from './recording.ts'

/** Epoch milliseconds or an ISO 8601 date-time. */
export const instant = z.string().transform((s, ctx) => {
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s)
  if (Number.isNaN(n)) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date-time' })
    return z.NEVER
  }
  return n
})

export const idParams = z.object({ id: z.string().min(1).max(96) })

export const notFound = (id: string): { error: ApiError } => ({ error: { code: 'recording-not-found', message: `no recording ${id}` } })
export const isSupervisor = (p: Principal): boolean => p.role !== 'agent'

/** The recording if this principal may see it; agents only their own calls. */
export async function visibleRecording(store: RecordingStore, p: Principal | undefined, id: string): Promise<{ rec: Recording } | { error: ApiError }> {
  const rec = await store.get(id)
  if (!rec) return notFound(id)
  if (!p) return { error: { code: 'token-missing', message: 'this route needs a bearer token' } }
  if (isSupervisor(p) || (p.agentId !== undefined && rec.agentId === p.agentId)) return { rec }
  // Someone else's recording answers exactly as a missing one: an agent must not learn, by
  // trying ids, which recordings exist.
  return notFound(id)
}


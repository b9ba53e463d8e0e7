/** A site folder for in-process CLI tests: config, a store with agents, captured output. Test support only. */
import type { Test } from 'tap'
import { KnexAgentRepository } from '../acd/index.ts'
import { agentId } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import type { CliIo } from './command.ts'

export const DB = { client: 'better-sqlite3', filename: './data/h.sqlite' } as const

export function captured(cwd: string) {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, stopRequested: () => new Promise(() => undefined) }
  return { io, out: () => out, err: () => err }
}

/** A folder with hotline.yaml (the test database, plus `extra` YAML) and any other files given. */
export function site(t: Test, extra = '', files: Record<string, unknown> = {}): string {
  return t.testdir({ 'hotline.yaml': `db:\n  filename: ${DB.filename}\n${extra}`, ...files })
}

export type SeedAgent = { id: string; name: string; sip?: string; pstn?: string }

export async function seedAgents(dir: string, agents: readonly SeedAgent[]): Promise<void> {
  const store = openStore(DB, dir)
  try {
    await migrateLatest(store)
    const repo = new KnexAgentRepository(store)
    for (const a of agents) {
      const contact = a.sip !== undefined ? { kind: 'sip' as const, user: a.sip } : { kind: 'pstn' as const, number: a.pstn ?? '' }
      await repo.save({ id: agentId(a.id), name: a.name, contact, skills: new Map(), queues: [] })
    }
  } finally {
    await closeStore(store)
  }
}

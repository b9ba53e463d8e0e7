import type { Knex } from 'knex'
import type { Instant } from '../shared/index.ts'
import { isUserRole, type User } from './core/user.ts'
import type { TokenRecord, UserPatch, UserRecord, UserStore } from './user-store.ts'

interface UserRow {
  id: string
  username: string
  display_name: string
  role: string
  agent_id: string | null
  password_hash: string
  disabled: boolean | number
  created_at: number | string
  updated_at: number | string
}

interface TokenRow {
  token_hash: string
  user_id: string
  created_at: number | string
  last_used_at: number | string
  expires_at: number | string
  revoked_at: number | string | null
}

function fromRow(r: UserRow): UserRecord {
  // A role outside the union can only come from a hand-edited row: a bug, not user input.
  if (!isUserRole(r.role)) throw new Error(`users.role holds an unknown role "${r.role}" for user ${r.id}`)
  return {
    id: r.id, username: r.username, displayName: r.display_name, role: r.role,
    ...(r.agent_id === null ? {} : { agentId: r.agent_id }),
    // SQLite stores booleans as 0/1 and PostgreSQL bigint comes back as a string.
    disabled: Boolean(r.disabled), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), passwordHash: r.password_hash,
  }
}

const withoutHash = ({ passwordHash: _, ...user }: UserRecord): User => user

function tokenFromRow(r: TokenRow): TokenRecord {
  return {
    tokenHash: r.token_hash, userId: r.user_id, createdAt: Number(r.created_at), lastUsedAt: Number(r.last_used_at),
    expiresAt: Number(r.expires_at), ...(r.revoked_at === null ? {} : { revokedAt: Number(r.revoked_at) }),
  }
}

/** SQLite says SQLITE_CONSTRAINT_UNIQUE, PostgreSQL 23505 (unique_violation). */
function isUniqueViolation(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : ''
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}

export class KnexUserStore implements UserStore {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  async insert(u: UserRecord): Promise<boolean> {
    const row: UserRow = {
      id: u.id, username: u.username, display_name: u.displayName, role: u.role, agent_id: u.agentId ?? null,
      password_hash: u.passwordHash, disabled: u.disabled, created_at: u.createdAt, updated_at: u.updatedAt,
    }
    try {
      await this.#db<UserRow>('users').insert(row)
      return true
    } catch (e) {
      if (isUniqueViolation(e)) return false
      throw e
    }
  }

  async byUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.#db<UserRow>('users').where({ username }).first()
    return row ? fromRow(row) : undefined
  }

  async byId(id: string): Promise<UserRecord | undefined> {
    const row = await this.#db<UserRow>('users').where({ id }).first()
    return row ? fromRow(row) : undefined
  }

  async list(): Promise<User[]> {
    const rows = await this.#db<UserRow>('users').orderBy('username')
    return rows.map((r) => withoutHash(fromRow(r)))
  }

  async update(id: string, p: UserPatch, at: Instant): Promise<void> {
    const row: Partial<UserRow> = { updated_at: at }
    if (p.displayName !== undefined) row.display_name = p.displayName
    if (p.role !== undefined) row.role = p.role
    if (p.agentId !== undefined) row.agent_id = p.agentId
    if (p.disabled !== undefined) row.disabled = p.disabled
    if (p.passwordHash !== undefined) row.password_hash = p.passwordHash
    await this.#db<UserRow>('users').where({ id }).update(row)
  }

  async countEnabledAdmins(): Promise<number> {
    const rows: Array<{ n: number | string }> = await this.#db<UserRow>('users').where({ role: 'admin', disabled: false }).count({ n: '*' })
    return Number(rows[0]?.n ?? 0)
  }

  async insertToken(t: TokenRecord): Promise<void> {
    const row: TokenRow = {
      token_hash: t.tokenHash, user_id: t.userId, created_at: t.createdAt, last_used_at: t.lastUsedAt,
      expires_at: t.expiresAt, revoked_at: t.revokedAt ?? null,
    }
    await this.#db<TokenRow>('user_tokens').insert(row)
  }

  async tokenWithUser(tokenHash: string): Promise<{ token: TokenRecord; user: User } | undefined> {
    const token = await this.#db<TokenRow>('user_tokens').where({ token_hash: tokenHash }).first()
    if (!token) return undefined
    const user = await this.byId(token.user_id)
    return user ? { token: tokenFromRow(token), user: withoutHash(user) } : undefined
  }

  async touchToken(tokenHash: string, at: Instant): Promise<void> {
    await this.#db<TokenRow>('user_tokens').where({ token_hash: tokenHash }).update({ last_used_at: at })
  }

  async revokeToken(tokenHash: string, at: Instant): Promise<void> {
    await this.#db<TokenRow>('user_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at').update({ revoked_at: at })
  }

  async revokeTokensOf(userId: string, at: Instant): Promise<void> {
    await this.#db<TokenRow>('user_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: at })
  }
}

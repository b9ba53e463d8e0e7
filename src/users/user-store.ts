import type { Instant } from '../shared/index.ts'
import type { User, UserRole } from './core/user.ts'

/** A user as stored, with the password hash that never leaves the users module. */
export interface UserRecord extends User {
  readonly passwordHash: string
}

export interface UserPatch {
  readonly displayName?: string
  readonly role?: UserRole
  /** null unlinks the user from its ACD agent. */
  readonly agentId?: string | null
  readonly disabled?: boolean
  readonly passwordHash?: string
}

export interface TokenRecord {
  /** SHA-256 of the bearer token, hex. */
  readonly tokenHash: string
  readonly userId: string
  readonly createdAt: Instant
  readonly lastUsedAt: Instant
  readonly expiresAt: Instant
  readonly revokedAt?: Instant
}

/** The port the user service stores through; KnexUserStore implements it. */
export interface UserStore {
  /** false when the username is taken. */
  insert(user: UserRecord): Promise<boolean>
  byUsername(username: string): Promise<UserRecord | undefined>
  byId(id: string): Promise<UserRecord | undefined>
  list(): Promise<User[]>
  update(id: string, patch: UserPatch, at: Instant): Promise<void>
  countEnabledAdmins(): Promise<number>
  insertToken(token: TokenRecord): Promise<void>
  tokenWithUser(tokenHash: string): Promise<{ token: TokenRecord; user: User } | undefined>
  touchToken(tokenHash: string, at: Instant): Promise<void>
  revokeToken(tokenHash: string, at: Instant): Promise<void>
  revokeTokensOf(userId: string, at: Instant): Promise<void>
}

import { randomBytes, randomUUID } from 'node:crypto'
import { err, failure, ok, type Clock, type Failure, type Instant, type Result } from '../shared/index.ts'
import { LoginThrottle, defaultThrottlePolicy, type ThrottlePolicy } from './core/login-throttle.ts'
import { checkPassword, checkUsername, normaliseUsername, removesLastAdmin, type PasswordInvalid, type User, type UserRole, type UsernameInvalid } from './core/user.ts'
import { defaultScryptCost, hashPassword, verifyPassword, type ScryptCost } from './password.ts'
import { mintToken, tokenHash } from './token.ts'
import type { UserStore } from './user-store.ts'

export interface UserServiceOptions {
  /** How long a bearer token lives after login (config auth.tokenTtlMs); default 12 h. */
  readonly tokenTtlMs?: number
  readonly throttle?: ThrottlePolicy
  /** Tests lower it; production keeps the default. */
  readonly scryptCost?: ScryptCost
}

/** Who holds a valid token; the same shape as the API's Principal. */
export interface SessionPrincipal {
  readonly userId: string
  readonly username: string
  readonly role: UserRole
  readonly agentId?: string
}

export interface Grant {
  readonly token: string
  readonly expiresAt: Instant
  readonly user: User
}

export type RateLimited = Failure<'rate-limited'> & { readonly retryAfterMs: number }
export type LoginFailure = Failure<'login-failed'> | RateLimited
export type UserNotFound = Failure<'user-not-found'>
export type CreateFailure = Failure<'user-exists'> | UsernameInvalid | PasswordInvalid
export type UpdateFailure = UserNotFound | Failure<'last-admin'>

export interface NewUser {
  readonly username: string
  readonly password: string
  readonly role: UserRole
  readonly displayName?: string
  readonly agentId?: string
}

export interface UserChange {
  readonly role?: UserRole
  readonly disabled?: boolean
  readonly displayName?: string
  readonly agentId?: string | null
}

export interface UserService {
  login(username: string, password: string, client: string): Promise<Result<Grant, LoginFailure>>
  /** Revokes this token; an unknown or already revoked token is a no-op. */
  logout(token: string): Promise<void>
  /** The TokenVerifier port of the API: undefined for unknown, expired, revoked or disabled. */
  verify(token: string): Promise<SessionPrincipal | undefined>
  list(): Promise<User[]>
  get(id: string): Promise<User | undefined>
  create(input: NewUser): Promise<Result<User, CreateFailure>>
  update(id: string, change: UserChange): Promise<Result<User, UpdateFailure>>
  /** Sets a new password and revokes every token of the user. */
  resetPassword(id: string, password: string): Promise<Result<void, UserNotFound | PasswordInvalid>>
  /** Told of every token revoked before its time (logout; disabled user, password reset: all of theirs). */
  onRevoked(fn: (r: { readonly token: string } | { readonly userId: string }) => void): () => void
}

/** One long shift: an agent logs in once a day. */
export const DEFAULT_TOKEN_TTL_MS = 12 * 60 * 60_000
/** last_used_at is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000
const LOGIN_FAILED = 'wrong username or password'

const principalOf = (u: User): SessionPrincipal =>
  ({ userId: u.id, username: u.username, role: u.role, ...(u.agentId === undefined ? {} : { agentId: u.agentId }) })

function publicUser(u: User & { readonly passwordHash?: string }): User {
  const { passwordHash: _, ...rest } = u
  return rest
}

export function userService(store: UserStore, clock: Clock, options: UserServiceOptions = {}): UserService {
  const ttl = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS
  const cost = options.scryptCost ?? defaultScryptCost
  const throttle = new LoginThrottle(clock, options.throttle ?? defaultThrottlePolicy)
  // Verified against when the username does not exist, so that a miss costs the same scrypt
  // time as a wrong password and response times do not reveal which usernames exist.
  let decoy: Promise<string> | undefined
  const revokedListeners = new Set<(r: { readonly token: string } | { readonly userId: string }) => void>()
  const revoked = (r: { readonly token: string } | { readonly userId: string }): void => {
    for (const fn of revokedListeners) fn(r)
  }

  // Attempts on one username run one after another: otherwise a burst of parallel guesses
  // would all pass admit() during scrypt, before the first failure is counted.
  const inFlight = new Map<string, Promise<unknown>>()
  function login(rawUsername: string, password: string, client: string): Promise<Result<Grant, LoginFailure>> {
    const username = normaliseUsername(rawUsername)
    const previous = inFlight.get(username) ?? Promise.resolve()
    const attempt = previous.then(() => attemptLogin(username, password, client))
    const settled = attempt.catch(() => undefined)
    inFlight.set(username, settled)
    void settled.then(() => { if (inFlight.get(username) === settled) inFlight.delete(username) })
    return attempt
  }

  async function attemptLogin(username: string, password: string, client: string): Promise<Result<Grant, LoginFailure>> {
    const admission = throttle.admit(username, client)
    if (!admission.allowed) {
      const seconds = Math.ceil(admission.retryAfterMs / 1000)
      return err({ ...failure('rate-limited', `too many failed logins; try again in ${seconds} s`), retryAfterMs: admission.retryAfterMs })
    }
    const user = await store.byUsername(username)
    decoy ??= hashPassword(randomBytes(16).toString('hex'), cost)
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoy))
    if (!user || !matches || user.disabled) {
      throttle.failed(username, client)
      return err(failure('login-failed', LOGIN_FAILED))
    }
    throttle.succeeded(username, client)
    const now = clock.now()
    const token = mintToken()
    await store.insertToken({ tokenHash: tokenHash(token), userId: user.id, createdAt: now, lastUsedAt: now, expiresAt: now + ttl })
    return ok({ token, expiresAt: now + ttl, user: publicUser(user) })
  }

  async function verify(token: string): Promise<SessionPrincipal | undefined> {
    const hash = tokenHash(token)
    const found = await store.tokenWithUser(hash)
    const now = clock.now()
    if (!found || found.token.revokedAt !== undefined || found.token.expiresAt <= now || found.user.disabled) return undefined
    if (now - found.token.lastUsedAt >= TOUCH_EVERY_MS) await store.touchToken(hash, now)
    return principalOf(found.user)
  }

  async function create(input: NewUser): Promise<Result<User, CreateFailure>> {
    const username = checkUsername(input.username)
    if (!username.ok) return username
    const password = checkPassword(input.password)
    if (!password.ok) return password
    const now = clock.now()
    const user: User = {
      id: randomUUID(), username: username.value, displayName: input.displayName?.trim() || username.value, role: input.role,
      ...(input.agentId === undefined ? {} : { agentId: input.agentId }), disabled: false, createdAt: now, updatedAt: now,
    }
    const inserted = await store.insert({ ...user, passwordHash: await hashPassword(password.value, cost) })
    return inserted ? ok(user) : err(failure('user-exists', `a user named "${username.value}" already exists`))
  }

  async function update(id: string, change: UserChange): Promise<Result<User, UpdateFailure>> {
    const user = await store.byId(id)
    if (!user) return err(notFound(id))
    const next = { role: change.role ?? user.role, disabled: change.disabled ?? user.disabled }
    if (removesLastAdmin(user, next, await store.countEnabledAdmins())) {
      return err(failure('last-admin', 'this is the last enabled admin: create or enable another admin first'))
    }
    const now = clock.now()
    await store.update(id, change, now)
    // A disabled user's tokens die now, and stay dead if the user is enabled again later.
    if (next.disabled && !user.disabled) {
      await store.revokeTokensOf(id, now)
      revoked({ userId: id })
    }
    const updated = await store.byId(id)
    if (!updated) return err(notFound(id))
    return ok(publicUser(updated))
  }

  async function resetPassword(id: string, password: string): Promise<Result<void, UserNotFound | PasswordInvalid>> {
    const checked = checkPassword(password)
    if (!checked.ok) return checked
    if (!(await store.byId(id))) return err(notFound(id))
    const now = clock.now()
    await store.update(id, { passwordHash: await hashPassword(checked.value, cost) }, now)
    await store.revokeTokensOf(id, now)
    revoked({ userId: id })
    return ok(undefined)
  }

  return {
    login,
    verify,
    create,
    update,
    resetPassword,
    async logout(token) {
      await store.revokeToken(tokenHash(token), clock.now())
      revoked({ token })
    },
    onRevoked(fn) {
      revokedListeners.add(fn)
      return () => void revokedListeners.delete(fn)
    },
    list: () => store.list(),
    get: async (id) => {
      const u = await store.byId(id)
      return u ? publicUser(u) : undefined
    },
  }
}

const notFound = (id: string): UserNotFound => failure('user-not-found', `no user with id "${id}"`)

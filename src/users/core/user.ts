/**
 * Users of Hotline and the pure rules about them: what a valid username and password look like,
 * and which roles exist. No I/O here: hashing and storage live in the shell around this core.
 */
import { err, failure, ok, type Failure, type Instant, type Result } from '../../shared/index.ts'

/** Same values as the API's Role (src/api/route.ts); kept here so the domain owns its vocabulary. */
export type UserRole = 'agent' | 'supervisor' | 'admin'
export const USER_ROLES: readonly UserRole[] = ['agent', 'supervisor', 'admin']

export interface User {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly role: UserRole
  /** The ACD agent this user logs in as, when the user takes calls. */
  readonly agentId?: string
  readonly disabled: boolean
  readonly createdAt: Instant
  readonly updatedAt: Instant
}

/** Usernames are compared case-insensitively: "Lin" and "lin" are one user. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/
export const PASSWORD_MIN = 10
/** An upper bound keeps one request from making scrypt hash megabytes. */
export const PASSWORD_MAX = 200

export type UsernameInvalid = Failure<'username-invalid'>
export type PasswordInvalid = Failure<'password-invalid'>

export const normaliseUsername = (raw: string): string => raw.trim().toLowerCase()

export function checkUsername(raw: string): Result<string, UsernameInvalid> {
  const name = normaliseUsername(raw)
  if (USERNAME_PATTERN.test(name)) return ok(name)
  return err(failure('username-invalid', 'a username is 2 to 64 characters: letters, digits, ".", "_", "@" or "-", starting with a letter or digit'))
}

export function checkPassword(password: string): Result<string, PasswordInvalid> {
  if (password.length < PASSWORD_MIN) return err(failure('password-invalid', `a password has at least ${PASSWORD_MIN} characters`))
  if (password.length > PASSWORD_MAX) return err(failure('password-invalid', `a password has at most ${PASSWORD_MAX} characters`))
  return ok(password)
}

export const isUserRole = (s: string): s is UserRole => (USER_ROLES as readonly string[]).includes(s)

/**
 * Whether a change would leave no enabled admin: then nobody could manage users from the API
 * any more, and the site would need the command line to recover.
 */
export function removesLastAdmin(target: User, next: { role: UserRole; disabled: boolean }, enabledAdmins: number): boolean {
  const wasActiveAdmin = target.role === 'admin' && !target.disabled
  const staysActiveAdmin = next.role === 'admin' && !next.disabled
  return wasActiveAdmin && !staysActiveAdmin && enabledAdmins <= 1
}

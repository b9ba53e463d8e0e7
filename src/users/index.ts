import type { Clock } from '../shared/index.ts'
import type { Store } from '../store/index.ts'
import { KnexUserStore } from './knex-user-store.ts'
import { userService, type UserService, type UserServiceOptions } from './user-service.ts'

/** The users module over the shared knex store: login, tokens, and user administration. */
export function createUserService(store: Store, clock: Clock, options: UserServiceOptions = {}): UserService {
  return userService(new KnexUserStore(store), clock, options)
}

export { DEFAULT_TOKEN_TTL_MS, userService } from './user-service.ts'
export type { Grant, LoginFailure, NewUser, SessionPrincipal, UserChange, UserService, UserServiceOptions } from './user-service.ts'
export { USER_ROLES, PASSWORD_MIN, PASSWORD_MAX, type User, type UserRole } from './core/user.ts'
export { defaultThrottlePolicy, LoginThrottle, type ThrottlePolicy } from './core/login-throttle.ts'
export { ProgressiveDelay, delayAfter, type Admission, type DelayPolicy } from './core/progressive-delay.ts'
export type { ScryptCost } from './password.ts'
export { authRoutes, userAdminRoutes } from './http-routes.ts'

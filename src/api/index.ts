export { createApi, type ApiDeps } from './app.ts'
export { healthBody, type HealthBody, type SwitchState, type SwitchStatus } from './health.ts'
export { httpStatusByCode, sendError, type ApiError, type ApiErrorCode, type ApiLog } from './errors.ts'
export { route, newRouter, principalOf, roleAllows, registeredRoutes, ROLES, type Role, type Principal, type RouteSpec, type Parsed, type Outcome, type HttpMethod } from './route.ts'

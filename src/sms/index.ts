/** SMS: an outbox table, a sender loop with retries, a pluggable gateway (generic HTTP adapter), the supervisor's list. */
export * from './core/index.ts'
export { SmsOutbox, DEFAULT_POLL_MS, DEFAULT_LEASE_MS, type SmsOutboxDeps, type SmsMeta, type SmsQueueError, type SmsLog } from './sms-outbox.ts'
export { HttpSmsGateway, outcomeOf, type HttpSmsGatewayOptions } from './http-sms-gateway.ts'
export { KnexSmsOutboxStore } from './knex-sms-outbox-store.ts'
export { smsRoutes, type SmsRouteDeps } from './sms-routes.ts'
export { SMS_STATUSES, type SmsStatus, type SmsMessage, type OutgoingSms, type SmsGateway, type SmsOutboxStore } from './ports.ts'

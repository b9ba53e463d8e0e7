/** Screen-pop: the pure pop builder and board (./core), the shell on the ACD's bus, the SSE push channel, the CRM webhook. */
export * from './core/index.ts'
export { PopService, type PopServiceDeps, type PopLog, type NumberedPush } from './pop-service.ts'
export { popRoutes, DEFAULT_DISPOSITIONS, type PopRouteDeps, type ConsoleSettings } from './pop-routes.ts'
export { queryToken, openEventStream, StreamGuard, DEFAULT_STREAM_LIMITS, KEEPALIVE_MS, RECONNECT_MS, type SseStream, type StreamLimits } from './event-stream.ts'
export { CrmWebhook, signPayload, verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER, type CrmWebhookDeps } from './crm-webhook.ts'
export { KnexDeliveryLog } from './knex-delivery-log.ts'
export type { PopSources, WebhookTarget, WebhookTargets, DeliveryAttempt, DeliveryLog, DeliveryStatus, PopSink, DispositionSink, Disposition } from './ports.ts'

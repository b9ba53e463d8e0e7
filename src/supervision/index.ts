/** Supervision: the wallboard and listen / whisper / barge (FreeSWITCH eavesdrop). */
export * from './core/index.ts'
export { SupervisionService, DEFAULT_TALLY_POLICY, type AcdReadModel, type AgentLike, type EavesdropSwitch, type SupervisionDeps, type EavesdropSession, type SupervisionError, type WallboardAlarm } from './supervision-service.ts'
export { supervisionRoutes, type SupervisionRouteDeps } from './supervision-routes.ts'

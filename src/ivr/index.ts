/** The IVR module: flow files, the pure interpreter, hot reload and the designer tools. */
export type { Flow, FlowNode, FlowSet, Lang, NodeType, PromptId, Calendar, Entry } from './core/flow.ts'
export { langs, nodeTypes } from './core/flow.ts'
export type { FactValue, Facts } from './core/expr.ts'
export type { FlowError } from './core/locate.ts'
export { formatFlowError } from './core/locate.ts'
export type { SoundCatalog } from './core/check.ts'
export { parseFlowSet, type FlowFileText } from './core/parse.ts'
export { say, sayPrompts } from './core/say.ts'
export { openState, type OpenState } from './core/calendar.ts'
export { wavProblem, readWavFormat } from './core/wav.ts'
export {
  startSession, pathLimit,
  type Customer, type Outage, type Tier, type LookupQuery, type WorkOrderRequest,
  type IvrEffect, type IvrInput, type IvrEvent, type IvrOutcome, type IvrSession, type StepResult, type Waiting,
} from './core/session.ts'
export { step } from './core/step.ts'
export { FlowLoader, type FlowLoadStatus, type FlowLoaderOptions, type FlowLog, type FlowsLoaded } from './loader.ts'
export { readFlowFiles, readSoundCatalog } from './sources.ts'
export { answerLookup, answerWorkOrder, type CustomerDirectory, type OutageBoard, type WorkOrderDesk, type IvrPorts } from './ports.ts'
export { samplePorts, sampleCustomers, sampleOutages } from './sample-customers.ts'
export { ivrCheck, type ToolResult } from './ivr-check.ts'
export { ivrTry, dryRun, parseAt, type IvrTryOptions, type DryRun } from './ivr-try.ts'
export { IvrRunner, type IvrRunnerDeps, type EnqueueRequest, type IvrEnded, type Overflow } from './runner.ts'

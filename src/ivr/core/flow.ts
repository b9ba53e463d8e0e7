/**
 * The typed shape of a loaded flow set: what the parser produces and the interpreter walks.
 * Everything here is already validated; the interpreter never meets an unknown node or target.
 */
import type { Expr } from './expr.ts'

export type Lang = 'zh' | 'en'
export const langs: readonly Lang[] = ['zh', 'en']

/** A prompt id, e.g. `welcome`: played as `<lang>/<id>.wav` under the sounds directory. */
export type PromptId = string

export interface PlayNode { readonly type: 'play'; readonly prompts: readonly PromptId[]; readonly next: string }
export type SayAs = 'number' | 'digits' | 'money' | 'date'
export interface SayNode {
  readonly type: 'say'; readonly as: SayAs; readonly value: Expr
  readonly before: readonly PromptId[]; readonly after: readonly PromptId[]; readonly next: string
}
export interface MenuNode {
  readonly type: 'menu'; readonly prompts: readonly PromptId[]
  readonly options: ReadonlyMap<string, string>
  readonly timeout: number; readonly retries: number
  readonly invalid: readonly PromptId[]; readonly noInput: readonly PromptId[]
  readonly fallback: string; readonly into: string | undefined
}
export interface CollectNode {
  readonly type: 'collect'; readonly prompts: readonly PromptId[]; readonly into: string
  readonly min: number; readonly max: number; readonly terminator: string; readonly timeout: number
  readonly pattern: RegExp | undefined; readonly retries: number
  readonly invalid: readonly PromptId[]; readonly next: string; readonly fallback: string
}
export interface LookupCustomerNode {
  readonly type: 'lookup-customer'; readonly by: 'caller' | 'account'; readonly account: Expr
  readonly found: string; readonly missing: string
}
export interface SetNode { readonly type: 'set'; readonly facts: ReadonlyMap<string, Expr>; readonly next: string }
export interface BranchNode {
  readonly type: 'branch'; readonly cases: readonly { readonly if: Expr; readonly next: string }[]; readonly else: string
}
export interface HoursNode {
  readonly type: 'hours'; readonly calendar: string
  readonly open: string; readonly closed: string; readonly holiday: string
}
export interface OutageNode { readonly type: 'outage'; readonly area: Expr; readonly active: string; readonly none: string }
export type WorkOrderKind = 'repair' | 'installation' | 'ppv-order'
export interface WorkOrderNode {
  readonly type: 'work-order'; readonly kind: WorkOrderKind; readonly details: ReadonlyMap<string, Expr>
  readonly into: string; readonly next: string; readonly failed: string
}
export interface EnqueueNode {
  readonly type: 'enqueue'; readonly queue: string; readonly skills: ReadonlyMap<string, number>
  readonly tier: Expr; readonly prompts: readonly PromptId[]
}
/** Like enqueue, but the caller is called back instead of waiting: the place in the queue is kept. */
export interface CallbackNode {
  readonly type: 'callback'; readonly queue: string; readonly skills: ReadonlyMap<string, number>
  readonly tier: Expr; readonly prompts: readonly PromptId[]
}
export interface TransferNode { readonly type: 'transfer'; readonly to: string; readonly prompts: readonly PromptId[] }
export interface RecordNode {
  readonly type: 'record'; readonly mode: 'message' | 'call'; readonly prompts: readonly PromptId[]
  readonly into: string; readonly maxSeconds: number; readonly next: string
}
export interface SmsNode {
  readonly type: 'sms'; readonly to: Expr; readonly text: Readonly<Record<Lang, string>>; readonly next: string
}
export interface HangupNode { readonly type: 'hangup'; readonly prompts: readonly PromptId[] }
export interface GotoNode { readonly type: 'goto'; readonly flow: string; readonly node: string | undefined }
export interface LanguageNode { readonly type: 'language'; readonly lang: Lang; readonly next: string }

export type FlowNode =
  | PlayNode | SayNode | MenuNode | CollectNode | LookupCustomerNode | SetNode | BranchNode | HoursNode
  | OutageNode | WorkOrderNode | EnqueueNode | CallbackNode | TransferNode | RecordNode | SmsNode | HangupNode | GotoNode
  | LanguageNode

export type NodeType = FlowNode['type']
export const nodeTypes: readonly NodeType[] = [
  'play', 'say', 'menu', 'collect', 'lookup-customer', 'set', 'branch', 'hours', 'outage', 'work-order',
  'enqueue', 'callback', 'transfer', 'record', 'sms', 'hangup', 'goto', 'language',
]

export interface Flow {
  readonly name: string
  readonly start: string
  readonly nodes: ReadonlyMap<string, FlowNode>
}

export interface Entry { readonly flow: string; readonly lang: Lang }

export interface Calendar {
  readonly timezone: string
  /** Opening intervals per ISO weekday (1 = Monday … 7 = Sunday), minutes after local midnight. */
  readonly hours: ReadonlyMap<number, readonly { readonly from: number; readonly to: number }[]>
  /** Local dates, `YYYY-MM-DD`. */
  readonly holidays: ReadonlySet<string>
}

/**
 * One immutable version of every flow. A call keeps the object it started with, so a hot reload
 * never changes the menu under a caller's feet.
 */
export interface FlowSet {
  readonly version: number
  readonly entries: ReadonlyMap<string, Entry>
  readonly flows: ReadonlyMap<string, Flow>
  readonly queues: ReadonlySet<string>
  readonly calendars: ReadonlyMap<string, Calendar>
}

/**
 * The IVR's overflow queue (ivr.overflowQueue): where callers go when every IVR port is busy or
 * the flows do not load. `hotline start` creates the queues the flows declare, so the overflow
 * queue is fine when the flows declare it or the ACD already has it; otherwise the ACD refuses
 * those callers (queue-unknown) exactly when the center is busiest.
 */

export interface OverflowQueueFacts {
  /** ivr.overflowQueue */
  readonly queue: string
  /** `queues:` of the flows as they load now; undefined when they do not load. */
  readonly declared: ReadonlySet<string> | undefined
  /** Queues in the ACD's database; undefined when it cannot be read (not created or migrated yet). */
  readonly existing: ReadonlySet<string> | undefined
}

export interface OverflowQueueVerdict {
  readonly status: 'pass' | 'fail'
  readonly detail: string
  readonly hint?: string
}

export function judgeOverflowQueue(f: OverflowQueueFacts): OverflowQueueVerdict {
  const q = f.queue
  if (f.existing?.has(q) === true) return { status: 'pass', detail: `${q}: an ACD queue` }
  if (f.declared?.has(q) === true) return { status: 'pass', detail: `${q}: declared in the IVR flows; \`hotline start\` creates it` }
  const why = f.declared === undefined ? 'the flows do not load, so `hotline start` creates none of their queues' : 'not declared under queues: in the flows'
  const known = [...new Set([...(f.declared ?? []), ...(f.existing ?? [])])].sort()
  const choose = known.length > 0 ? `, or set ivr.overflowQueue to one of ${known.join(', ')}` : ', or set ivr.overflowQueue to a queue that exists'
  return {
    status: 'fail',
    detail: `ivr.overflowQueue ${q} is no ACD queue (${why}): callers who find the IVR full are refused`,
    hint: `Declare ${q} under queues: in ivr-scripts/hotline.yaml (\`hotline start\` creates it), create it with PUT /api/v1/queues/${q}${choose}.`,
  }
}

import type { CallControl } from '../../src/calls/index.ts'

export interface ControlLog {
  readonly control: CallControl
  /** Every operation in order, e.g. `play zh/welcome.wav`, `collect zh/main-menu.wav`. */
  readonly ops: string[]
  count(prefix: string): number
}

/** Wraps a real CallControl and records what was asked of it, with prompt paths made short. */
export function spyControl(inner: CallControl, soundsDir: string): ControlLog {
  const ops: string[] = []
  const short = (f: string): string => f.replace(soundsDir + '/', '')
  const wrapped: CallControl = {
    answer: (leg, o) => (ops.push('answer'), inner.answer(leg, o)),
    play: (leg, files, o) => (ops.push(`play ${files.map(short).join(' ')}`), inner.play(leg, files, o)),
    collect: (leg, spec, o) => (ops.push(`collect ${spec.prompts.map(short).join(' ')}`), inner.collect(leg, spec, o)),
    record: (leg, file, max, o) => (ops.push(`record ${max}`), inner.record(leg, file, max, o)),
    setVars: (leg, vars, o) => inner.setVars(leg, vars, o),
    bridge: (a, b, o) => (ops.push('bridge'), inner.bridge(a, b, o)),
    originate: (s, o) => (ops.push(`originate ${s.dial}`), inner.originate(s, o)),
    transfer: (leg, to, ctx, o) => (ops.push(`transfer ${to}`), inner.transfer(leg, to, ctx, o)),
    breakMedia: (leg, all, o) => inner.breakMedia(leg, all, o),
    hold: (leg, music, o) => (ops.push('hold'), inner.hold(leg, music, o)),
    hangup: (leg, cause, o) => (ops.push(`hangup ${cause}`), inner.hangup(leg, cause, o)),
  }
  return { control: wrapped, ops, count: (p) => ops.filter((x) => x.startsWith(p)).length }
}

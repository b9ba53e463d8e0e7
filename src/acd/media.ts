/** What callers and agents hear from the ACD. Paths are handed to FreeSWITCH as they are. */
export interface AcdMedia {
  /** Endless hold music (esl-captures fact 7: `local_stream://moh` plays until broken). */
  readonly moh: string
  /** Position (1-based) and estimated wait (seconds, undefined when unknown) → prompts. */
  readonly announcement: (position: number, estimatedWaitSeconds: number | undefined) => readonly string[]
  readonly callbackConfirmed: readonly string[]
  /** After a feature code worked / failed (an unknown extension, an unknown reason). */
  readonly featureDone: string
  readonly featureFailed: string
}

/** Numbers 0-99 from the prompts in sounds/<lang>/ (num-N.wav, tens as num-20 … num-90). */
export function numberPrompts(dir: string, n: number): string[] {
  if (n < 0 || !Number.isInteger(n) || n > 99) return []
  if (n <= 20 || n % 10 === 0) return [`${dir}/num-${n}.wav`]
  return [`${dir}/num-${n - (n % 10)}.wav`, `${dir}/num-${n % 10}.wav`]
}

export function defaultMedia(dir = 'sounds/en'): AcdMedia {
  return {
    moh: 'local_stream://moh',
    announcement: (position, est) => {
      const minutes = est === undefined ? undefined : Math.max(1, Math.ceil(est / 60))
      return [`${dir}/please-hold.wav`, ...numberPrompts(dir, position), ...(minutes === undefined ? [] : numberPrompts(dir, minutes))]
    },
    callbackConfirmed: [`${dir}/message-saved.wav`, `${dir}/goodbye.wav`],
    featureDone: 'tone_stream://%(200,0,800)',
    featureFailed: 'tone_stream://%(250,250,450);loops=3',
  }
}

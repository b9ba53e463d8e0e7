/** The `recording` config section, with defaults; the lead adds it to the app config schema. */
import { z } from 'zod'
import { checkPathPattern, defaultRetention, type RecordingPolicy, type RetentionPolicy } from './core/index.ts'

export const recordingConfigSchema = z.object({
  /** Shared by FreeSWITCH (writes) and Hotline (hashes, plays, deletes): same host, same path. */
  root: z.string().min(1).default('./var/recordings'),
  pathPattern: z.string().default('{yyyy}/{mm}/{dd}/{callId}-{segment}.{ext}').superRefine((p, ctx) => {
    const problem = checkPathPattern(p)
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
  }),
  format: z.enum(['wav', 'mp3']).default('wav'),
  stereo: z.boolean().default(false),
  recordAgentCalls: z.boolean().default(true),
  queues: z.record(z.string(), z.boolean()).default({}),
  agents: z.record(z.string(), z.boolean()).default({}),
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(0),
  retention: z.object({
    floorDays: z.number().int().min(31).default(31),
    classes: z.record(z.string(), z.object({ minimumDays: z.number().int().min(1) })).default(defaultRetention.classes),
  }).default({ floorDays: 31, classes: defaultRetention.classes }),
  sweepEveryMinutes: z.number().int().min(1).default(24 * 60),
  freeSpaceAlarmMb: z.number().int().min(0).default(5 * 1024),
  stopGraceSeconds: z.number().int().min(1).default(60),
})

export type RecordingConfig = z.infer<typeof recordingConfigSchema>

export const policyOf = (c: RecordingConfig): RecordingPolicy => ({
  recordAgentCalls: c.recordAgentCalls, queues: c.queues, agents: c.agents, stereo: c.stereo, format: c.format,
  root: c.root, pathPattern: c.pathPattern, utcOffsetMinutes: c.utcOffsetMinutes,
})

export const retentionOf = (c: RecordingConfig): RetentionPolicy => ({
  floorDays: c.retention.floorDays, classes: { ...defaultRetention.classes, ...c.retention.classes },
})

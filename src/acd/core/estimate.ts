/**
 * Estimated wait from live data, for the periodic announcement:
 *
 *   estimatedWait = ceil( position × AHT / staffed )      (seconds)
 *
 * AHT is the mean handle time (talk + wrap-up) of the queue's last 20 calls, or the queue's
 * `defaultHandleTime` before it has any; staffed counts the queue's agents who are ready and
 * registered, busy or not. With nobody staffed there is no honest estimate: undefined.
 */
import type { QueueConfig } from './model.ts'
import type { QueueLine } from './queue-line.ts'

export function averageHandleTime(line: QueueLine, q: QueueConfig): number {
  if (line.recentHandle.length === 0) return q.defaultHandleTime
  let sum = 0
  for (const ms of line.recentHandle) sum += ms
  return sum / line.recentHandle.length
}

export function estimatedWaitSeconds(line: QueueLine, q: QueueConfig, position: number): number | undefined {
  if (line.staffed <= 0) return undefined
  return Math.ceil((position * averageHandleTime(line, q)) / line.staffed / 1000)
}

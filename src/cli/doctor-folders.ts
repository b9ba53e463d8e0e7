/**
 * Doctor's folder checks (recordings, fax, IVR messages): the folder exists or can be made, Hotline's
 * user can write to it, and its disk has room. A missing folder is created, as `start` would.
 */
import { accessSync, constants, mkdirSync, statfsSync } from 'node:fs'
import type { LocalCheck } from '../doctor/index.ts'

/** Below this, a folder is a warning: a day of recordings of 30 seats is ~2 GB. */
export const MIN_FREE_BYTES = 5 * 1024 ** 3

/** `key` is the config key that names the folder, for the hint. */
export function folderCheck(dir: string, key: string, minFreeBytes = MIN_FREE_BYTES): LocalCheck {
  return () => {
    try {
      mkdirSync(dir, { recursive: true })
      accessSync(dir, constants.W_OK)
      const fs = statfsSync(dir)
      const free = fs.bavail * fs.bsize
      const gb = (free / 1024 ** 3).toFixed(1)
      if (free < minFreeBytes) return Promise.resolve({ status: 'warn', detail: `${dir}: only ${gb} GB free`, hint: `free space or point ${key} at a larger disk` })
      return Promise.resolve({ status: 'pass', detail: `${dir}: writable, ${gb} GB free` })
    } catch (e) {
      return Promise.resolve({ status: 'fail', detail: `${dir}: ${e instanceof Error ? e.message : String(e)}`, hint: `create it and let Hotline's user write to it, or change ${key}` })
    }
  }
}

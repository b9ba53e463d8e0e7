/**
 * sendmsg <uuid> with call-command execute (execute-app-name / execute-app-arg / event-lock /
 * Event-UUID → Application-UUID, fact 12) or hangup (hangup-cause). The reply is `+OK` at
 * once; the app runs after it (async mode, as in captures 12-20).
 */
import type { SimSwitch } from './switch.ts'
import { execute, newAppUuid } from './apps.ts'

export function sendmsg(sw: SimSwitch, uuid: string, h: Readonly<Record<string, string>>): string {
  const ch = sw.channels.get(uuid.trim())
  if (!ch) return '-ERR invalid session id [' + uuid.trim() + ']'
  const command = h['call-command'] ?? ''
  if (command === 'hangup') {
    setImmediate(() => sw.hangup(ch, h['hangup-cause'] ?? 'NORMAL_CLEARING'))
    return '+OK'
  }
  if (command !== 'execute') return '-ERR invalid command'
  const app = { name: h['execute-app-name'] ?? '', arg: h['execute-app-arg'] ?? '', appUuid: h['Event-UUID'] ?? newAppUuid() }
  const lock = h['event-lock'] === 'true'
  // The reply goes out first; the app's events follow it (fact 3 and capture 12).
  setImmediate(() => execute(sw, ch, app, lock))
  return '+OK'
}

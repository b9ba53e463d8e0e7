/**
 * SIP users on the `internal` profile: they register, unregister and expire with the
 * sofia::register / sofia::unregister / sofia::expire events of fact 23 (no Unique-ID), and
 * answer offers according to their behaviour.
 */
import { randomUUID } from 'node:crypto'
import type { TimerHandle } from '../shared/index.ts'
import type { SimSwitch } from './switch.ts'

export type PhoneBehaviour =
  | { readonly kind: 'auto-answer'; readonly afterMs: number }
  | { readonly kind: 'ring-forever' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'reject' }

export interface Phone {
  readonly user: string
  behaviour: PhoneBehaviour
  callId: string
  expires: number
  port: number
  expiry: TimerHandle | undefined
}

const DOMAIN = '127.0.0.1'
/** The registrar adds a margin before it expires a lapsed registration (fact 23: 68.6 s for Expires 5). */
const EXPIRY_MARGIN_MS = 60_000

/** The stock configuration's directory (directory/default/1000.xml … 1019.xml): the capture lab's users. */
export const STOCK_DIRECTORY: readonly string[] = Array.from({ length: 20 }, (_, i) => String(1000 + i))

export class PhoneBook {
  readonly #sw: SimSwitch
  readonly #phones = new Map<string, Phone>()
  /** Users of the switch's one domain (the XML directory), registered or not. */
  readonly #directory: Set<string>
  #nextPort = 5071

  constructor(sw: SimSwitch, directory: readonly string[] = STOCK_DIRECTORY) {
    this.#sw = sw
    this.#directory = new Set(directory)
  }

  /** `user_exists id <user> <domain>`: the user is in the directory (registered or not). */
  exists(user: string): boolean {
    return this.#directory.has(user)
  }

  get(user: string): Phone | undefined {
    return this.#phones.get(user)
  }

  all(): Phone[] {
    return [...this.#phones.values()]
  }

  register(user: string, behaviour: PhoneBehaviour, expires = 3600): Phone {
    const old = this.#phones.get(user)
    old?.expiry?.cancel()
    // Only a directory user can register: a phone that does is one.
    this.#directory.add(user)
    const phone: Phone = { user, behaviour, callId: randomUUID(), expires, port: old?.port ?? this.#nextPort++, expiry: undefined }
    this.#phones.set(user, phone)
    phone.expiry = this.#sw.after(expires * 1000 + EXPIRY_MARGIN_MS, () => this.expire(user))
    this.#sw.emit('CUSTOM', { subclass: 'sofia::register', fields: {
      'profile-name': 'internal', 'from-user': user, 'from-host': DOMAIN, 'presence-hosts': DOMAIN,
      contact: contact(phone), 'call-id': phone.callId, rpid: 'unknown', status: 'Registered(UDP)',
      expires: String(expires), 'to-user': user, 'to-host': DOMAIN, 'network-ip': DOMAIN,
      'network-port': String(phone.port), username: user, realm: DOMAIN, 'user-agent': 'hotline-sim-phone',
    } })
    return phone
  }

  unregister(user: string): boolean {
    const phone = this.#phones.get(user)
    if (!phone) return false
    phone.expiry?.cancel()
    this.#phones.delete(user)
    this.#sw.emit('CUSTOM', { subclass: 'sofia::unregister', fields: {
      'profile-name': 'internal', username: 'unknown', 'from-user': user, 'from-host': DOMAIN,
      contact: contact(phone), 'call-id': phone.callId, rpid: 'unknown', realm: 'unknown',
      'network-ip': DOMAIN, 'network-port': String(phone.port), 'user-agent': 'hotline-sim-phone', expires: '0',
    } })
    return true
  }

  /** A lapsed (or flushed) registration: `expires` is an absolute epoch second (fact 23). */
  expire(user: string): boolean {
    const phone = this.#phones.get(user)
    if (!phone) return false
    phone.expiry?.cancel()
    this.#phones.delete(user)
    this.#sw.emit('CUSTOM', { subclass: 'sofia::expire', fields: {
      'profile-name': 'internal', 'call-id': phone.callId, user, username: user, host: DOMAIN,
      contact: contact(phone), expires: String(Math.floor(this.#sw.now() / 1000)), 'user-agent': 'hotline-sim-phone',
      realm: DOMAIN, 'network-ip': DOMAIN, 'network-port': String(phone.port),
    } })
    return true
  }

  /** `sofia_contact` (fact 24). */
  contactOf(user: string): string {
    const phone = this.#phones.get(user)
    return phone ? `sofia/internal/sip:${user}@${DOMAIN}:${phone.port}` : 'error/user_not_registered'
  }

  /** `sofia status profile internal reg`: plain text only. */
  statusText(): string {
    const now = Math.floor(this.#sw.now() / 1000)
    const rows = this.all().map((p) => [
      `Call-ID:    \t${p.callId}`, `User:       \t${p.user}@${DOMAIN}`, `Contact:    \t${contact(p)}`,
      'Agent:      \thotline-sim-phone', `Status:     \tRegistered(UDP)(unknown) EXP(${now + p.expires}) EXPSECS(${p.expires})`,
      `Ping-Status:\tReachable`, `Host:       \tpbx1`, `IP:         \t${DOMAIN}`, `Port:       \t${p.port}`,
      `Auth-User:  \t${p.user}`, `Auth-Realm: \t${DOMAIN}`, `MWI-Account:\t${p.user}@${DOMAIN}`, '',
    ].join('\n'))
    return `\nRegistrations:\n${'='.repeat(99)}\n${rows.join('\n')}Total items returned: ${rows.length}\n${'='.repeat(99)}\n`
  }
}

const contact = (p: Phone): string => `"" <sip:${p.user}@${DOMAIN}:${p.port}>`

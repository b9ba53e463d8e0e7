/**
 * What agents' phones tell us: registrations (sofia::register / unregister / expire, fact 23) and
 * feature codes dialled from the phone (dialplan/agents.xml parks them with hotline_feature).
 * Pure parsers of event headers; parse once, at the edge.
 */
export interface Registration {
  /** The directory user (the agent's SIP user). */
  readonly user: string
  readonly registered: boolean
}

export const REGISTRATION_SUBCLASSES = ['sofia::register', 'sofia::unregister', 'sofia::expire'] as const

/** `undefined` for other events and for registrations without a usable user. */
export function registrationOf(subclass: string | undefined, h: Readonly<Record<string, string>>): Registration | undefined {
  // sofia::unregister carries username/realm `unknown` (fact 23): from-user is the one to trust.
  const pick = (...keys: string[]): string | undefined => keys.map((k) => h[k]).find((v) => v !== undefined && v !== '' && v !== 'unknown')
  switch (subclass) {
    case 'sofia::register': {
      const user = pick('username', 'from-user', 'to-user')
      return user ? { user, registered: true } : undefined
    }
    case 'sofia::unregister': {
      const user = pick('from-user', 'username')
      return user ? { user, registered: false } : undefined
    }
    case 'sofia::expire': {
      const user = pick('user', 'username')
      return user ? { user, registered: false } : undefined
    }
    default:
      return undefined
  }
}

/**
 * Users with a live registration, from `sofia status profile internal reg` (plain text only,
 * fact 24): one `User: <user>@<host>` line per registration.
 */
export function registeredUsers(statusText: string): ReadonlySet<string> {
  const users = new Set<string>()
  for (const m of statusText.matchAll(/^User:\s+([^@\s]+)@\S*/gm)) users.add(m[1]!)
  return users
}

export type FeatureCode =
  | { readonly kind: 'login' }
  | { readonly kind: 'logout' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'not-ready'; readonly reasonCode: string }
  /** Not one of ours: the shell answers with an error tone rather than leave the phone parked. */
  | { readonly kind: 'unknown'; readonly name: string }

export interface FeatureCall {
  readonly leg: string
  /** hotline_agent_extension: the directory user the phone authenticated as. */
  readonly extension: string
  readonly feature: FeatureCode
}

/** A CHANNEL_PARK of a feature-code call; `undefined` for any other park. */
export function featureCallOf(h: Readonly<Record<string, string>>): FeatureCall | undefined {
  const leg = h['Unique-ID']
  const feature = h['variable_hotline_feature']
  const extension = h['variable_hotline_agent_extension'] ?? ''
  if (!leg || !feature) return undefined
  switch (feature) {
    case 'login':
    case 'logout':
    case 'ready':
      return { leg, extension, feature: { kind: feature } }
    case 'not-ready':
      return { leg, extension, feature: { kind: 'not-ready', reasonCode: h['variable_hotline_feature_reason'] ?? '' } }
    default:
      return { leg, extension, feature: { kind: 'unknown', name: feature } }
  }
}

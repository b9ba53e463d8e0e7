import { createHash, randomBytes } from 'node:crypto'

/**
 * Bearer tokens are opaque random strings (32 bytes, base64url). Only their SHA-256 is stored:
 * a leaked database or backup yields no usable token. A plain hash suffices (no salt or
 * scrypt) because the token has 256 bits of entropy, unlike a password.
 */
export const mintToken = (): string => randomBytes(32).toString('base64url')

export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

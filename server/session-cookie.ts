import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

export const SESSION_COOKIE = 'tpns_session'
/** A session lasts a working day at most; then one signs in again. */
export const SESSION_SECONDS = 12 * 60 * 60

const payloadSchema = z.strictObject({
  /** The user name. */
  u: z.string(),
  /** A random id, so one session can be ended without ending the user's others. */
  sid: z.string(),
  /** Expiry, seconds since the epoch. */
  exp: z.int(),
  /** A fingerprint of the user's password hash: a new password ends the old sessions. */
  v: z.string(),
})
export type SessionPayload = z.infer<typeof payloadSchema>

/** Signs and checks session cookies with HMAC-SHA-256 under one secret. */
export interface SessionSigner {
  sign(payload: SessionPayload): string
  /** The payload of a well-signed, unexpired value; null for anything else. */
  verify(value: string, nowSeconds: number): SessionPayload | null
}

export function createSessionSigner(secret: string): SessionSigner {
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest()
  return {
    sign(payload) {
      const data = Buffer.from(JSON.stringify(payload)).toString('base64url')
      return `${data}.${mac(data).toString('base64url')}`
    },
    verify(value, nowSeconds) {
      const [data, signature, extra] = value.split('.')
      if (!data || !signature || extra !== undefined) return null
      const given = Buffer.from(signature, 'base64url')
      const expected = mac(data)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
      let json: unknown
      try {
        json = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'))
      } catch {
        return null
      }
      const parsed = payloadSchema.safeParse(json)
      return parsed.success && parsed.data.exp > nowSeconds ? parsed.data : null
    },
  }
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url')
}

export function hashFingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16)
}

/** The value of one cookie in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

/** Set-Cookie for a session (or, with value '' and maxAge 0, its removal). */
export function sessionCookie(value: string, maxAge: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAge}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ')
}

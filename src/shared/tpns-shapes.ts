import { z } from 'zod'
import { isRegionId, type RegionId } from './access-points.ts'

// Every JSON shape that crosses between the server and the page, once: the server types what
// it sends with these, and the page parses what it receives with the same schemas.

/** TPNS's answer to an upload, as documented; the proxy passes on nothing else as TPNS's. */
export const tpnsAnswerSchema = z.object({
  retCode: z.int(),
  errMsg: z.string(),
  uploadId: z.int().positive().optional(),
})
export type TpnsAnswer = z.infer<typeof tpnsAnswerSchema>

/** The faults the proxy names when TPNS did not answer usefully. */
export const PROXY_ERROR_CODES = [
  'not-found',
  'method-not-allowed',
  'cross-origin',
  'too-large',
  'unreachable',
  'timeout',
  'redirect',
  'not-json',
  'bad-shape',
  /** No signed-in user where the server requires one (401). */
  'unauthenticated',
  /** Wrong user name or password at sign-in (401). */
  'sign-in-failed',
  /** Too many failed sign-ins for one user or address (429, with Retry-After). */
  'too-many-attempts',
  /** As many uploads in flight as the server allows, or it is shutting down (503, Retry-After). */
  'busy',
  /** A request body the server cannot read (400). */
  'bad-request',
] as const
export type ProxyErrorCode = (typeof PROXY_ERROR_CODES)[number]

/** What the proxy answers when TPNS did not answer usefully; the page shows `message`. */
export const proxyErrorSchema = z.object({
  // Parsed as any name, not only PROXY_ERROR_CODES: a newer server may name a fault that this
  // page does not know yet, and its message still explains it.
  proxyError: z.string().min(1),
  message: z.string(),
  /** The upstream's HTTP status, when it answered something that was not TPNS JSON. */
  upstreamStatus: z.int().optional(),
})
/** What this server sends: only the faults it knows. */
export type ProxyErrorBody = z.infer<typeof proxyErrorSchema> & { proxyError: ProxyErrorCode }

const regionIdSchema = z.custom<RegionId>(
  (value) => typeof value === 'string' && isRegionId(value),
  'unknown access point',
)

/** An app id: safe in a URL path as it is, so the route table can compare raw paths. */
export const APP_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/

/** A TPNS app the server holds credentials for; never its SecretKey. */
export const tpnsAppSchema = z.object({
  /** Names the app in its proxy route, /tpns/app/<id>/v3/push/package/upload. */
  id: z.string().regex(APP_ID_PATTERN),
  name: z.string().min(1).max(100),
  region: regionIdSchema,
  accessId: z.string().min(1),
})
export type TpnsApp = z.infer<typeof tpnsAppSchema>

/** The proxy route the page posts a package to for one of the server's apps. */
export function appUploadPath(appId: string): string {
  return `/tpns/app/${appId}/v3/push/package/upload`
}

/** GET /tpns/config: whether the server holds the credentials, and which regions it serves. */
export const tpnsConfigSchema = z.object({
  serverCredentials: z.boolean(),
  /** The AccessID the server uploads with; the SecretKey never leaves the server. */
  accessId: z.string().nullable(),
  regions: z.array(regionIdSchema),
  /** 'sandbox' when the server holds no credentials, so a first try needs no account. */
  defaultRegion: z.literal('sandbox').nullable(),
  /** The apps the server uploads to with their own credentials; when any, the page offers only these. */
  apps: z.array(tpnsAppSchema),
  /** Who is signed in, where the server knows (sign-in or a trusted proxy's header). */
  user: z.string().nullable(),
})
export type TpnsConfig = z.infer<typeof tpnsConfigSchema>

/**
 * GET /auth/session, answered with or without a session: who is signed in, and how one signs
 * in here (`password`: the sign-in form; `header`: an SSO proxy in front; `none`: no access guard).
 */
export const sessionSchema = z.object({
  user: z.string().nullable(),
  signIn: z.enum(['none', 'password', 'header']),
})
export type SessionInfo = z.infer<typeof sessionSchema>

/** POST /auth/login's body. */
export const signInSchema = z.object({
  user: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
})
export type SignIn = z.infer<typeof signInSchema>

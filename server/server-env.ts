import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { z } from 'zod'
import { DEFAULT_SANDBOX_MAX_BYTES, parseSandboxEnv } from './sandbox-env.ts'
import { ACCESS_POINTS, type RegionId } from '../src/shared/access-points.ts'
import { readAppsFile, type ServerApp } from './apps-file.ts'
import { NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from './trusted-proxies.ts'

/** The regions that live on Tencent's side; `sandbox` is served by this process instead. */
export type RemoteRegionId = Exclude<RegionId, 'sandbox'>

export interface ServerEnv {
  /** Both halves, or null: half a credential is not a credential. */
  credentials: { accessId: string; secretKey: string } | null
  /** TPNS_APPS_FILE's apps, each with its SecretKey; empty without the file. */
  apps: ServerApp[]
  upstreams: Record<RemoteRegionId, URL>
  /** Whether the built-in sandbox runs (TPNS_SANDBOX). */
  sandbox: boolean
  sandboxDir: string
  /** Disk the sandbox may hold (TPNS_SANDBOX_MAX_BYTES). */
  sandboxMaxBytes: number
  /** How long TPNS may stay silent, and how long it may take to answer once the body is sent. */
  upstreamTimeoutMs: number
  /** The whole proxied upload, body and answer, at most. */
  uploadTimeoutMs: number
  /** Uploads in flight at once; more are answered 503 with Retry-After. */
  maxUploads: number
  /** TPNS_USERS_FILE, resolved; null when sign-in is not required. */
  usersFile: string | null
  /** TPNS_SESSION_SECRET; null means a random one per process. */
  sessionSecret: string | null
  /** TPNS_TRUSTED_USER_HEADER, lower-cased as Node reports headers; null when unset. */
  trustedUserHeader: string | null
  trustedProxies: TrustedProxies
  /** Configuration that is legal but probably a mistake; safe to log (no values). */
  warnings: string[]
}

export type EnvSource = Readonly<Record<string, string | undefined>>

// An exported-but-empty variable (`TPNS_ACCESS_ID=`) means "unset", not "the empty string".
const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value

const text = z.preprocess(blankAsUnset, z.string().trim().optional())

const baseUrl = z.preprocess(
  blankAsUnset,
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .transform((value) => new URL(value))
    // The proxy decides the Authorization header; credentials in a URL would bypass that.
    .refine((url) => url.username === '' && url.password === '', 'must not carry credentials')
    .refine((url) => url.search === '' && url.hash === '', 'must not have a query or fragment')
    .optional(),
)

const milliseconds = (fallback: number) =>
  z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1)
      .max(3_600_000)
      .default(fallback),
  )

const envSchema = z.object({
  TPNS_ACCESS_ID: text,
  TPNS_SECRET_KEY: text,
  TPNS_SANDBOX_DIR: text.transform((dir) => resolve(dir ?? '.sandbox')),
  TPNS_SANDBOX: z.preprocess(
    blankAsUnset,
    z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  ),
  TPNS_UPSTREAM_TIMEOUT_MS: milliseconds(60_000),
  TPNS_UPLOAD_TIMEOUT_MS: milliseconds(600_000),
  TPNS_MAX_UPLOADS: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a whole number from 1 to 1000' })
      .int('must be a whole number from 1 to 1000')
      .min(1)
      .max(1000)
      .default(8),
  ),
  TPNS_APPS_FILE: text,
  TPNS_USERS_FILE: text,
  // A signing key: too short, and a session cookie could be forged by guessing it.
  TPNS_SESSION_SECRET: z.preprocess(
    blankAsUnset,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  TPNS_TRUSTED_USER_HEADER: z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
      .transform((name) => name.toLowerCase())
      .optional(),
  ),
  TPNS_TRUSTED_PROXIES: text,
})

/** Reads the server's environment once, at start-up, so a bad value stops the server loudly. */
export function readServerEnv(source: EnvSource): ServerEnv {
  const issues: string[] = []
  const parsed = envSchema.safeParse(source)
  if (!parsed.success) issues.push(...parsed.error.issues.map(describeIssue))

  const upstreams: Partial<Record<RemoteRegionId, URL>> = {}
  for (const point of ACCESS_POINTS) {
    if (point.envVar === null) continue
    const override = baseUrl.safeParse(source[point.envVar])
    if (!override.success) {
      issues.push(...override.error.issues.map((issue) => `${point.envVar}: ${issue.message}`))
      continue
    }
    upstreams[point.id] = override.data ?? new URL(point.baseUrl)
  }

  let trustedProxies = NO_TRUSTED_PROXIES
  let apps: ServerApp[] = []
  const sandbox = parseSandboxEnv(source)
  issues.push(...sandbox.issues)
  const sandboxMaxBytes = sandbox.env?.maxBytes ?? DEFAULT_SANDBOX_MAX_BYTES
  if (parsed.success) {
    const data = parsed.data
    try {
      if (data.TPNS_TRUSTED_PROXIES !== undefined) {
        trustedProxies = parseTrustedProxies(data.TPNS_TRUSTED_PROXIES)
      }
    } catch (error) {
      issues.push(`TPNS_TRUSTED_PROXIES: ${error instanceof Error ? error.message : 'invalid'}`)
    }
    if (data.TPNS_TRUSTED_USER_HEADER !== undefined && data.TPNS_TRUSTED_PROXIES === undefined) {
      issues.push(
        'TPNS_TRUSTED_PROXIES: must name the proxies TPNS_TRUSTED_USER_HEADER is taken from',
      )
    }
    if (data.TPNS_APPS_FILE !== undefined) {
      if (data.TPNS_ACCESS_ID !== undefined || data.TPNS_SECRET_KEY !== undefined) {
        issues.push(
          'TPNS_APPS_FILE: set either it or TPNS_ACCESS_ID/TPNS_SECRET_KEY, not both (which would the page use?)',
        )
      }
      try {
        apps = readAppsFile(resolve(data.TPNS_APPS_FILE), source)
      } catch (error) {
        issues.push(error instanceof Error ? error.message : 'TPNS_APPS_FILE: invalid')
      }
    }
  }
  if (!parsed.success || !isComplete(upstreams) || issues.length > 0) {
    // Messages name the variable and the rule, never the value: the value may be a secret.
    throw new Error(`Invalid server environment:\n- ${issues.join('\n- ')}`)
  }

  const data = parsed.data
  const { TPNS_ACCESS_ID: accessId, TPNS_SECRET_KEY: secretKey } = data
  const warnings: string[] = []
  if ((accessId === undefined) !== (secretKey === undefined)) {
    warnings.push(
      'Only one of TPNS_ACCESS_ID and TPNS_SECRET_KEY is set; the proxy forwards the browser credentials instead.',
    )
  }
  const usersFile = data.TPNS_USERS_FILE === undefined ? null : resolve(data.TPNS_USERS_FILE)
  if (usersFile !== null && data.TPNS_SESSION_SECRET === undefined) {
    warnings.push(
      'TPNS_SESSION_SECRET is not set: sessions are signed with a random secret and end when the server restarts.',
    )
  }
  return {
    credentials: accessId !== undefined && secretKey !== undefined ? { accessId, secretKey } : null,
    apps,
    upstreams,
    // With the team's apps configured, a stand-in that takes any key is off unless asked for.
    sandbox: (data.TPNS_SANDBOX ?? (apps.length > 0 ? 'off' : 'on')) === 'on',
    sandboxDir: data.TPNS_SANDBOX_DIR,
    sandboxMaxBytes,
    upstreamTimeoutMs: data.TPNS_UPSTREAM_TIMEOUT_MS,
    uploadTimeoutMs: data.TPNS_UPLOAD_TIMEOUT_MS,
    maxUploads: data.TPNS_MAX_UPLOADS,
    usersFile,
    sessionSecret: data.TPNS_SESSION_SECRET ?? null,
    trustedUserHeader: data.TPNS_TRUSTED_USER_HEADER ?? null,
    trustedProxies,
    warnings,
  }
}

/** Whether the server holds credentials of its own (an apps file or the single pair). */
export function holdsCredentials(env: ServerEnv): boolean {
  return env.credentials !== null || env.apps.length > 0
}

/** Whether anything decides who may use the server: sign-in, or a trusted proxy's header. */
export function hasAccessGuard(env: ServerEnv): boolean {
  return env.usersFile !== null || env.trustedUserHeader !== null
}

/**
 * Why the server must not start on `host`, or null. Credentials held server-side, reachable
 * beyond this machine, with nobody checked: anyone who reaches the port uploads in the
 * company's name.
 */
export function exposureProblem(env: ServerEnv, host: string): string | null {
  if (!holdsCredentials(env) || hasAccessGuard(env) || isLoopbackHost(host)) return null
  const held = env.apps.length > 0 ? 'TPNS_APPS_FILE' : 'TPNS_ACCESS_ID/TPNS_SECRET_KEY'
  return (
    `Refusing to start: the server holds TPNS credentials (${held}) and HOST=${host} is not a ` +
    'loopback address, but no access guard is set. Set TPNS_USERS_FILE (sign-in; see ' +
    '`npm run add-user`) or TPNS_TRUSTED_USER_HEADER with TPNS_TRUSTED_PROXIES, or listen on ' +
    '127.0.0.1 behind a proxy that checks users.'
  )
}

/** 127.0.0.0/8, ::1 (also ::ffff:127.x) and `localhost`; 0.0.0.0 and :: are every interface. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (bare === 'localhost') return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare)
  return false
}

const listenSchema = z.object({
  HOST: z.preprocess(blankAsUnset, z.string().trim().default('127.0.0.1')),
  PORT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a port number')
      .min(0, 'must be a port number')
      .max(65_535, 'must be a port number')
      .default(4173),
  ),
})

/** HOST and PORT for the production server. */
export function readListenEnv(source: EnvSource): { host: string; port: number } {
  const parsed = listenSchema.safeParse(source)
  if (!parsed.success) {
    throw new Error(
      `Invalid server environment:\n- ${parsed.error.issues.map(describeIssue).join('\n- ')}`,
    )
  }
  return { host: parsed.data.HOST, port: parsed.data.PORT }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.')}: ${issue.message}`
}

function isComplete(
  upstreams: Partial<Record<RemoteRegionId, URL>>,
): upstreams is Record<RemoteRegionId, URL> {
  return ACCESS_POINTS.every((point) => point.envVar === null || upstreams[point.id] !== undefined)
}

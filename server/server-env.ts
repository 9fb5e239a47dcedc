import { resolve } from 'node:path'
import { z } from 'zod'
import { ACCESS_POINTS, type RegionId } from '../src/shared/access-points.ts'

/** The regions that live on Tencent's side; `sandbox` is served by this process instead. */
export type RemoteRegionId = Exclude<RegionId, 'sandbox'>

export interface ServerEnv {
  /** Both halves, or null: half a credential is not a credential. */
  credentials: { accessId: string; secretKey: string } | null
  upstreams: Record<RemoteRegionId, URL>
  sandboxDir: string
  upstreamTimeoutMs: number
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

const envSchema = z.object({
  TPNS_ACCESS_ID: text,
  TPNS_SECRET_KEY: text,
  TPNS_SANDBOX_DIR: text.transform((dir) => resolve(dir ?? '.sandbox')),
  TPNS_UPSTREAM_TIMEOUT_MS: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1)
      .max(3_600_000)
      .default(60_000),
  ),
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
  if (!parsed.success || !isComplete(upstreams)) {
    // Messages name the variable and the rule, never the value: the value may be a secret.
    throw new Error(`Invalid server environment:\n- ${issues.join('\n- ')}`)
  }

  const { TPNS_ACCESS_ID: accessId, TPNS_SECRET_KEY: secretKey } = parsed.data
  const warnings: string[] = []
  if ((accessId === undefined) !== (secretKey === undefined)) {
    warnings.push(
      'Only one of TPNS_ACCESS_ID and TPNS_SECRET_KEY is set; the proxy forwards the browser credentials instead.',
    )
  }
  return {
    credentials: accessId !== undefined && secretKey !== undefined ? { accessId, secretKey } : null,
    upstreams,
    sandboxDir: parsed.data.TPNS_SANDBOX_DIR,
    upstreamTimeoutMs: parsed.data.TPNS_UPSTREAM_TIMEOUT_MS,
    warnings,
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.')}: ${issue.message}`
}

function isComplete(
  upstreams: Partial<Record<RemoteRegionId, URL>>,
): upstreams is Record<RemoteRegionId, URL> {
  return ACCESS_POINTS.every((point) => point.envVar === null || upstreams[point.id] !== undefined)
}

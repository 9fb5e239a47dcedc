import { z } from 'zod'
import type { EnvSource } from './server-env.ts'

/** 2 GiB: twenty 100 MB packages, and then some. */
export const DEFAULT_SANDBOX_MAX_BYTES = 2 * 1024 ** 3

export interface SandboxEnv {
  /** Bytes the sandbox may hold on disk, kept packages and uploads in progress together. */
  maxBytes: number
}

const wholeBytes = 'must be a whole number of bytes, at least 1'

const sandboxEnvSchema = z.object({
  TPNS_SANDBOX_MAX_BYTES: z.preprocess(
    // Exported but empty means unset, as in server-env.ts.
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce
      .number({ error: wholeBytes })
      .int(wholeBytes)
      .min(1, wholeBytes)
      .max(Number.MAX_SAFE_INTEGER, wholeBytes)
      .default(DEFAULT_SANDBOX_MAX_BYTES),
  ),
})

/** The sandbox's own variables, or what is wrong with them: the variable and the rule, never the value. */
export function parseSandboxEnv(
  source: EnvSource,
): { env: SandboxEnv; issues: [] } | { env: null; issues: string[] } {
  const parsed = sandboxEnvSchema.safeParse(source)
  if (parsed.success) return { env: { maxBytes: parsed.data.TPNS_SANDBOX_MAX_BYTES }, issues: [] }
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
  return { env: null, issues }
}

/** The sandbox's own variables, read once at its start so that a bad value stops it loudly. */
export function readSandboxEnv(source: EnvSource): SandboxEnv {
  const { env, issues } = parseSandboxEnv(source)
  if (env === null) throw new Error(`Invalid server environment:\n- ${issues.join('\n- ')}`)
  return env
}

import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { ACCESS_POINTS } from '../src/shared/access-points.ts'
import { APP_ID_PATTERN, type TpnsApp } from '../src/shared/tpns-shapes.ts'
import type { EnvSource } from './server-env.ts'

/** One TPNS app the server uploads to: what the page may see, and the key it never does. */
export interface ServerApp extends TpnsApp {
  secretKey: string
}

const REMOTE_REGIONS = ACCESS_POINTS.flatMap((point) => (point.envVar === null ? [] : [point.id]))

const appEntrySchema = z.strictObject({
  id: z
    .string()
    .regex(APP_ID_PATTERN, 'must be 1 to 64 lowercase letters, digits and inner dashes'),
  name: z.string().trim().min(1).max(100),
  region: z.enum(REMOTE_REGIONS, { error: `must be one of ${REMOTE_REGIONS.join(', ')}` }),
  accessId: z.string().trim().min(1),
  secretKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable'),
})

const appsFileSchema = z.strictObject({
  apps: z
    .array(appEntrySchema)
    .min(1, 'must list at least one app')
    .superRefine((apps, context) => {
      const seen = new Set<string>()
      apps.forEach((app, index) => {
        if (seen.has(app.id)) {
          context.addIssue({ code: 'custom', path: [index, 'id'], message: 'is used twice' })
        }
        seen.add(app.id)
      })
    }),
})

/**
 * Reads TPNS_APPS_FILE at start-up. Every problem is named by its field (`apps.1.region`) or by
 * the variable `secretKeyEnv` names; never by a value, since the file sits beside secrets.
 */
export function readAppsFile(path: string, env: EnvSource): ServerApp[] {
  const where = `TPNS_APPS_FILE (${path})`
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'
    throw new Error(`${where}: cannot be read (${code})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${where}: is not JSON`)
  }
  const parsed = appsFileSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${[...issue.path].map(String).join('.') || '(file)'}: ${issue.message}`,
    )
    throw new Error(`${where}:\n- ${issues.join('\n- ')}`)
  }
  const missing: string[] = []
  const apps = parsed.data.apps.map(({ secretKeyEnv, ...app }, index) => {
    const secretKey = env[secretKeyEnv]?.trim() ?? ''
    if (secretKey === '') {
      missing.push(`apps.${index}.secretKeyEnv: ${secretKeyEnv} is not set (app ${app.id})`)
    }
    return { ...app, secretKey }
  })
  if (missing.length > 0) throw new Error(`${where}:\n- ${missing.join('\n- ')}`)
  return apps
}

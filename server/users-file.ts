import { randomUUID } from 'node:crypto'
import { readFile, rename, stat, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { isPasswordHash } from './password-hash.ts'
import type { ServerLog } from './proxy-upload.ts'

/** A user name: what the audit log and the page show, so nothing that could pass for markup. */
export const userNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[\p{L}\p{N}._@+-]+$/u, 'may hold letters, digits and . _ @ + - only')

const usersFileSchema = z.strictObject({
  users: z.array(
    z.strictObject({
      name: userNameSchema,
      passwordHash: z.string().refine(isPasswordHash, 'is not a hash from `npm run add-user`'),
    }),
  ),
})
export type UsersFile = z.infer<typeof usersFileSchema>

/** Parses the file's text; problems name the field (`users.2.passwordHash`), never a value. */
export function parseUsersFile(text: string, path: string): UsersFile {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`TPNS_USERS_FILE (${path}): is not JSON`)
  }
  const parsed = usersFileSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`,
    )
    throw new Error(`TPNS_USERS_FILE (${path}):\n- ${issues.join('\n- ')}`)
  }
  return parsed.data
}

export interface UserStore {
  /** The stored hash of a user, or null; the file is read again when it has changed. */
  hashOf(name: string): Promise<string | null>
}

/**
 * The users file, read at start (a bad file stops the server) and again whenever its size or
 * time changes, so `npm run add-user` takes effect without a restart. A file broken later is
 * reported and the last good one kept.
 */
export async function openUserStore(path: string, log: ServerLog): Promise<UserStore> {
  const read = async () => {
    const stats = await stat(path)
    return {
      key: `${stats.mtimeMs}:${stats.size}`,
      file: parseUsersFile(await readFile(path, 'utf8'), path),
    }
  }
  let current = await read().catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new Error(`TPNS_USERS_FILE (${path}): does not exist; create it with npm run add-user`)
    }
    throw error
  })
  let checkedAt = Date.now()
  const refresh = async () => {
    // At most once a second: a sign-in storm does not become a stat storm.
    if (Date.now() - checkedAt < 1000) return
    checkedAt = Date.now()
    try {
      const stats = await stat(path)
      if (`${stats.mtimeMs}:${stats.size}` === current.key) return
      current = await read()
      log.info(`tpns access: users file read again (${current.file.users.length} users)`)
    } catch (error) {
      log.warn(
        `tpns access: the users file could not be read again; keeping the last good one. ${error instanceof Error ? error.message : ''}`,
      )
    }
  }
  return {
    async hashOf(name) {
      await refresh()
      return current.file.users.find((user) => user.name === name)?.passwordHash ?? null
    },
  }
}

/** Adds or replaces one user, writing the file whole and atomically (0600: it holds hashes). */
export async function putUser(path: string, name: string, passwordHash: string): Promise<void> {
  let file: UsersFile = { users: [] }
  try {
    file = parseUsersFile(await readFile(path, 'utf8'), path)
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error
  }
  const users = file.users.filter((user) => user.name !== name)
  users.push({ name, passwordHash })
  const temp = `${path}.${randomUUID()}.tmp`
  await writeFile(temp, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 })
  await rename(temp, path)
}

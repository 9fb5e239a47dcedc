import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashPassword } from '../../../server/password-hash.ts'
import { putUser } from '../../../server/users-file.ts'

/** A users file in a fresh temp dir holding these users, hashed as `npm run add-user` does. */
export async function writeUsersFile(users: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tpns-users-'))
  const path = join(dir, 'users.json')
  for (const [name, password] of Object.entries(users)) {
    await putUser(path, name, await hashPassword(password))
  }
  return path
}

/** An apps file (TPNS_APPS_FILE) in a fresh temp dir. */
export async function writeAppsFile(apps: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tpns-apps-'))
  const path = join(dir, 'apps.json')
  await writeFile(path, JSON.stringify(apps))
  return path
}

/** Two apps as a shop's marketing team has them: one per platform, each its own key. */
export const SHOP_APPS = {
  apps: [
    {
      id: 'shop-android',
      name: 'Shop – Android',
      region: 'guangzhou',
      accessId: '1500000001',
      secretKeyEnv: 'SHOP_ANDROID_SECRET',
    },
    {
      id: 'shop-ios',
      name: 'Shop – iOS',
      region: 'singapore',
      accessId: '1600000002',
      secretKeyEnv: 'SHOP_IOS_SECRET',
    },
  ],
}

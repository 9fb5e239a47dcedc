import { test } from '@playwright/test'
import { startServer, type RunningServer } from '../src/testing/node/app-server.ts'
import { startFakeTpns, type FakeTpns } from '../src/testing/node/fake-tpns.ts'
import { SHOP_APPS, writeAppsFile, writeUsersFile } from '../src/testing/node/team-files.ts'

export const ALICE = { user: 'alice', password: 'alice-long-password-1' }
export const ANDROID_SECRET = 'android-SECRET-key'
export const IOS_SECRET = 'ios-SECRET-key'

export interface TeamSetup {
  android: FakeTpns
  ios: FakeTpns
  server: RunningServer
  /** The audit lines the server has printed so far, parsed. */
  audit(): unknown[]
  close(): Promise<void>
}

/**
 * The server as a team runs it: the two shop apps (Android in Guangzhou, iOS in Singapore,
 * each a fake TPNS of its own), sign-in with a users file, `env` on top.
 */
export async function startTeamServer(env: Record<string, string> = {}): Promise<TeamSetup> {
  const android = await startFakeTpns({ firstUploadId: 1_100_001 })
  const ios = await startFakeTpns({ firstUploadId: 2_200_001 })
  let server: RunningServer
  try {
    server = await startServer({
      TPNS_APPS_FILE: await writeAppsFile(SHOP_APPS),
      SHOP_ANDROID_SECRET: ANDROID_SECRET,
      SHOP_IOS_SECRET: IOS_SECRET,
      TPNS_GUANGZHOU_URL: android.url,
      TPNS_SINGAPORE_URL: ios.url,
      TPNS_USERS_FILE: await writeUsersFile({
        [ALICE.user]: ALICE.password,
        bob: 'bob-long-password-2',
      }),
      TPNS_SESSION_SECRET: 'e2e-session-secret-of-at-least-32-chars',
      ...env,
    })
  } catch (error) {
    await Promise.all([android.close(), ios.close()])
    throw error
  }
  return {
    android,
    ios,
    server,
    audit: () =>
      server
        .stdout()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line): unknown => JSON.parse(line)),
    async close() {
      await server.close()
      await Promise.all([android.close(), ios.close()])
    },
  }
}

/** A team server for the describe block this is called in, its fakes reset before each test. */
export function useTeamServer(env: Record<string, string> = {}): () => TeamSetup {
  let setup: TeamSetup | null = null
  test.beforeAll(async () => {
    setup = await startTeamServer(env)
  })
  test.afterAll(async () => {
    await setup?.close()
  })
  test.beforeEach(() => {
    setup?.android.reset()
    setup?.ios.reset()
  })
  return () => {
    if (!setup) throw new Error('The team server is not started yet.')
    return setup
  }
}

import { test } from '@playwright/test'
import { startFakeTpns, type FakeTpns } from '../src/testing/node/fake-tpns.ts'
import { freePort } from '../src/testing/node/free-port.ts'
import { startServer, type RunningServer } from '../src/testing/node/app-server.ts'

export interface TpnsSetup {
  upstream: FakeTpns
  server: RunningServer
  close(): Promise<void>
}

export const SERVER_ACCESS_ID = '1500009999'
export const SERVER_SECRET_KEY = 'server-held-secret'
/** How long the proxy waits for a silent upstream in these tests (the "hang" case). */
export const UPSTREAM_TIMEOUT_MS = 1_000

/**
 * A fake TPNS behind Guangzhou and Singapore, a dead one behind Shanghai, and the app's
 * server in front; with `serverCredentials`, the server holds an AccessID and SecretKey.
 */
export async function startTpnsSetup(
  options: { serverCredentials?: boolean } = {},
): Promise<TpnsSetup> {
  const upstream = await startFakeTpns()
  const env: Record<string, string> = {
    TPNS_GUANGZHOU_URL: upstream.url,
    TPNS_SINGAPORE_URL: upstream.url,
    TPNS_SHANGHAI_URL: `http://127.0.0.1:${await freePort()}`,
    TPNS_UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
  }
  if (options.serverCredentials) {
    env.TPNS_ACCESS_ID = SERVER_ACCESS_ID
    env.TPNS_SECRET_KEY = SERVER_SECRET_KEY
  }
  let server: RunningServer
  try {
    server = await startServer(env)
  } catch (error) {
    await upstream.close()
    throw error
  }
  return {
    upstream,
    server,
    async close() {
      await server.close()
      await upstream.close()
    },
  }
}

/**
 * A fake TPNS and the app's server for the describe block this is called in: started before
 * its tests, stopped after, and before each test the upstream's record is cleared and the page
 * opened on that server. Returns the setup's getter: it exists once the block has started.
 */
export function useTpnsSetup(options: { serverCredentials?: boolean } = {}): () => TpnsSetup {
  let setup: TpnsSetup | null = null
  const current = () => {
    if (!setup) throw new Error('The TPNS setup is not started yet.')
    return setup
  }
  test.beforeAll(async () => {
    setup = await startTpnsSetup(options)
  })
  test.afterAll(async () => {
    await setup?.close()
  })
  test.beforeEach(async ({ page }) => {
    current().upstream.reset()
    await page.goto(current().server.url)
  })
  return current
}

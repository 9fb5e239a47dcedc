import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { once } from 'node:events'
import { request } from 'node:http'
import { spawnServer, startServer } from '../src/testing/node/app-server.ts'
import { startFakeTpns } from '../src/testing/node/fake-tpns.ts'
import { multipart } from '../src/testing/node/multipart.ts'
import { SHOP_APPS, writeAppsFile } from '../src/testing/node/team-files.ts'
import { filePayload, tokens } from './fixtures.ts'
import { ALICE, ANDROID_SECRET, IOS_SECRET, useTeamServer } from './team-setup.ts'

// The server as a marketing team runs it (CONTRACT.md: apps, access, audit), all against the
// production server.

function basic(accessId: string, secretKey: string): string {
  return `Basic ${Buffer.from(`${accessId}:${secretKey}`).toString('base64')}`
}

async function signInOnPage(page: Page, user: string, password: string) {
  await page.getByTestId('login-user').fill(user)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

async function dropReady(page: Page, name: string): Promise<string> {
  const content = tokens(40).join('\n') + '\n'
  await page
    .locator('[data-testid=drop-zone] input[type=file]')
    .setInputFiles(filePayload(name, content))
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  return content
}

test.describe('a team server: sign-in, two apps, audit', () => {
  // One server for the block, its tests in order in one worker.
  test.describe.configure({ mode: 'default' })
  const setup = useTeamServer()

  test('the sign-in page, in both languages, with no axe violations; wrong password said', async ({
    page,
  }) => {
    await page.goto(setup().server.url)
    await expect(page.getByTestId('login-submit')).toBeVisible()
    await expect(page.getByTestId('drop-zone')).toHaveCount(0)
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([])

    await signInOnPage(page, ALICE.user, 'not her password')
    await expect(page.getByTestId('login-error')).toHaveAttribute('data-reason', 'wrong')
    await expect(page.getByTestId('login-error')).toContainText('Wrong user name or password')
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([])

    await page.getByTestId('language').selectOption('zh')
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()
    await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误')
    await expect(page.getByLabel('密码')).toBeVisible()
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([])
    await page.getByTestId('language').selectOption('en')
  })

  test('repeated failures for one user: 429, said on the page', async ({ page }) => {
    await page.goto(setup().server.url)
    for (let i = 0; i < 5; i++) {
      await signInOnPage(page, 'bob', `guess ${i}`)
      await expect(page.getByTestId('login-error')).toHaveAttribute('data-reason', 'wrong')
      await expect(page.getByTestId('login-submit')).toBeEnabled()
    }
    await signInOnPage(page, 'bob', 'bob-long-password-2')
    await expect(page.getByTestId('login-error')).toHaveAttribute('data-reason', 'limited')
    await expect(page.getByTestId('login-error')).toContainText('Too many failed sign-ins')
    await expect(page.getByTestId('signed-in-user')).toHaveCount(0)
  })

  test('signed in, each app reaches its own TPNS with its own key; history and audit say who', async ({
    page,
  }) => {
    await page.goto(setup().server.url)
    await signInOnPage(page, ALICE.user, ALICE.password)
    await expect(page.getByTestId('signed-in-user')).toContainText('alice')
    const cookies = await page.context().cookies()
    const session = cookies.find((cookie) => cookie.name === 'tpns_session')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false })

    await dropReady(page, 'android.txt')
    const chooser = page.getByTestId('app')
    await expect(chooser.locator('option')).toHaveText(['Shop – Android', 'Shop – iOS'])
    await expect(page.getByTestId('region')).toHaveCount(0)
    await expect(page.getByTestId('access-id')).toHaveCount(0)
    await expect(page.getByTestId('secret-key')).toHaveCount(0)
    expect(
      (await new AxeBuilder({ page }).include('[data-testid=upload-panel]').analyze()).violations,
    ).toEqual([])
    await chooser.selectOption('shop-android')
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '1100001')

    await dropReady(page, 'ios.txt')
    await page.getByTestId('app').selectOption('shop-ios')
    await expect(page.getByTestId('server-credentials')).toContainText('1600000002')
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '2200001')

    const { android, ios } = setup()
    expect(android.requests.map((r) => r.headers.authorization)).toEqual([
      basic('1500000001', ANDROID_SECRET),
    ])
    expect(ios.requests.map((r) => r.headers.authorization)).toEqual([
      basic('1600000002', IOS_SECRET),
    ])
    expect((await android.requests[0].form()).fileName).toBe('android.txt')
    expect((await ios.requests[0].form()).fileName).toBe('ios.txt')

    // The history records the app, and filters by it.
    const entries = page.getByTestId('history-entry')
    await expect(entries).toHaveCount(2)
    await expect(entries.first()).toContainText('Shop – iOS')
    await page.getByTestId('history-app').selectOption('shop-android')
    await expect(entries).toHaveCount(1)
    await expect(entries.first()).toHaveAttribute('data-upload-id', '1100001')

    // One audit line per upload, naming who and which app; nothing secret on any line.
    await expect.poll(() => setup().audit().length).toBe(2)
    expect(setup().audit()).toEqual([
      {
        event: 'upload',
        time: expect.any(String),
        user: 'alice',
        app: 'shop-android',
        region: 'guangzhou',
        accessId: '1500000001',
        file: 'android.txt',
        bytes: expect.any(Number),
        retCode: 0,
        uploadId: 1100001,
      },
      expect.objectContaining({
        user: 'alice',
        app: 'shop-ios',
        region: 'singapore',
        file: 'ios.txt',
        retCode: 0,
        uploadId: 2200001,
      }),
    ])
    const printed = setup().server.output()
    for (const secret of [ANDROID_SECRET, IOS_SECRET, ALICE.password, session?.value ?? 'x']) {
      expect(printed).not.toContain(secret)
    }

    // Signing out shows the sign-in page again, and the APIs are closed.
    await page.getByTestId('sign-out').click()
    await expect(page.getByTestId('login-submit')).toBeVisible()
    const config = await page.request.get(`${setup().server.url}/tpns/config`)
    expect(config.status()).toBe(401)
  })

  test('nothing reaches an upstream without a session', async ({ playwright }) => {
    const { server, android, ios } = setup()
    const client = await playwright.request.newContext({ baseURL: server.url })
    const form = multipart([{ field: 'file', fileName: 'x.txt', content: tokens(3).join('\n') }])
    const paths = [
      '/tpns/app/shop-android/v3/push/package/upload',
      '/tpns/app/shop-ios/v3/push/package/upload',
      '/tpns/guangzhou/v3/push/package/upload',
      '/tpns/sandbox/v3/push/package/upload',
    ]
    const auditedBefore = setup().audit().length
    const statuses: number[] = []
    for (const path of paths) {
      for (const headers of [
        {} as Record<string, string>,
        { cookie: 'tpns_session=forged.value' },
        { authorization: basic('1500000001', 'guess') },
      ]) {
        const answer = await client.post(path, {
          headers: { 'content-type': form.contentType, ...headers },
          data: form.body,
        })
        statuses.push(answer.status())
      }
    }
    expect(new Set(statuses)).toEqual(new Set([401, 404]))
    expect((await client.get('/tpns/config')).status()).toBe(401)
    expect((await client.get('/healthz')).status()).toBe(200)
    expect(android.requests).toHaveLength(0)
    expect(ios.requests).toHaveLength(0)
    // Refused before any upload began: nothing to audit.
    expect(setup().audit()).toHaveLength(auditedBefore)
    await client.dispose()
  })
})

test.describe('the start refusal', () => {
  test('credentials on a non-loopback HOST without a guard: no start, and why', async () => {
    const apps = await writeAppsFile(SHOP_APPS)
    const refused = spawnServer({
      HOST: '0.0.0.0',
      PORT: '0',
      TPNS_APPS_FILE: apps,
      SHOP_ANDROID_SECRET: 'a',
      SHOP_IOS_SECRET: 'b',
    })
    expect(await refused.exited).toBe(1)
    expect(refused.output()).toContain('Refusing to start')
    expect(refused.output()).toContain('HOST=0.0.0.0 is not a loopback address')
    expect(refused.output()).toContain('TPNS_USERS_FILE')

    const pair = spawnServer({
      HOST: '0.0.0.0',
      PORT: '0',
      TPNS_ACCESS_ID: 'id',
      TPNS_SECRET_KEY: 'key-SECRET',
    })
    expect(await pair.exited).toBe(1)
    expect(pair.output()).toContain('Refusing to start')
    expect(pair.output()).not.toContain('key-SECRET')
  })

  test('a bad apps file: no start, the field named', async () => {
    const bad = await writeAppsFile({ apps: [{ ...SHOP_APPS.apps[0], region: 'mars' }] })
    const refused = spawnServer({ PORT: '0', TPNS_APPS_FILE: bad, SHOP_ANDROID_SECRET: 'a' })
    expect(await refused.exited).toBe(1)
    expect(refused.output()).toContain('apps.0.region: must be one of')
    const keyless = spawnServer({ PORT: '0', TPNS_APPS_FILE: await writeAppsFile(SHOP_APPS) })
    expect(await keyless.exited).toBe(1)
    expect(keyless.output()).toContain('apps.0.secretKeyEnv: SHOP_ANDROID_SECRET is not set')
  })
})

test('SIGTERM with an upload in flight: no new connections, the upload completes, exit 0', async () => {
  const upstream = await startFakeTpns()
  const server = await startServer({ TPNS_GUANGZHOU_URL: upstream.url })
  try {
    const form = multipart([
      { field: 'file', fileName: 'late.txt', content: tokens(2000).join('\n') },
    ])
    const half = Math.floor(form.body.length / 2)
    const req = request(`${server.url}/tpns/guangzhou/v3/push/package/upload`, {
      method: 'POST',
      headers: { 'content-type': form.contentType, 'content-length': String(form.body.length) },
    })
    const answered = once(req, 'response')
    req.write(form.body.subarray(0, half))
    await upstream.received(half)

    process.kill(server.pid, 'SIGTERM')
    await expect.poll(() => server.output()).toContain('SIGTERM, no new connections')
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()

    req.end(form.body.subarray(half))
    const [response] = (await answered) as [import('node:http').IncomingMessage]
    let text = ''
    for await (const chunk of response) text += String(chunk)
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(text)).toMatchObject({ retCode: 0, uploadId: 7000001 })
    expect(upstream.requests[0].sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(form.body).digest('hex'),
    )
    expect(await server.exited).toBe(0)
    expect(server.stdout()).toContain('"file":"late.txt"')
  } finally {
    await server.close()
    await upstream.close()
  }
})

import { expect, test } from '@playwright/test'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import type { IncomingMessage } from 'node:http'
import { request } from 'node:https'
import { multipartEnvelope } from '../src/testing/node/multipart.ts'
import { processMemory, resetPeakMemory } from '../src/testing/node/process-memory.ts'
import { tokens } from './fixtures.ts'
import { startNginxFront, type NginxFront } from './nginx-front.ts'
import { ALICE, startTeamServer, type TeamSetup } from './team-setup.ts'

// deploy/nginx.conf in front of the production server, as an operator runs them: TLS ends at
// nginx, the app listens on loopback and believes nginx's X-Forwarded-* (TPNS_TRUSTED_PROXIES).

// One nginx and one server for the file, its tests in order in one worker.
test.describe.configure({ mode: 'default' })

let team: TeamSetup
let front: NginxFront

test.beforeAll(async () => {
  team = await startTeamServer({ TPNS_TRUSTED_PROXIES: '127.0.0.1' })
  front = await startNginxFront(Number(new URL(team.server.url).port))
})
test.afterAll(async () => {
  await front?.close()
  await team?.close()
})
test.use({ ignoreHTTPSErrors: true })

test('through nginx over https: sign in (Secure cookie), upload to an app, isolated page', async ({
  page,
}) => {
  await page.goto(front.url)
  await page.getByTestId('login-user').fill(ALICE.user)
  await page.getByTestId('login-password').fill(ALICE.password)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('signed-in-user')).toContainText('alice')
  const session = (await page.context().cookies()).find((cookie) => cookie.name === 'tpns_session')
  expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' })
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)

  await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles({
    name: 'via-nginx.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(tokens(20).join('\n') + '\n'),
  })
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await page.getByTestId('app').selectOption('shop-ios')
  await page.getByTestId('upload').click()
  await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', /^\d+$/)
  expect((await team.ios.requests.at(-1)?.form())?.fileName).toBe('via-nginx.txt')
})

test('plain http is sent to https', async ({ playwright }) => {
  const client = await playwright.request.newContext()
  const answer = await client.get(`${front.httpUrl}/`, { maxRedirects: 0 })
  expect(answer.status()).toBe(301)
  expect(answer.headers().location).toMatch(/^https:\/\//)
  await client.dispose()
})

test('a 100 MB upload streams through nginx and the app, byte for byte, in little memory', async () => {
  test.slow()
  const cookie = await signIn()
  const size = 100 * 1000 * 1000
  const line = Buffer.from(tokens(1000).join('\n') + '\n')
  const envelope = multipartEnvelope({ field: 'file', fileName: 'big.txt', size })
  const hash = createHash('sha256').update(envelope.preamble)
  const pid = team.server.pid
  const peakReset = resetPeakMemory(pid)
  const before = processMemory(pid)

  const req = request(`${front.url}/tpns/app/shop-android/v3/push/package/upload`, {
    method: 'POST',
    rejectUnauthorized: false,
    headers: {
      cookie,
      'content-type': envelope.contentType,
      'content-length': String(envelope.length),
    },
  })
  const answered = once(req, 'response') as Promise<[IncomingMessage]>
  const write = async (chunk: Buffer) => {
    hash.update(chunk)
    if (!req.write(chunk)) await once(req, 'drain')
  }
  req.write(envelope.preamble)
  let sent = 0
  let streamed = false
  let peakDuring = 0
  while (sent < size) {
    const chunk = line.subarray(0, Math.min(line.length, size - sent))
    await write(chunk)
    sent += chunk.length
    if (!streamed && sent >= 4 * 1024 * 1024) {
      // Hold the rest back until the upstream has seen the first megabyte: nginx and the app
      // pass it on as it comes, rather than spooling the body first.
      streamed = await Promise.race([
        team.android.received(1024 * 1024).then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
      ])
    }
    if (sent % (10 * line.length) === 0)
      peakDuring = Math.max(peakDuring, processMemory(pid)?.rssKb ?? 0)
  }
  hash.update(envelope.epilogue)
  req.end(envelope.epilogue)
  const [response] = await answered
  let text = ''
  for await (const chunk of response) text += String(chunk)
  const after = processMemory(pid)

  expect(streamed).toBe(true)
  expect(response.statusCode).toBe(200)
  expect(JSON.parse(text)).toMatchObject({ retCode: 0 })
  const received = team.android.requests.at(-1)
  expect(received?.size).toBe(envelope.length)
  expect(received?.sha256).toBe(hash.digest('hex'))

  // The app's memory: its peak over the upload grew by less than half the body.
  expect(before).not.toBeNull()
  expect(after).not.toBeNull()
  if (before && after) {
    const base = peakReset ? before.rssKb : before.peakKb
    const growthMb = (after.peakKb - base) / 1024
    test.info().annotations.push({
      type: 'server memory',
      description:
        `VmRSS before ${Math.round(before.rssKb / 1024)} MiB, peak during ${Math.round(after.peakKb / 1024)} MiB ` +
        `(growth ${growthMb.toFixed(1)} MiB${peakReset ? '' : ', peak not reset'}), after ${Math.round(after.rssKb / 1024)} MiB, ` +
        `highest sampled ${Math.round(peakDuring / 1024)} MiB, for a ${envelope.length} byte body`,
    })
    console.log(`server memory: ${test.info().annotations.at(-1)?.description}`)
    expect(growthMb).toBeLessThan(size / 2 / 1024 / 1024)
  }
  // The audit line comes on the server's stdout, a moment after the answer.
  await expect
    .poll(() => team.audit().at(-1))
    .toMatchObject({ user: 'alice', app: 'shop-android', bytes: envelope.length, file: 'big.txt' })
})

async function signIn(): Promise<string> {
  const req = request(`${front.url}/auth/login`, {
    method: 'POST',
    rejectUnauthorized: false,
    headers: { 'content-type': 'application/json' },
  })
  req.end(JSON.stringify({ user: ALICE.user, password: ALICE.password }))
  const [response] = (await once(req, 'response')) as [IncomingMessage]
  response.resume()
  expect(response.statusCode).toBe(204)
  const setCookie = response.headers['set-cookie']?.[0] ?? ''
  expect(setCookie).toMatch(/; Secure$/)
  return setCookie.split(';')[0]
}

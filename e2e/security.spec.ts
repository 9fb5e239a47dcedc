import { expect, test, type Page, type Response } from '@playwright/test'
import { filePayload, token, tokens } from './fixtures.ts'

// The built page under its own security headers: every response carries them, the whole
// flow works under them, and the policy is enforced, not just sent.

/** The directives the page relies on, each as the browser must receive it. */
const REQUIRED_DIRECTIVES = [
  "script-src 'self'",
  "frame-ancestors 'none'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
]

function directives(policy: string): string[] {
  return policy
    .split(';')
    .map((part) => part.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
}

/**
 * Records from the very first script on: CSP violations, console errors, page errors and
 * dialogs. Installed before the page loads, so nothing the page does early escapes it.
 */
async function watch(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = []
    Object.assign(window, { __violations: seen })
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`.trim()),
    )
  })
  const trouble: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`))
  page.on('dialog', (dialog) => {
    trouble.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  return {
    trouble,
    violations: () => page.evaluate(() => [...(Reflect.get(window, '__violations') as string[])]),
  }
}

function expectSecurityHeaders(response: Response, label: string) {
  const headers = response.headers()
  expect(headers['x-content-type-options'], label).toBe('nosniff')
  expect(headers['referrer-policy'], label).toBe('no-referrer')
  expect(headers['cross-origin-opener-policy'], label).toBe('same-origin')
  expect(headers['cross-origin-embedder-policy'], label).toBe('require-corp')
  const policy = directives(headers['content-security-policy'] ?? '')
  for (const directive of REQUIRED_DIRECTIVES) expect(policy, label).toContain(directive)
  // No other door for script: no eval, and inline allowed for styles alone.
  expect(
    policy.filter((directive) => /unsafe-eval|\*/.test(directive)),
    label,
  ).toEqual([])
  expect(
    policy.filter((directive) => directive.includes("'unsafe-inline'")).map(nameOf),
    label,
  ).toEqual(['style-src'])
}

function nameOf(directive: string): string {
  return directive.split(' ')[0]
}

test('every response carries the headers, and the whole flow works under them', async ({
  page,
  baseURL,
}) => {
  const watched = await watch(page)
  const responses: Response[] = []
  page.on('response', (response) => {
    if (new URL(response.url()).origin === new URL(baseURL ?? '').origin) responses.push(response)
  })

  const document = await page.goto('/')
  expect(document?.status()).toBe(200)
  if (document) expectSecurityHeaders(document, 'the page')
  // Isolated, the page may share memory with its workers: one reads the file, one checks it.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)

  // A package with problems: read in the worker, fixed, downloaded, uploaded to the sandbox.
  const good = tokens(30)
  const rows = [...good, good[0], token().toUpperCase(), '', '<script>alert(1)</script>']
  await page
    .locator('[data-testid=drop-zone] input[type=file]')
    .setInputFiles(filePayload('csp.txt', rows.join('\n') + '\n'))
  const report = page.getByTestId('report')
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('fix-all')).toHaveCount(0)
  await page.getByTestId('fix-invalid').click()
  await page.getByTestId('confirm-invalid-ok').click()
  await expect(report).toHaveAttribute('data-verdict', 'ready')
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-clean').click(),
  ])
  expect(download.suggestedFilename()).toBe('csp.txt')

  await expect(page.getByTestId('region')).toHaveValue('sandbox')
  await page.getByTestId('access-id').fill('csp-app')
  await page.getByTestId('secret-key').fill('csp-secret')
  await page.getByTestId('upload').click()
  await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', /^[1-9]\d*$/)

  // The page, its scripts, its worker and its API answers all came with the headers.
  const kinds = new Set(responses.map((response) => response.request().resourceType()))
  expect([...kinds]).toEqual(expect.arrayContaining(['document', 'script', 'fetch']))
  const workers = responses
    .map((response) => response.url())
    .filter((url) => /\.worker[^/]*\.js$/.test(url))
  expect(
    workers.some((url) => url.includes('package.worker')),
    'the package worker',
  ).toBe(true)
  expect(
    workers.some((url) => url.includes('file-reader.worker')),
    'the reader worker',
  ).toBe(true)
  for (const response of responses) {
    expectSecurityHeaders(response, `${response.request().method()} ${response.url()}`)
  }

  expect(await watched.violations()).toEqual([])
  expect(watched.trouble).toEqual([])
})

test('the policy is enforced: an inline script is refused and reported', async ({ page }) => {
  const watched = await watch(page)
  await page.goto('/')
  await expect(page.getByTestId('drop-zone')).toBeVisible()
  await page.evaluate(() => {
    const script = document.createElement('script')
    script.textContent = 'window.__ran = true'
    document.body.append(script)
  })
  // Exactly this one: the page itself never trips the policy (zod's eval probe once did).
  await expect.poll(() => watched.violations()).toEqual(['script-src-elem inline'])
  expect(await page.evaluate(() => Reflect.get(window, '__ran'))).toBeUndefined()
})

test('the page cannot be framed by another page', async ({ page, baseURL }) => {
  // A page of another origin (about:blank here) putting the app in a frame.
  await page.setContent(`<iframe id="app" src="${baseURL}/" width="600" height="400"></iframe>`)
  // Chromium puts its error page in place of a frame that frame-ancestors refuses.
  await expect
    .poll(() =>
      page
        .frames()
        .find((frame) => frame !== page.mainFrame())
        ?.url(),
    )
    .toBe('chrome-error://chromewebdata/')
  await expect(page.frameLocator('#app').locator('[data-testid=drop-zone]')).toHaveCount(0)
})

import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { filePayload, token, tokens } from './fixtures.ts'
import { SERVER_ACCESS_ID, SERVER_SECRET_KEY, useTpnsSetup } from './tpns-servers.ts'

const ACCESS_ID = '1500001234'
const SECRET_KEY = 'browser-typed-secret-7f3a'

function basic(accessId: string, secretKey: string): string {
  return `Basic ${Buffer.from(`${accessId}:${secretKey}`).toString('base64')}`
}

/** Drops a clean package of fresh tokens and waits for it to be ready; returns its bytes. */
async function dropReady(page: Page, name = 'tokens.txt', count = 50): Promise<string> {
  const content = tokens(count).join('\n') + '\n'
  await page
    .locator('[data-testid=drop-zone] input[type=file]')
    .setInputFiles(filePayload(name, content))
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  return content
}

async function typeCredentials(page: Page, accessId = ACCESS_ID, secretKey = SECRET_KEY) {
  await page.getByTestId('access-id').fill(accessId)
  await page.getByTestId('secret-key').fill(secretKey)
}

test.describe('browser credentials, fake TPNS upstream', () => {
  const setup = useTpnsSetup()

  test('sends the clean package as field "file" with its name and the Basic header', async ({
    page,
  }) => {
    // Problems the one-click fixes repair without losing a token: the upload is what is left.
    const good = tokens(20)
    const extra = token()
    const rows = [...good, good[3].toUpperCase(), `  ${extra}  `]
    await page
      .locator('[data-testid=drop-zone] input[type=file]')
      .setInputFiles(filePayload('march tokens.csv', rows.join('\r\n') + '\r\n', 'text/csv'))
    await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'needs-fixes')
    await expect(page.getByTestId('upload')).toBeDisabled()
    await expect(page.getByTestId('upload-blocked')).toBeVisible()
    await page.getByTestId('fix-all').click()
    await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')

    // No server credentials: the sandbox comes first; the fake sits behind Guangzhou.
    await expect(page.getByTestId('region')).toHaveValue('sandbox')
    await page.getByTestId('region').selectOption('guangzhou')
    await expect(page.getByTestId('upload')).toBeDisabled()
    await expect(page.getByTestId('secret-key')).toHaveAttribute('type', 'password')
    await typeCredentials(page)
    await page.getByTestId('upload').click()

    const result = page.getByTestId('upload-result')
    await expect(result).toHaveAttribute('data-upload-id', '7000001')
    expect(setup().upstream.requests).toHaveLength(1)
    const [sent] = setup().upstream.requests
    const form = await sent.form()
    expect(sent.method).toBe('POST')
    expect(sent.url).toBe('/v3/push/package/upload')
    expect(form.fieldName).toBe('file')
    expect(form.fileName).toBe('march tokens.txt')
    expect(sent.headers.authorization).toBe(basic(ACCESS_ID, SECRET_KEY))
    expect(form.bytes.toString('utf8')).toBe([...good, extra].join('\n') + '\n')

    // The SecretKey went into the request only: not into storage, the history or the URL.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
    expect(stored).not.toContain(SECRET_KEY)
    expect(page.url()).not.toContain(SECRET_KEY)
    await expect(page.getByTestId('history-entry').first()).toHaveAttribute(
      'data-upload-id',
      '7000001',
    )
    const history = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('tpns-history')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const read = open.result.transaction('entries').objectStore('entries').getAll()
            read.onsuccess = () => resolve(JSON.stringify(read.result))
          }
        }),
    )
    expect(history).toContain('7000001')
    expect(history).not.toContain(SECRET_KEY)
  })

  test('keeps the credentials for the tab only when asked', async ({ page }) => {
    await dropReady(page)
    await typeCredentials(page)
    await page.reload()
    await dropReady(page)
    await expect(page.getByTestId('secret-key')).toHaveValue('')

    await typeCredentials(page)
    await page.getByTestId('remember-credentials').check()
    await page.reload()
    await dropReady(page)
    await expect(page.getByTestId('secret-key')).toHaveValue(SECRET_KEY)
    const local = await page.evaluate(() => JSON.stringify({ ...localStorage }))
    expect(local).not.toContain(SECRET_KEY)
  })

  test('a TPNS retCode is explained and not retried', async ({ page }) => {
    setup().upstream.reply({ status: 200, json: { retCode: 1008003, errMsg: 'auth failure' } })
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    await page.getByTestId('upload').click()
    const error = page.getByTestId('upload-error')
    await expect(error).toHaveAttribute('data-ret-code', '1008003')
    await expect(error).toContainText('AccessID and SecretKey')
    await expect(error).toContainText('auth failure')
    expect(setup().upstream.requests).toHaveLength(1)
  })

  test('"too fast" says to retry later, even under HTTP 503, with no automatic retry', async ({
    page,
  }) => {
    setup().upstream.reply({ status: 503, json: { retCode: 1008028, errMsg: 'request too fast' } })
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    await page.getByTestId('upload').click()
    const error = page.getByTestId('upload-error')
    await expect(error).toHaveAttribute('data-ret-code', '1008028')
    await expect(error).toContainText('Retry later')
    await page.waitForTimeout(1_500)
    expect(setup().upstream.requests).toHaveLength(1)

    // The clean package is kept: trying again sends it.
    await page.getByTestId('upload-retry-button').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', /^\d+$/)
    expect(setup().upstream.requests).toHaveLength(2)
  })

  test('an upstream that fails once with 503 is retried and succeeds', async ({ page }) => {
    setup().upstream.reply({ status: 503, text: 'Service Unavailable' })
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-retry')).toBeVisible()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '7000001')
    expect(setup().upstream.requests).toHaveLength(2)
    const [first, second] = setup().upstream.requests
    expect((await first.form()).bytes).toEqual((await second.form()).bytes)
    await expect(page.getByTestId('upload-error')).toHaveCount(0)
  })

  test('an upstream that is down ends in an explained 502, after retries', async ({ page }) => {
    await dropReady(page)
    await page.getByTestId('region').selectOption('shanghai')
    await typeCredentials(page)
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-retry')).toBeVisible()
    const error = page.getByTestId('upload-error')
    await expect(error).toBeVisible({ timeout: 20_000 })
    await expect(error).toHaveAttribute('data-proxy-error', 'unreachable')
    await expect(error).not.toHaveAttribute('data-ret-code')
    await expect(error).toContainText('could not reach TPNS (Shanghai)')
  })

  test('an upstream that hangs ends in an explained timeout (504)', async ({ page }) => {
    setup().upstream.always('hang')
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    await page.getByTestId('upload').click()
    const error = page.getByTestId('upload-error')
    await expect(error).toBeVisible({ timeout: 30_000 })
    await expect(error).toHaveAttribute('data-proxy-error', 'timeout')
    await expect(error).toContainText('did not answer in time')
    // One try and three retries, each reaching the upstream.
    expect(setup().upstream.requests).toHaveLength(4)
  })

  test('cancel stops the upload and keeps the package for another try', async ({ page }) => {
    setup().upstream.always('hang')
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-progress')).toBeVisible()
    await expect.poll(() => setup().upstream.requests.length).toBe(1)
    await page.getByTestId('upload-cancel').click()
    await expect(page.getByTestId('upload-cancelled')).toBeVisible()
    await expect(page.getByTestId('upload-progress')).toHaveCount(0)
    await expect(page.getByTestId('history-entry')).toHaveCount(0)

    setup().upstream.reset()
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', /^\d+$/)
    expect(setup().upstream.requests).toHaveLength(1)
  })

  test('one click is one upload', async ({ page }) => {
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    await page.getByTestId('upload').dblclick()
    await expect(page.getByTestId('upload-result')).toBeVisible()
    await page.waitForTimeout(500)
    expect(setup().upstream.requests).toHaveLength(1)
    await expect(page.getByRole('dialog')).toHaveCount(0)
  })

  test('offline is explained, before and during an upload, and it works once back', async ({
    page,
    context,
  }) => {
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    const error = page.getByTestId('upload-error')

    // Going offline mid-upload ends it at once, with the reason.
    setup().upstream.reply('hang')
    await page.getByTestId('upload').click()
    await expect.poll(() => setup().upstream.requests.length).toBe(1)
    await context.setOffline(true)
    await expect(error).toHaveAttribute('data-failure', 'offline')
    await expect(error).toContainText('offline')
    await expect(page.getByTestId('offline')).toBeVisible()

    // Offline from the start: nothing is sent, and the page says why.
    await page.getByTestId('upload-retry-button').click()
    await expect(error).toHaveAttribute('data-failure', 'offline')
    expect(setup().upstream.requests).toHaveLength(1)

    await context.setOffline(false)
    await expect(page.getByTestId('offline')).toHaveCount(0)
    await page.getByTestId('upload-retry-button').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '7000001')
  })

  test('the same bytes again ask first, with the earlier uploadId; keyboard only', async ({
    page,
  }) => {
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '7000001')
    await expect(page.getByTestId('history-entry')).toHaveCount(1)

    await page.getByTestId('upload').click()
    const dialog = page.getByRole('dialog')
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('7000001')
    await expect(dialog).toContainText(ACCESS_ID)
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
    expect(setup().upstream.requests).toHaveLength(1)

    await page.getByTestId('upload').focus()
    await page.keyboard.press('Enter')
    await expect(dialog).toBeVisible()
    // Focus starts on Cancel, the safe choice; Tab moves to "Upload again".
    await page.keyboard.press('Tab')
    await expect(page.getByTestId('reupload-confirm')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '7000002')
    expect(setup().upstream.requests).toHaveLength(2)

    // Another AccessID is another app: no question.
    await page.getByTestId('access-id').fill('1500005678')
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '7000003')
    await expect(dialog).toHaveCount(0)
  })

  test('the upload panel has no axe violations, idle, asking and done', async ({ page }) => {
    test.slow() // axe on a loaded machine
    await dropReady(page)
    await page.getByTestId('region').selectOption('guangzhou')
    await typeCredentials(page)
    const axe = () => new AxeBuilder({ page }).include('[data-testid=upload-panel]').analyze()
    expect((await axe()).violations).toEqual([])
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-result')).toBeVisible()
    expect((await axe()).violations).toEqual([])
    await page.getByTestId('upload').click()
    await expect(page.getByRole('dialog')).toBeVisible()
    expect((await axe()).violations).toEqual([])
  })
})

test.describe('server credentials, fake TPNS upstream', () => {
  const setup = useTpnsSetup({ serverCredentials: true })

  test('no credential fields; the server signs; the region used last comes back', async ({
    page,
  }) => {
    await dropReady(page, 'server.txt')
    await expect(page.getByTestId('server-credentials')).toContainText(SERVER_ACCESS_ID)
    await expect(page.getByTestId('access-id')).toHaveCount(0)
    await expect(page.getByTestId('secret-key')).toHaveCount(0)
    await expect(page.getByTestId('region')).toHaveValue('guangzhou')

    await page.getByTestId('region').selectOption('singapore')
    await page.getByTestId('upload').click()
    await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '7000001')
    const [sent] = setup().upstream.requests
    const form = await sent.form()
    expect(form.fieldName).toBe('file')
    expect(form.fileName).toBe('server.txt')
    expect(sent.headers.authorization).toBe(basic(SERVER_ACCESS_ID, SERVER_SECRET_KEY))

    await page.reload()
    await dropReady(page, 'server.txt')
    await expect(page.getByTestId('region')).toHaveValue('singapore')
    await expect(page.getByTestId('history-entry').first()).toContainText(SERVER_ACCESS_ID)
  })

  test('the upload panel has no axe violations in this mode', async ({ page }) => {
    test.slow() // axe on a loaded machine
    await dropReady(page)
    const results = await new AxeBuilder({ page }).include('[data-testid=upload-panel]').analyze()
    expect(results.violations).toEqual([])
  })
})

test.describe('no configuration at all (the default server)', () => {
  test('a package that needs fixes cannot be uploaded, and says why', async ({ page }) => {
    await page.goto('/')
    await page
      .locator('[data-testid=drop-zone] input[type=file]')
      .setInputFiles(filePayload('bad.txt', `${token().toUpperCase()}\n${token()}\n`))
    await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'needs-fixes')
    await typeCredentials(page)
    await expect(page.getByTestId('upload')).toBeDisabled()
    await expect(page.getByTestId('upload-blocked')).toContainText('Fix the problems')
  })
})

import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { filePayload, token, tokens } from './fixtures.ts'
import type { FakeTpns } from '../src/testing/node/fake-tpns.ts'
import { useTpnsSetup } from './tpns-servers.ts'

// Faults upload.spec.ts and history.spec.ts leave out: upstream answers that are not TPNS's,
// a success without an uploadId, rate limiting under HTTP 200, storage that is full, and the
// network going away mid-upload from a package that needed fixes. Each is explained in
// English and in Chinese, and the clean package and its fixes stay for another try.

/**
 * Drops a package that needs fixes and applies fix-all: 24 rows (a duplicate, an uppercase
 * token, one in spaces, a blank) become 22 valid ones. Returns the clean package's text.
 */
async function dropAndFix(page: Page): Promise<string> {
  const good = tokens(20)
  const upper = token()
  const spaced = token()
  const rows = [...good, good[2], upper.toUpperCase(), `  ${spaced}  `, '']
  await page
    .locator('[data-testid=drop-zone] input[type=file]')
    .setInputFiles(filePayload('faulty.txt', rows.join('\n') + '\n'))
  const report = page.getByTestId('report')
  await expect(report).toHaveAttribute('data-verdict', 'needs-fixes')
  await page.getByTestId('fix-all').click()
  await expectFixesKept(page)
  return [...good, upper, spaced].join('\n') + '\n'
}

/** The report as fix-all left it: 22 rows, all valid, nothing left to fix. */
async function expectFixesKept(page: Page) {
  const report = page.getByTestId('report')
  await expect(report).toHaveAttribute('data-verdict', 'ready')
  await expect(page.getByTestId('count-rows')).toHaveText('22')
  await expect(page.getByTestId('count-valid')).toHaveText('22')
  for (const code of ['blank', 'whitespace', 'uppercase', 'duplicate']) {
    await expect(page.getByTestId(`count-${code}`)).toHaveCount(0)
  }
  await expect(page.getByTestId('fix-all')).toHaveCount(0)
}

async function startUpload(page: Page) {
  await page.getByTestId('region').selectOption('guangzhou')
  await page.getByTestId('access-id').fill('1500004321')
  await page.getByTestId('secret-key').fill('faults-secret')
  await page.getByTestId('upload').click()
}

async function switchLanguage(page: Page, language: 'en' | 'zh') {
  await page.getByTestId('language').selectOption(language)
  await expect(page.locator('html')).toHaveAttribute('lang', language === 'zh' ? 'zh-CN' : 'en')
}

/**
 * After a failed upload: the error says why in both languages, nothing counts as uploaded,
 * the fixed package is still there, and trying again sends the same clean bytes and works.
 */
async function expectExplainedThenRetried(
  page: Page,
  upstream: FakeTpns,
  clean: string,
  messages: { en: string[]; zh: string[] },
) {
  const error = page.getByTestId('upload-error')
  for (const text of messages.en) await expect(error).toContainText(text)
  await expect(error).toContainText('The clean package is kept: you can try again.')
  await expect(page.getByTestId('upload-result')).toHaveCount(0)
  await expect(page.getByTestId('history-entry')).toHaveCount(0)

  await switchLanguage(page, 'zh')
  for (const text of messages.zh) await expect(error).toContainText(text)
  await expect(error).toContainText('干净号码包已保留，可以重试。')
  await switchLanguage(page, 'en')

  await expectFixesKept(page)
  expect(upstream.requests.length).toBeGreaterThan(0)
  for (const sent of upstream.requests)
    expect((await sent.form()).bytes.toString('utf8')).toBe(clean)

  upstream.reset()
  await page.getByTestId('upload-retry-button').click()
  await expect(page.getByTestId('upload-result')).toHaveAttribute('data-upload-id', '7000001')
  await expect(page.getByTestId('upload-error')).toHaveCount(0)
  expect(upstream.requests).toHaveLength(1)
  const retried = await upstream.requests[0].form()
  expect(retried.bytes.toString('utf8')).toBe(clean)
  expect(retried.fileName).toBe('faulty.txt')
  await expect(page.getByTestId('history-entry').first()).toHaveAttribute(
    'data-upload-id',
    '7000001',
  )
  await expectFixesKept(page)
}

test.describe('upstream faults, through the proxy', () => {
  const setup = useTpnsSetup()

  test('an HTML 502 page from a gateway: retried, then explained', async ({ page }) => {
    setup().upstream.always({
      status: 502,
      text: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
      type: 'text/html',
    })
    const clean = await dropAndFix(page)
    await startUpload(page)
    await expect(page.getByTestId('upload-retry')).toBeVisible()
    const error = page.getByTestId('upload-error')
    await expect(error).toBeVisible({ timeout: 30_000 })
    await expect(error).toHaveAttribute('data-failure', 'proxy')
    await expect(error).toHaveAttribute('data-proxy-error', 'not-json')
    await expect(error).not.toHaveAttribute('data-ret-code')
    // A gateway's failure is worth three more tries, each reaching the upstream.
    expect(setup().upstream.requests).toHaveLength(4)
    await expectExplainedThenRetried(page, setup().upstream, clean, {
      en: ['TPNS (Guangzhou) answered HTTP 502 with something that is not JSON'],
      zh: ['TPNS（广州）以 HTTP 502 返回了非 JSON 的内容'],
    })
  })

  test('a 200 that is not JSON: explained, and not sent again on its own', async ({ page }) => {
    setup().upstream.always({ status: 200, text: 'OK' })
    const clean = await dropAndFix(page)
    await startUpload(page)
    const error = page.getByTestId('upload-error')
    await expect(error).toHaveAttribute('data-proxy-error', 'not-json')
    // The upstream took the request and said 200: another try could upload it twice.
    await page.waitForTimeout(1_500)
    expect(setup().upstream.requests).toHaveLength(1)
    await expect(page.getByTestId('upload-retry')).toHaveCount(0)
    await expectExplainedThenRetried(page, setup().upstream, clean, {
      en: ['TPNS (Guangzhou) answered HTTP 200 with something that is not JSON'],
      zh: ['TPNS（广州）以 HTTP 200 返回了非 JSON 的内容'],
    })
  })

  test('retCode 0 without an uploadId is an error, not a success', async ({ page }) => {
    setup().upstream.always({ status: 200, json: { retCode: 0, errMsg: 'NO_ERROR' } })
    const clean = await dropAndFix(page)
    await startUpload(page)
    const error = page.getByTestId('upload-error')
    await expect(error).toHaveAttribute('data-failure', 'bad-answer')
    await page.waitForTimeout(1_500)
    expect(setup().upstream.requests).toHaveLength(1)
    await expectExplainedThenRetried(page, setup().upstream, clean, {
      en: ['The answer (HTTP 200) carried no uploadId, so the upload cannot be confirmed.'],
      zh: ['答复（HTTP 200）中没有 uploadId，无法确认上传成功。'],
    })
  })

  test('retCode 1008028 under HTTP 200 says to retry later, and is not retried', async ({
    page,
  }) => {
    setup().upstream.always({ status: 200, json: { retCode: 1008028, errMsg: 'request too fast' } })
    const clean = await dropAndFix(page)
    await startUpload(page)
    const error = page.getByTestId('upload-error')
    await expect(error).toHaveAttribute('data-ret-code', '1008028')
    await page.waitForTimeout(1_500)
    expect(setup().upstream.requests).toHaveLength(1)
    await expectExplainedThenRetried(page, setup().upstream, clean, {
      en: [
        'Too many requests too fast: TPNS is limiting them. Retry later.',
        'TPNS answered retCode 1008028: request too fast',
      ],
      zh: [
        '请求过于频繁，TPNS 正在限流。请稍后重试。',
        'TPNS 返回 retCode 1008028：request too fast',
      ],
    })
  })

  test('going offline mid-upload: explained at once, and it works once back', async ({
    page,
    context,
  }) => {
    setup().upstream.reply('hang')
    const clean = await dropAndFix(page)
    await startUpload(page)
    await expect.poll(() => setup().upstream.requests.length).toBe(1)
    await context.setOffline(true)
    const error = page.getByTestId('upload-error')
    await expect(error).toHaveAttribute('data-failure', 'offline')
    await expect(page.getByTestId('offline')).toBeVisible()
    await context.setOffline(false)
    await expect(page.getByTestId('offline')).toHaveCount(0)
    await expectExplainedThenRetried(page, setup().upstream, clean, {
      en: ['The browser went offline. Connect again, then try again'],
      zh: ['浏览器已离线。请恢复网络后重试'],
    })
  })
})

/** Makes every IndexedDB write fail as a full disk does: put throws QuotaExceededError. */
async function fillStorage(context: BrowserContext) {
  await context.addInitScript(() => {
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }
  })
}

test('storage full when the history is saved: the upload shows, the entry stays in memory', async ({
  page,
  context,
}) => {
  await fillStorage(context)
  // The default server: its sandbox takes any credentials.
  await page.goto('/')
  await page
    .locator('[data-testid=drop-zone] input[type=file]')
    .setInputFiles(filePayload('quota.txt', tokens(12).join('\n') + '\n'))
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await page.getByTestId('access-id').fill('quota-app')
  await page.getByTestId('secret-key').fill('quota-secret')
  await page.getByTestId('upload').click()

  const result = page.getByTestId('upload-result')
  await expect(result).toHaveAttribute('data-upload-id', /^[1-9]\d*$/)
  const uploadId = (await result.getAttribute('data-upload-id')) ?? ''
  const entry = page.locator(`[data-testid=history-entry][data-upload-id="${uploadId}"]`)
  await expect(entry).toBeVisible()
  await expect(entry).toContainText('quota.txt')
  await expect(page.getByTestId('upload-error')).toHaveCount(0)

  const notice = page.getByTestId('history-memory')
  await expect(notice).toContainText('the history lasts only until this tab closes')
  await switchLanguage(page, 'zh')
  await expect(notice).toContainText('上传记录只保留到本标签页关闭')
  await expect(result).toHaveAttribute('data-upload-id', uploadId)
})

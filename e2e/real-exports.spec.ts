import { expect, test, type Page } from '@playwright/test'
import JSZip from 'jszip'
import { filePayload, tokens } from './fixtures.ts'
import { count, download, drop, type Payload } from './page-actions.ts'

/** The clean package a marketer should get: UTF-8, no BOM, LF, one token a row, in order. */
const ideal = (values: string[]) => values.join('\n') + '\n'

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))),
  )

/** Drops the export, clicks "Fix everything that loses no token", and downloads the clean package. */
async function cleanPackageOf(page: Page, payload: Payload): Promise<string> {
  await drop(page, payload)
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  const clean = await download(page, 'download-clean')
  return clean.bytes.toString('utf8')
}

// GBK from Excel or WPS on Chinese Windows: a shared flow, in every engine (e2e/flows/).
// Kunde;Gerät-Token;; and Müller, as German Excel saves a "CSV" (Windows-1252, semicolons).
const CP1252_HEADER = [
  0x4b, 0x75, 0x6e, 0x64, 0x65, 0x3b, 0x47, 0x65, 0x72, 0xe4, 0x74, 0x2d, 0x54, 0x6f, 0x6b, 0x65,
  0x6e, 0x3b, 0x3b,
]
const CP1252_MUELLER = [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]
// 裝置Token in Big5.
const BIG5_HEADER = [0xb8, 0xcb, 0xb8, 0x6d, 0x54, 0x6f, 0x6b, 0x65, 0x6e]

test.beforeEach(async ({ page }) => {
  await page.goto('/')
})

test('German Excel: Windows-1252, semicolons, the tokens in the second column, trailing empty columns', async ({
  page,
}) => {
  const values = tokens(3)
  const rows = values.map((value) => [
    ...bytes('\r\n', [...CP1252_MUELLER], `;${value.toUpperCase()};;`),
  ])
  const payload = filePayload('Export.csv', bytes(CP1252_HEADER, ...rows, '\r\n'), 'text/csv')
  await drop(page, payload)
  await expect(page.getByTestId('problem-encoding-legacy')).toContainText('Windows-1252')
  await expect(page.getByTestId('problem-csv-columns')).toBeVisible()
  await expect(page.getByTestId('fix-csv-columns')).toContainText('Keep the token column')
  expect(await cleanPackageOf(page, payload)).toBe(ideal(values))
})

test('a tab-separated .txt with the tokens in the second column', async ({ page }) => {
  const values = tokens(5)
  const text = [
    'platform\ttoken',
    ...values.map((value, index) => `${index % 2 ? 'ios' : 'android'}\t${value}`),
  ]
  expect(await cleanPackageOf(page, filePayload('export.txt', text.join('\n') + '\n'))).toBe(
    ideal(values),
  )
})

test('tokens copied from web pages and chat, typed with a Chinese input method, or quoted', async ({
  page,
}) => {
  const values = tokens(6)
  const fullWidth = (value: string) =>
    value.replace(/[0-9a-f]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
  const rows = [
    `${values[0]}\u00a0`,
    `\u200b${values[1]}`,
    fullWidth(values[2]),
    `"${values[3]}",`,
    `'${values[4]}'`,
    `["${values[5]}"]`,
  ]
  await drop(page, filePayload('copied.txt', rows.join('\n') + '\n'))
  expect(await count(page, 'invisible')).toBe(3)
  expect(await count(page, 'wrapped')).toBe(3)
  expect(await count(page, 'length')).toBe(0)
  expect(await count(page, 'charset')).toBe(0)
  await page.getByTestId('fix-invisible').click()
  await expect(page.getByTestId('count-invisible')).toHaveCount(0)
  await page.getByTestId('fix-wrapped').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  expect((await download(page, 'download-clean')).bytes.toString('utf8')).toBe(ideal(values))
  // Each fix is a step of its own: undo brings the wrapped rows back, every token still there.
  await page.getByTestId('undo').click()
  await expect.poll(() => count(page, 'wrapped')).toBe(3)
  expect(await count(page, 'rows')).toBe(6)
})

test('a JSON array saved as .txt, on one line or pretty-printed', async ({ page }) => {
  const values = tokens(4)
  for (const json of [
    JSON.stringify(values),
    JSON.stringify(
      values.map((token) => ({ token })),
      null,
      2,
    ),
  ]) {
    expect(await cleanPackageOf(page, filePayload('tokens.txt', json))).toBe(ideal(values))
  }
})

test('an Excel workbook renamed .csv is named, with the export steps, and nothing to fix', async ({
  page,
}) => {
  const zip = new JSZip()
  zip.file('[Content_Types].xml', '<Types/>')
  zip.file('xl/workbook.xml', '<workbook/>')
  zip.file('xl/worksheets/sheet1.xml', `<sheetData>${tokens(3).join('')}</sheetData>`)
  const workbook = await zip.generateAsync({ type: 'uint8array' })
  const report = await drop(page, filePayload('tokens.csv', workbook, 'text/csv'))
  await expect(report).toHaveAttribute('data-verdict', 'unreadable')
  await expect(page.getByTestId('problem-spreadsheet')).toContainText('.xlsx')
  await expect(page.getByTestId('problem-spreadsheet')).toContainText('CSV UTF-8')
  await expect(page.getByTestId('problem-encoding-invalid')).toHaveCount(0)
  await expect(page.getByTestId('fix-all')).toHaveCount(0)
  expect(await count(page, 'rows')).toBe(0)
})

test('the encoding guess can be changed, and the rows are read again in the one chosen', async ({
  page,
}) => {
  const values = tokens(2)
  await drop(page, filePayload('big5.txt', bytes(BIG5_HEADER, '\n', values.join('\n'), '\n')))
  const problem = page.getByTestId('problem-encoding-legacy')
  await expect(problem).toContainText('Big5')
  await expect(problem).toContainText('裝置Token')
  await page.getByTestId('encoding').selectOption('gb18030')
  await expect(problem).toContainText('GB18030')
  await expect(problem).not.toContainText('裝置Token')
  await page.getByTestId('encoding').selectOption('big5')
  await expect(problem).toContainText('裝置Token')
  expect(await count(page, 'valid')).toBe(2)
  expect(await count(page, 'header')).toBe(1)
})

test('an account list checked as tokens: the page says so, switches in one click, and undo moves the switch back', async ({
  page,
}) => {
  const accounts = ['alice', 'bob@example.com', '13800138000', 'user_42', 'zhang.san']
  await drop(page, filePayload('accounts.txt', accounts.join('\n') + '\n'))
  await expect(page.getByTestId('kind-hint')).toContainText('accounts')
  await page.getByTestId('kind-hint').getByRole('button').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await expect(page.locator('[data-testid=kind] input[value=account]')).toBeChecked()
  await expect(page.getByTestId('kind-hint')).toHaveCount(0)

  // Accounts are spoken of as accounts: a duplicate makes the fix say so.
  await drop(page, filePayload('accounts.txt', [...accounts, accounts[0]].join('\n') + '\n'))
  await expect(page.getByTestId('fix-all')).toContainText('loses no account')
  await expect(page.getByText('the account would be counted twice')).toBeVisible()

  await page.locator('[data-testid=kind] input[value=token]').check()
  await expect(page.getByTestId('kind-hint')).toBeVisible()
  await page.getByTestId('undo').click()
  await expect(page.locator('[data-testid=kind] input[value=account]')).toBeChecked()
})

test('a tab-separated export dropped on accounts: switched to tokens, it is read again, and undo brings the fixes back', async ({
  page,
}) => {
  const values = tokens(2)
  const rows = ['name\ttoken', `Li Si\t${values[0]}`, ` Zhang San\t${values[1]} `]
  await page.locator('[data-testid=kind] input[value=account]').check()
  await drop(page, filePayload('export.txt', rows.join('\n') + '\n'))
  // As accounts, a .txt is split at its tabs: the names are the accounts, under a header.
  expect(await count(page, 'header')).toBe(1)
  expect(await count(page, 'valid')).toBe(1)
  await expect(page.getByTestId('kind-hint')).toContainText('device tokens')
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('kind-rereads')).toBeVisible()

  await page.getByTestId('kind-hint').getByRole('button').click()
  await expect(page.locator('[data-testid=kind] input[value=token]')).toBeChecked()
  await expect(page.getByTestId('problem-csv-columns')).toBeVisible()
  await expect(page.getByTestId('kind-rereads')).toHaveCount(0)
  expect(await count(page, 'rows')).toBe(3)
  expect(await count(page, 'header')).toBe(1)
  expect(await count(page, 'valid')).toBe(1)
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  expect((await download(page, 'download-clean')).bytes.toString('utf8')).toBe(ideal(values))

  await page.getByTestId('undo').click()
  await page.getByTestId('undo').click()
  await expect(page.locator('[data-testid=kind] input[value=account]')).toBeChecked()
  await expect(page.getByTestId('kind-rereads')).toBeVisible()
  expect(await count(page, 'whitespace')).toBe(0)
})

test('two columns that both look like tokens: the user chooses the one that holds them', async ({
  page,
}) => {
  const ids = tokens(3)
  const values = tokens(3)
  const rows = ids.map((id, index) => `${id};${values[index]}`)
  await drop(
    page,
    filePayload('export.csv', ['install_id;device_token', ...rows].join('\n') + '\n', 'text/csv'),
  )
  const choice = page.getByTestId('token-column')
  await expect(choice).toHaveValue('0')
  await expect(choice.locator('option').nth(1)).toContainText(values[0])
  await choice.selectOption('1')
  await expect(page.getByTestId('token-column')).toHaveValue('1')
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  expect((await download(page, 'download-clean')).bytes.toString('utf8')).toBe(ideal(values))
})

test('Android and iOS tokens in two columns: the other column is added, before or after fix-all, and every token is in the clean package', async ({
  page,
}) => {
  const [a, b, c] = tokens(3)
  const rows = ['user,android_token,ios_token', `u1,${a},`, `u2,,${b}`, `u3,${c},`]
  const payload = filePayload('export.csv', rows.join('\r\n') + '\r\n', 'text/csv')
  await drop(page, payload)
  await expect(page.getByTestId('token-column')).toHaveValue('1')
  await page.getByTestId('add-token-column-3').click()
  await expect(page.getByTestId('source')).toHaveCount(2)
  await expect(page.getByTestId('source').nth(1)).toContainText('column 3')
  // Every column that holds tokens is read now: nothing more is offered.
  await expect(page.getByTestId('other-token-columns')).toHaveCount(0)
  // The empty cells are blank rows, the second column name a header: fix-all takes them off.
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  expect((await download(page, 'download-clean')).bytes.toString('utf8')).toBe(ideal([a, c, b]))

  // Fix-all first keeps one column; the other can still be added from the file's text.
  await drop(page, payload)
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await page.getByTestId('add-token-column-3').click()
  await page.getByTestId('fix-all').click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-verdict', 'ready')
  await expect(page.getByTestId('source')).toHaveCount(2)
  expect((await download(page, 'download-clean')).bytes.toString('utf8')).toBe(ideal([a, c, b]))
})

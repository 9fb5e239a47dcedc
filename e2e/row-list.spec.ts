import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { filePayload, token, tokens } from './fixtures.ts'
import { count, drop as dropPackage, type Payload } from './page-actions.ts'

/** Drops a package and waits for its first row in the list. */
async function drop(page: Page, payload: Payload | string) {
  await dropPackage(page, payload)
  await expect(page.getByTestId('row').first()).toBeVisible()
}

function row(page: Page, line: number): Locator {
  return page.locator(`[data-testid=row][data-line="${line}"]`)
}

/** The row the list's aria-activedescendant points at. */
async function activeLine(page: Page): Promise<number | null> {
  const id = await page.getByTestId('row-list').getAttribute('aria-activedescendant')
  if (!id) return null
  const line = await page.locator(`[id="${id}"]`).getAttribute('data-line')
  return line === null ? null : Number(line)
}

async function expectActive(page: Page, line: number) {
  await expect.poll(() => activeLine(page)).toBe(line)
}

/** Ten rows: lines 1, 2, 5, 7 and 9 are valid; the others each have one problem. */
function mixedRows() {
  const good = tokens(5)
  const upper = token().toUpperCase()
  return {
    good,
    upper,
    text: [
      good[0],
      good[1],
      `  ${token()}\t`,
      upper,
      good[2],
      '',
      good[3],
      good[0],
      good[4],
      'abc',
    ].join('\n'),
  }
}

test.beforeEach(async ({ page }) => {
  await page.goto('/')
})

test('rows render with line numbers, visible whitespace and problem badges', async ({ page }) => {
  const { good, upper, text } = mixedRows()
  await drop(page, filePayload('mixed.txt', text))
  const list = page.getByTestId('row-list')
  await expect(list).toHaveAttribute('role', 'grid')
  await expect(list).toHaveAttribute('aria-rowcount', '10')
  await expect(page.getByTestId('row')).toHaveCount(10)

  await expect(row(page, 1)).toContainText(good[0])
  await expect(row(page, 1)).toHaveAttribute('data-index', '0')
  await expect(row(page, 1).locator('[data-code]')).toHaveCount(0)
  // Leading spaces and the trailing tab are drawn, so one sees why the row is flagged.
  await expect(row(page, 3).locator('.row__value')).toHaveText(/^··[0-9a-f]{36}→$/)
  await expect(row(page, 3).locator('[data-code=whitespace]')).toBeVisible()
  await expect(row(page, 4)).toContainText(upper)
  await expect(row(page, 4).locator('[data-code=uppercase]')).toHaveText('upper')
  await expect(row(page, 6).locator('[data-code=blank]')).toBeVisible()
  await expect(row(page, 8).locator('[data-code=duplicate]')).toBeVisible()
  await expect(row(page, 10).locator('[data-code=length]')).toBeVisible()
  await expect(page.getByText('Showing 10 of 10 rows')).toBeVisible()
})

test('extra CSV columns are shown dimmed after the value', async ({ page }) => {
  const value = token()
  await drop(page, filePayload('tokens.csv', `${value},ios,2024\n${token()}\n`, 'text/csv'))
  await expect(row(page, 1).locator('.row__extra')).toHaveText(',ios,2024')
  await expect(row(page, 1).locator('[data-code=extra]')).toBeVisible()
  await expect(row(page, 2).locator('.row__extra')).toHaveCount(0)
})

test('markup in a row shows as text, never as HTML', async ({ page }) => {
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const markup = '<img src=x onerror=alert(1)>'
  await drop(page, filePayload('markup.txt', `${token()}\n${markup}\n<b>bold</b>\n`))
  await expect(row(page, 2).locator('.row__value')).toHaveText(markup)
  await expect(row(page, 3).locator('.row__value')).toHaveText('<b>bold</b>')
  await expect(page.getByTestId('row-list').locator('img, b')).toHaveCount(0)
  expect(dialogs).toEqual([])
})

test('the filter and the search narrow the list', async ({ page }) => {
  const { good, upper, text } = mixedRows()
  await drop(page, filePayload('mixed.txt', text))
  const filter = page.getByTestId('row-filter')
  await expect(filter.locator('option[value=problems]')).toHaveText('Rows with problems (5)')

  await filter.selectOption('problems')
  await expect(page.getByTestId('row')).toHaveCount(5)
  await expect(page.getByText('Showing 5 of 10 rows')).toBeVisible()
  for (const line of [3, 4, 6, 8, 10]) await expect(row(page, line)).toBeVisible()

  await filter.selectOption('code:uppercase')
  await expect(page.getByTestId('row')).toHaveCount(1)
  await expect(row(page, 4)).toContainText(upper)

  await filter.selectOption('all')
  await page.getByTestId('row-search').fill(good[3].slice(4, 16).toUpperCase())
  await expect(page.getByTestId('row')).toHaveCount(1)
  await expect(row(page, 7)).toBeVisible()

  await page.getByTestId('row-search').fill('no such token')
  await expect(page.getByTestId('row')).toHaveCount(0)
  await expect(page.getByText('No rows match.')).toBeVisible()

  await page.getByTestId('row-search').fill('')
  await expect(page.getByTestId('row')).toHaveCount(10)
})

test('next and previous problem move the active row, by button and by key', async ({ page }) => {
  await drop(page, filePayload('mixed.txt', mixedRows().text))
  await page.getByTestId('next-problem').click()
  await expectActive(page, 3)
  await page.getByTestId('next-problem').click()
  await expectActive(page, 4)
  await page.getByTestId('prev-problem').click()
  await expectActive(page, 3)

  await page.getByTestId('row-list').focus()
  await page.keyboard.press('F8')
  await expectActive(page, 4)
  await page.keyboard.press('n')
  await expectActive(page, 6)
  await page.keyboard.press('p')
  await expectActive(page, 4)
  await page.keyboard.press('Shift+F8')
  await expectActive(page, 3)
  await page.keyboard.press('Shift+F8')
  await expectActive(page, 3)
  await expect(page.getByText('No problem above this row.')).toBeVisible()
})

test('editing a bad row to a valid token revalidates it and updates the counts', async ({
  page,
}) => {
  const { text } = mixedRows()
  await drop(page, filePayload('mixed.txt', text))
  expect(await count(page, 'valid')).toBe(5)
  expect(await count(page, 'uppercase')).toBe(1)

  // Escape cancels.
  await row(page, 4).dblclick()
  await page.getByTestId('row-edit-input').fill('changed')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('row-edit-input')).toHaveCount(0)
  await expect(row(page, 4).locator('[data-code=uppercase]')).toBeVisible()

  // The Edit button, then Enter saves.
  const fixed = token()
  await row(page, 4).click()
  await row(page, 4).getByTestId('row-edit').click()
  await page.getByTestId('row-edit-input').fill(fixed)
  await page.keyboard.press('Enter')
  await expect(row(page, 4)).toContainText(fixed)
  await expect(row(page, 4).locator('[data-code]')).toHaveCount(0)
  await expect.poll(() => count(page, 'valid')).toBe(6)
  expect(await count(page, 'uppercase')).toBe(0)

  // Enter on the active row edits it too.
  await page.getByTestId('row-list').focus()
  await page.keyboard.press('Home')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await page.getByTestId('row-edit-input').fill(token())
  await page.keyboard.press('Enter')
  await expect.poll(() => count(page, 'valid')).toBe(7)
  expect(await count(page, 'whitespace')).toBe(0)
})

test('an edit is kept when the row is left by a click elsewhere or by Tab, and undo takes it back', async ({
  page,
}) => {
  const { text } = mixedRows()
  await drop(page, filePayload('mixed.txt', text))
  expect(await count(page, 'valid')).toBe(5)

  // A click on another row leaves the edited one: the edit is kept, not thrown away.
  const clicked = token()
  await row(page, 4).dblclick()
  await page.getByTestId('row-edit-input').fill(clicked)
  await row(page, 1).click()
  await expect(page.getByTestId('row-edit-input')).toHaveCount(0)
  await expect(row(page, 4)).toContainText(clicked)
  await expect.poll(() => count(page, 'valid')).toBe(6)

  // Tab leaves it too, and keeps it.
  const tabbed = token()
  await row(page, 10).dblclick()
  await page.getByTestId('row-edit-input').fill(tabbed)
  await page.keyboard.press('Tab')
  await expect(row(page, 10)).toContainText(tabbed)
  await expect.poll(() => count(page, 'valid')).toBe(7)

  // Each kept edit is one step: undo takes the last back.
  await page.getByTestId('undo').click()
  await expect.poll(() => count(page, 'valid')).toBe(6)
  await expect(row(page, 10)).toContainText('abc')
  await expect(row(page, 4)).toContainText(clicked)
})

test('deleting one row, a picked set, a range, and everything selected', async ({ page }) => {
  await drop(page, filePayload('tokens.txt', tokens(20).join('\n')))
  expect(await count(page, 'rows')).toBe(20)

  await row(page, 2).click()
  await row(page, 2).getByTestId('row-delete').click()
  await expect.poll(() => count(page, 'rows')).toBe(19)
  await expect(row(page, 2)).toHaveCount(0)

  // The Delete key deletes the active row.
  await row(page, 3).click()
  await page.keyboard.press('Delete')
  await expect.poll(() => count(page, 'rows')).toBe(18)
  await expect(row(page, 3)).toHaveCount(0)

  // Checkboxes and a Shift+click range: lines 5, 7, 8, 9, 10.
  await row(page, 5).getByRole('checkbox').click()
  await row(page, 7).getByRole('checkbox').click()
  await row(page, 10)
    .getByRole('checkbox')
    .click({ modifiers: ['Shift'] })
  await expect(page.getByText('5 selected')).toBeVisible()
  await page.getByTestId('delete-selected').click()
  await expect.poll(() => count(page, 'rows')).toBe(13)
  for (const line of [5, 7, 8, 9, 10]) await expect(row(page, line)).toHaveCount(0)
  await expect(page.getByText('5 selected')).toHaveCount(0)

  // Ctrl+A inside the list, within a filtered view: only the view's rows go.
  await page.getByTestId('row-search').fill(await row(page, 1).locator('.row__value').innerText())
  await expect(page.getByTestId('row')).toHaveCount(1)
  await page.getByTestId('row-list').focus()
  await page.keyboard.press('ControlOrMeta+a')
  await expect(page.getByText('1 selected')).toBeVisible()
  await page.keyboard.press('Delete')
  await expect.poll(() => count(page, 'rows')).toBe(12)
})

test('the list works from the keyboard alone', async ({ page }) => {
  await drop(page, filePayload('tokens.txt', tokens(200).join('\n')))
  const list = page.getByTestId('row-list')
  await page.getByTestId('row-search').focus()
  // Tab order: search, previous, next, then the list (delete-selected is disabled).
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(list).toBeFocused()
  await expectActive(page, 1)

  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expectActive(page, 3)
  await page.keyboard.press('ArrowUp')
  await expectActive(page, 2)
  await page.keyboard.press('End')
  await expectActive(page, 200)
  await expect(row(page, 200)).toBeInViewport()
  await page.keyboard.press('PageUp')
  const afterPageUp = await activeLine(page)
  expect(afterPageUp).toBeLessThan(200)
  expect(afterPageUp).toBeGreaterThan(180)
  await page.keyboard.press('Home')
  await expectActive(page, 1)
  await expect(row(page, 1)).toBeInViewport()
  await page.keyboard.press('PageDown')
  expect(await activeLine(page)).toBeGreaterThan(5)

  // Space selects, Escape clears.
  await page.keyboard.press('Space')
  await expect(page.getByText('1 selected')).toBeVisible()
  await expect(list.locator('[data-testid=row][aria-selected=true]')).toHaveCount(1)
  await page.keyboard.press('Escape')
  await expect(page.getByText('1 selected')).toHaveCount(0)
})

test('the list has no accessibility violations', async ({ page }) => {
  const { text } = mixedRows()
  await drop(page, filePayload('mixed.txt', `${text}\n<img src=x onerror=alert(1)>`))
  await page.getByTestId('row-list').focus()
  await page.keyboard.press('ArrowDown')
  await row(page, 2).getByRole('checkbox').click()
  const results = await new AxeBuilder({ page }).include('.row-list').analyze()
  expect(results.violations).toEqual([])
})

test('2.7 million rows: scrolled to the very last row, by scrollbar and by End', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const rows = 2_700_000
  const path = join(tmpdir(), `row-list-${process.pid}-${Date.now()}.txt`)
  writeTokens(path, rows)
  try {
    await page.locator('[data-testid=drop-zone] input[type=file]').setInputFiles(path)
    await expect(page.getByTestId('report')).toHaveAttribute('data-state', 'done', {
      timeout: 150_000,
    })
    expect(await count(page, 'rows')).toBe(rows)
    const list = page.getByTestId('row-list')
    await expect(list).toHaveAttribute('aria-rowcount', String(rows))
    await expect(row(page, 1)).toBeVisible()

    // The browser caps element heights; the scroll area stays under it.
    const scrollHeight = await list.evaluate((element) => element.scrollHeight)
    expect(scrollHeight).toBeLessThan(16_000_000)

    // A wheel notch moves a few rows, not a few hundred, despite the scaling.
    await list.hover()
    await page.mouse.wheel(0, 320)
    await expect(row(page, 11)).toBeInViewport()
    await expect(row(page, 40)).toHaveCount(0)

    // Dragging the scrollbar to its end shows the last row.
    await list.evaluate((element) => {
      element.scrollTop = element.scrollHeight
    })
    await expect(row(page, rows)).toBeInViewport()
    const lastLine = await list.locator('[data-testid=row]').last().getAttribute('data-line')
    expect(Number(lastLine)).toBe(rows)

    // Back to the top, then End from the keyboard.
    await list.evaluate((element) => {
      element.scrollTop = 0
    })
    await expect(row(page, 1)).toBeInViewport()
    await list.focus()
    await page.keyboard.press('End')
    await expectActive(page, rows)
    await expect(row(page, rows)).toBeInViewport()
    await page.keyboard.press('ArrowUp')
    await expectActive(page, rows - 1)
  } finally {
    rmSync(path, { force: true })
  }
})

/** Writes `rows` random valid tokens, one a line (37 bytes a row: 99.9 MB for 2.7 million). */
function writeTokens(path: string, rows: number) {
  const file = openSync(path, 'w')
  try {
    const batch = 100_000
    for (let done = 0; done < rows; done += batch) {
      const size = Math.min(batch, rows - done)
      const hex = randomBytes(18 * size).toString('hex')
      const lines = new Array<string>(size)
      for (let index = 0; index < size; index++)
        lines[index] = hex.slice(index * 36, index * 36 + 36)
      writeSync(file, lines.join('\n') + '\n')
    }
  } finally {
    closeSync(file)
  }
}

import assert from 'node:assert/strict'
import { token, tokens } from '../fixtures.ts'
import { ideal } from './drop-packages.ts'
import type { Flow } from './flow.ts'
import { counts, drop, exists, message, waitFor, waitForGone } from './page-hooks.ts'

/** 2.8 million 37-byte rows: 103.6 MB, under the 104,857,600-byte limit, so it is read whole. */
const LARGE_ROWS = 2_800_000

/**
 * Clicks the report's Cancel button the moment the report says "reading". A click sent by the
 * test after the drop could come when a fast engine has read 100 MB already; this one comes
 * in the same task as the first render of the read, so there is always a read to cancel.
 */
const CANCEL_WHEN_READING = `(() => {
  window.__flowCancel = 'armed'
  const observer = new MutationObserver(() => {
    const button = document.querySelector('[data-testid=report][data-state=reading] button')
    if (!button) return
    observer.disconnect()
    button.click()
    window.__flowCancel = 'clicked'
  })
  observer.observe(document.body, { childList: true, subtree: true, attributes: true })
  return true
})()`

export const cancelLargeRead: Flow = {
  name: 'a 100 MB read is cancelled, and the next file is read as usual',
  async run({ page, url, file }) {
    const row = Buffer.from(`${token()}\n`)
    // Made now, in a folder removed after the run: never committed.
    const large = await file('large.txt', Buffer.alloc(row.length * LARGE_ROWS, row))
    const next = await file('next.txt', ideal(tokens(3)))
    await page.open(url)
    await page.evaluate(CANCEL_WHEN_READING)
    await page.setFile(large)
    await waitFor(page, 'the cancel click', "window.__flowCancel === 'clicked'")
    await waitForGone(page, '[data-testid=report]')
    const cancelled = await message(page, 'read.cancelled')
    await waitFor(
      page,
      `"${cancelled}"`,
      `document.body.innerText.includes(${JSON.stringify(cancelled)})`,
    )
    // A read that went on would end in a report: none comes.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    assert.equal(await exists(page, '[data-testid=report]'), false, 'no report after the cancel')

    assert.equal(await drop(page, next), 'ready')
    assert.deepEqual(await counts(page), { rows: 3, valid: 3 })
  },
}

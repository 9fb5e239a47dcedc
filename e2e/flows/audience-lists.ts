import assert from 'node:assert/strict'
import { FILE_INPUTS, type DriverPage } from '../engines/driver-page.ts'
import { token, tokens } from '../fixtures.ts'
import { expectCleanPackage } from './clean-package.ts'
import type { Flow } from './flow.ts'
import {
  clickWhenEnabled,
  counts,
  drop,
  waitFor,
  waitForSelector,
  waitForVerdict,
} from './page-hooks.ts'

/** Waits until the page lists `files` sources and reads none. */
async function settled(page: DriverPage, files: number) {
  await waitFor(
    page,
    `${files} sources, none being read`,
    `document.querySelectorAll('[data-testid=source]').length === ${files} &&
      document.querySelector('section.sources[aria-busy=false]') !== null`,
  )
}

export const audienceLists: Flow = {
  name: 'a second list is added and an opt-out list left out: one clean package of what is left',
  async run({ page, url, file }) {
    const [t1, t2, t3, t4, t5] = tokens(5)
    const october = await file('october.txt', [t1, t2, t3].join('\n') + '\n')
    // A CSV with a header; t3 is in october.txt already.
    const week = await file('week.csv', ['token', t3, t4, t5].join('\r\n') + '\r\n')
    // Spelt as a spreadsheet leaves them: uppercase, padded.
    const optOut = await file('optout.txt', [t2.toUpperCase(), ` ${t5} `, token()].join('\n'))
    await page.open(url)
    assert.equal(await drop(page, october), 'ready')
    await waitForSelector(page, FILE_INPUTS.addSource)
    await page.setFile(week, 'addSource')
    await settled(page, 2)
    assert.deepEqual(await counts(page), { rows: 7, valid: 5, duplicate: 1, header: 1 })

    await page.setFile(optOut, 'exclude')
    await waitForSelector(page, '[data-testid=exclusion]')
    await settled(page, 2)
    assert.deepEqual(await counts(page), {
      rows: 7,
      valid: 3,
      duplicate: 1,
      header: 1,
      excluded: 2,
    })

    await clickWhenEnabled(page, '[data-testid=fix-all]')
    await waitForVerdict(page, 'ready')
    await expectCleanPackage(page, 'october.txt', [t1, t3, t4].join('\n') + '\n')
  },
}

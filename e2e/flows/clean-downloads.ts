import assert from 'node:assert/strict'
import JSZip from 'jszip'
import { messyExport, tokens } from '../fixtures.ts'
import { expectCleanPackage } from './clean-package.ts'
import type { Flow } from './flow.ts'
import { clickWhenEnabled, downloadWhenEnabled, drop, waitFor, waitForGone } from './page-hooks.ts'

export const fixAllAndDownload: Flow = {
  name: 'fix-all, then the downloads hold exactly the clean package and the problem report',
  async run({ page, url, file }) {
    const good = tokens(6)
    const messy = messyExport(good)
    const path = await file('export.csv', messy)
    await page.open(url)
    assert.equal(await drop(page, path), 'needs-fixes')
    await clickWhenEnabled(page, '[data-testid=fix-all]')
    await waitForGone(page, '[data-testid=count-duplicate]')

    const clean = await expectCleanPackage(
      page,
      'export.txt',
      [good[0], good[1], good[2], good[3], 'not-a-token', good[4]].join('\n') + '\n',
    )

    const report = await downloadWhenEnabled(page, '[data-testid=download-report]')
    const lines = report.bytes.toString('utf8').trim().split('\n')
    assert.equal(
      lines[0],
      'line,original_value,codes,action,value_now,codes_now,source,excluded_by',
    )
    for (const line of [
      `2, ${good[0]},whitespace,trimmed,${good[0]},,export.csv,`,
      `6,${good[2]},duplicate,removed,,,export.csv,`,
      '8,not-a-token,length charset,not fixed,not-a-token,length charset,export.csv,',
    ])
      assert.ok(lines.includes(line), `the report holds ${line}:\n${lines.join('\n')}`)

    await clickWhenEnabled(page, '[data-testid=clean-zip]')
    await waitFor(
      page,
      'the zip size',
      "document.querySelector('[data-testid=clean-zip-size]')?.textContent.includes('export.zip')",
    )
    const zipped = await downloadWhenEnabled(page, '[data-testid=download-clean]')
    assert.equal(zipped.name, 'export.zip')
    const zip = await JSZip.loadAsync(zipped.bytes)
    assert.deepEqual(Object.keys(zip.files), ['export.txt'])
    assert.equal(await zip.file('export.txt')?.async('string'), clean.bytes.toString('utf8'))
  },
}

import assert from 'node:assert/strict'
import JSZip from 'jszip'
import { z } from 'zod'
import { tokens } from '../fixtures.ts'
import type { Flow } from './flow.ts'
import {
  clickWhenEnabled,
  counts,
  drop,
  exists,
  text,
  value,
  waitForVerdict,
} from './page-hooks.ts'
import { expectCleanPackage } from './clean-package.ts'

// Packages as the tools write them, each dropped right after the page loads: the drop comes
// as soon as the input is there, before the page has had any idle time.

/** The clean package a marketer should get: UTF-8, no BOM, LF, one token a row, in order. */
export const ideal = (values: string[]) => values.join('\n') + '\n'

export const dropText: Flow = {
  name: 'a .txt dropped right after load is ready, with exact counts and its measure',
  async run({ page, url, file }) {
    const path = await file('tokens.txt', ideal(tokens(500)))
    await page.open(url)
    assert.equal(await drop(page, path), 'ready')
    assert.deepEqual(await counts(page), { rows: 500, valid: 500 })
    // The bench reads this measure in every engine.
    const measures = z
      .array(z.number())
      .parse(
        await page.evaluate(
          "performance.getEntriesByName('package-validate', 'measure').map((entry) => entry.duration)",
        ),
      )
    assert.equal(measures.length, 1, 'one package-validate measure')
    assert.ok(measures[0] > 0, `package-validate lasted ${measures[0]} ms`)
  },
}

export const dropMacZip: Flow = {
  name: 'a zip made on a Mac, dropped right after load: hidden files and a folder, rows read',
  async run({ page, url, file }) {
    const zip = new JSZip()
    zip.file('export/tokens.txt', tokens(20).join('\n'))
    zip.file('__MACOSX/export/._tokens.txt', 'mac metadata')
    const path = await file(
      'tokens.zip',
      await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }),
    )
    await page.open(url)
    assert.equal(await drop(page, path), 'needs-fixes')
    assert.ok(await exists(page, '[data-testid=problem-zip-hidden]'), 'problem-zip-hidden')
    assert.ok(await exists(page, '[data-testid=problem-zip-folder]'), 'problem-zip-folder')
    assert.deepEqual(await counts(page), { rows: 20, valid: 20 })
  },
}

/** UTF-16LE with its byte order mark, as Notepad's "Unicode" and some exports save it. */
function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
}

export const dropUtf16: Flow = {
  name: 'a UTF-16 file dropped right after load is named, read, and saved as UTF-8',
  async run({ page, url, file }) {
    const values = tokens(200)
    const path = await file('utf16.txt', utf16le(values.join('\r\n') + '\r\n'))
    await page.open(url)
    assert.equal(await drop(page, path), 'needs-fixes')
    assert.ok(await exists(page, '[data-testid=problem-encoding-utf16]'), 'problem-encoding-utf16')
    assert.deepEqual(await counts(page), { rows: 200, valid: 200 })
    await clickWhenEnabled(page, '[data-testid=fix-all]')
    await waitForVerdict(page, 'ready')
    await expectCleanPackage(page, 'utf16.txt', ideal(values))
  },
}

// 设备Token,渠道 and 华为, as Excel and WPS save a "CSV" on Chinese Windows (GBK, CRLF): bytes
// from GBK's table, so the test does not depend on an encoder that could share the page's bug.
const GBK_HEADER = [
  0xc9, 0xe8, 0xb1, 0xb8, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x2c, 0xc7, 0xfe, 0xb5, 0xc0,
]
const GBK_HUAWEI = [0xbb, 0xaa, 0xce, 0xaa]

export const dropGbkCsv: Flow = {
  name: 'a GBK CSV from Excel on Chinese Windows is named, converted, and fixed into the clean package',
  async run({ page, url, file }) {
    const values = tokens(4)
    const rows = values.map((token) =>
      Buffer.concat([Buffer.from(`\r\n${token},`), Buffer.from(GBK_HUAWEI)]),
    )
    const bytes = Buffer.concat([Buffer.from(GBK_HEADER), ...rows, Buffer.from('\r\n')])
    const path = await file('设备.csv', bytes)
    await page.open(url)
    assert.equal(await drop(page, path), 'needs-fixes')
    const legacy = (await text(page, '[data-testid=problem-encoding-legacy]')) ?? ''
    assert.match(legacy, /GB18030/)
    assert.ok(legacy.includes('设备Token,渠道'), `the first row as read: ${legacy}`)
    assert.equal(await value(page, '[data-testid=encoding]'), 'gb18030')
    const shown = await counts(page)
    assert.equal(shown.header, 1, 'header rows')
    assert.equal(shown.valid, 4, 'valid rows')
    await clickWhenEnabled(page, '[data-testid=fix-all]')
    await waitForVerdict(page, 'ready')
    await expectCleanPackage(page, '设备.txt', ideal(values))
  },
}

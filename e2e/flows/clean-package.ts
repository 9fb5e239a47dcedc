import assert from 'node:assert/strict'
import type { DownloadedFile, DriverPage } from '../engines/driver-page.ts'
import { downloadWhenEnabled } from './page-hooks.ts'

/**
 * Byte for byte, with a readable message: where the bytes first differ, and the text around
 * that place on both sides.
 */
export function assertBytes(actual: Uint8Array, expected: Uint8Array | string, what: string) {
  const want = typeof expected === 'string' ? Buffer.from(expected, 'utf8') : Buffer.from(expected)
  const got = Buffer.from(actual)
  if (got.equals(want)) return
  let at = 0
  while (at < got.length && at < want.length && got[at] === want[at]) at++
  const around = (bytes: Buffer) =>
    JSON.stringify(bytes.subarray(Math.max(0, at - 40), at + 40).toString('utf8'))
  assert.fail(
    `${what}: ${got.length} bytes, expected ${want.length}; first difference at byte ${at}: ` +
      `${around(got)} where ${around(want)} was expected`,
  )
}

/** Downloads the clean package and expects exactly this name and these bytes. */
export async function expectCleanPackage(
  page: DriverPage,
  name: string,
  bytes: Uint8Array | string,
): Promise<DownloadedFile> {
  const clean = await downloadWhenEnabled(page, '[data-testid=download-clean]')
  assert.equal(clean.name, name, 'the clean package is named')
  assertBytes(clean.bytes, bytes, `the clean package ${name}`)
  return clean
}

import { describe, expect, it } from 'vitest'
import { distinctTokens, lines, utf8 } from '../../core/test-fixtures.ts'
import { validatePackage } from '../../core/validate-package.ts'
import { buildCleanFiles } from './clean-files.ts'

/** A zip that is a quarter of the text, or larger than it: only its size matters here. */
const zipTo = (share: number) => async (name: string, text: Uint8Array) => ({
  name: name.replace(/\.txt$/, '.zip'),
  bytes: new Uint8Array(Math.ceil(text.length * share)),
})

async function storeOf(rows: number) {
  const state = await validatePackage({
    name: 'audience.txt',
    bytes: utf8(lines(distinctTokens(rows, 4))),
    kind: 'token',
  })
  return state.store
}

describe('buildCleanFiles', () => {
  // 30 rows of 37 bytes: 1,110 bytes of text, against a limit of 500.
  it('over the limit as text, one zip when one fits', async () => {
    const files = await buildCleanFiles(await storeOf(30), 'audience.txt', true, zipTo(0.25), 500)
    expect(
      files.map(({ name, rows, bytes, textBytes }) => ({ name, rows, bytes, textBytes })),
    ).toEqual([{ name: 'audience.zip', rows: 30, bytes: 278, textBytes: 1110 }])
  })

  it('split, each part zipped, when even the zip does not fit', async () => {
    const files = await buildCleanFiles(await storeOf(30), 'audience.txt', true, zipTo(0.9), 500)
    expect(files.map((file) => file.name)).toEqual([
      'audience-part1.zip',
      'audience-part2.zip',
      'audience-part3.zip',
    ])
    expect(files.reduce((sum, file) => sum + file.rows, 0)).toBe(30)
  })

  it('text parts when not zipped, and the true size change when a zip is larger', async () => {
    const text = await buildCleanFiles(await storeOf(30), 'audience.txt', false, zipTo(0.25), 500)
    expect(text.map((file) => file.name)).toEqual([
      'audience-part1.txt',
      'audience-part2.txt',
      'audience-part3.txt',
    ])
    const [small] = await buildCleanFiles(await storeOf(2), 'audience.txt', true, zipTo(2), 500)
    expect(small).toMatchObject({ bytes: 148, textBytes: 74 })
  })
})

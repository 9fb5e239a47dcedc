import { describe, expect, it } from 'vitest'
import { carvedColumns, columnBytesFor } from './column-memory.ts'
import { concatBytes, distinctTokens, lines, utf8, valuesOf } from './test-fixtures.ts'
import { reportOf, validatePackage } from './validate-package.ts'

describe('carvedColumns', () => {
  it('hands out zeroed, aligned pieces that never overlap, then new memory', () => {
    const buffer = new ArrayBuffer(40)
    const columns = carvedColumns(buffer)
    const pieces = [columns.uint8(3), columns.uint32(4), columns.int32(2), columns.uint32(4)]
    expect(pieces.map((piece) => piece.buffer === buffer)).toEqual([true, true, true, false])
    expect(pieces.map((piece) => piece.byteOffset)).toEqual([0, 8, 24, 0])
    for (const piece of pieces) piece.fill(-1)
    // Each piece wrote only its own bytes: 3, gap, 16, 8, and the rest untouched.
    expect([...new Uint8Array(buffer)].filter((byte) => byte === 0xff)).toHaveLength(3 + 16 + 8)
    expect(new Uint8Array(buffer, 3, 5)).toEqual(new Uint8Array(5))
  })

  it('sizes a package’s columns at 21 bytes a row of 32 bytes', () => {
    expect(columnBytesFor(32_000)).toBe((1000 + 16) * 21 + 64)
  })
})

describe('a package whose columns come from memory made ready', () => {
  const rows = distinctTokens(400, 11)
  const text = lines([...rows, rows[3], '', `  ${rows[5]}`, rows[9].toUpperCase(), 'x'])
  const bytes = concatBytes(utf8(text))

  // From none at all, through running out mid-way (growth then takes new memory), to plenty.
  it.each([0, 100, 4000, 9000, columnBytesFor(bytes.length)])(
    'is read exactly as with new memory (%i bytes made ready)',
    async (size) => {
      const input = { name: 'tokens.txt', bytes, kind: 'token' as const }
      const fresh = await validatePackage(input)
      const carved = await validatePackage(input, { columns: carvedColumns(new ArrayBuffer(size)) })
      expect(reportOf(carved)).toEqual(reportOf(fresh))
      expect(valuesOf(carved.store)).toEqual(valuesOf(fresh.store))
      expect(carved.classification.codes).toEqual(fresh.classification.codes)
    },
  )
})

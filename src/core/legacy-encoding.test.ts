import { describe, expect, it } from 'vitest'
import {
  createLegacyConverter,
  decodeLegacy,
  guessLegacyEncoding,
  sampleRow,
} from './legacy-encoding.ts'

// Bytes as the tools write them, as literals (made once with iconv).
const GBK_HEADER = [
  0xc9, 0xe8, 0xb1, 0xb8, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x2c, 0xc7, 0xfe, 0xb5, 0xc0, 0x0a,
] // 设备Token,渠道
const GBK_NAMES = [0xd5, 0xc5, 0xc8, 0xfd, 0x0a, 0xc0, 0xee, 0xcb, 0xc4, 0x0a] // 张三 李四
const BIG5_HEADER = [0xb8, 0xcb, 0xb8, 0x6d, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x0a] // 裝置Token
const SJIS_HEADER = [
  0x83, 0x66, 0x83, 0x6f, 0x83, 0x43, 0x83, 0x58, 0x83, 0x67, 0x81, 0x5b, 0x83, 0x4e, 0x83, 0x93,
  0x0a,
] // デバイストークン
const CP1252_HEADER = [
  0x47, 0x65, 0x72, 0xe4, 0x74, 0x2d, 0x54, 0x6f, 0x6b, 0x65, 0x6e, 0x3b, 0x53, 0x74, 0x72, 0x61,
  0xdf, 0x65, 0x0a,
] // Gerät-Token;Straße
const CP1252_NAME = [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x0a] // Müller
const TOKEN_ROWS = new TextEncoder().encode('005c28bf60e29f9a1c2052ce96f43019a0b7\n'.repeat(20))

const file = (...parts: (number[] | Uint8Array)[]) =>
  Uint8Array.from(parts.flatMap((part) => [...part]))

describe('guessLegacyEncoding', () => {
  it.each([
    ['GBK header', file(GBK_HEADER, TOKEN_ROWS), 'gb18030', '设备Token,渠道'],
    ['GBK names', file(TOKEN_ROWS, GBK_NAMES), 'gb18030', '张三'],
    ['Big5 header', file(BIG5_HEADER, TOKEN_ROWS), 'big5', '裝置Token'],
    ['Shift_JIS header', file(SJIS_HEADER, TOKEN_ROWS), 'shift_jis', 'デバイストークン'],
    ['Windows-1252 header', file(CP1252_HEADER, TOKEN_ROWS), 'windows-1252', 'Gerät-Token;Straße'],
    ['Windows-1252 name', file(TOKEN_ROWS, CP1252_NAME), 'windows-1252', 'Müller'],
  ])('%s', (_, bytes, encoding, row) => {
    expect(guessLegacyEncoding(bytes)).toBe(encoding)
    expect(sampleRow(decodeLegacy(bytes, encoding as 'gb18030'))).toBe(row)
  })

  it('has nothing to say about ASCII', () => {
    expect(guessLegacyEncoding(TOKEN_ROWS)).toBeNull()
  })
})

describe('decodeLegacy', () => {
  it('gives what decoding the whole text gives, copying the ASCII rows', () => {
    const cases = [
      [file(GBK_HEADER, TOKEN_ROWS, GBK_NAMES), 'gb18030'],
      [file(TOKEN_ROWS, BIG5_HEADER, TOKEN_ROWS), 'big5'],
      [file(SJIS_HEADER, SJIS_HEADER), 'shift_jis'],
      [file(CP1252_HEADER, TOKEN_ROWS, CP1252_NAME), 'windows-1252'],
      // No line break at the end; a byte that is no character (U+FFFD); the euro sign.
      [file(TOKEN_ROWS, [0x80, 0x41, 0xff]), 'gb18030'],
      [Uint8Array.of(0x80, 0x80, 0x0a, 0x80), 'windows-1252'],
    ] as const
    for (const [bytes, label] of cases) {
      const whole = new TextEncoder().encode(new TextDecoder(label).decode(bytes))
      expect(decodeLegacy(bytes, label)).toEqual(whole)
    }
  })
})

describe('the converter, read a range at a time', () => {
  it('gives the same text at any alignment and however the reads fall', () => {
    const text = file(TOKEN_ROWS, GBK_HEADER, TOKEN_ROWS, GBK_NAMES, TOKEN_ROWS)
    const whole = new TextEncoder().encode(new TextDecoder('gb18030').decode(text))
    for (const offset of [0, 1, 2, 3]) {
      const shifted = new Uint8Array(text.length + offset)
      shifted.set(text, offset)
      const input = shifted.subarray(offset)
      for (const step of [1, 7, 64, 1000]) {
        const converter = createLegacyConverter('gb18030', input.length * 2)
        let written: number | null = 0
        for (let filled = step; filled < input.length; filled += step)
          written = converter.convert(input, filled, false)
        written = converter.convert(input, input.length, true)
        expect(written).not.toBeNull()
        expect(converter.output.subarray(0, written ?? 0)).toEqual(whole)
      }
    }
  })
})

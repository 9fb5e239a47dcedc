import { describe, expect, it } from 'vitest'
import {
  appendToArena,
  arenaBytes,
  createArena,
  RowBuilder,
  rowFullText,
  rowValue,
  type RowStore,
} from './row-store.ts'
import { utf8 } from './test-fixtures.ts'

describe('byte arena', () => {
  it('addresses the base first, then the appended bytes after it', () => {
    const arena = createArena(utf8('hello'))
    expect(appendToArena(arena, utf8('ab'))).toBe(5)
    expect(appendToArena(arena, utf8('cde'))).toBe(7)
    expect(arena.extraLength).toBe(5)
    expect(arenaBytes(arena, 1, 3)).toEqual(utf8('ell'))
    expect(arenaBytes(arena, 5, 2)).toEqual(utf8('ab'))
    expect(arenaBytes(arena, 7, 3)).toEqual(utf8('cde'))
  })

  it('keeps every earlier append when it grows', () => {
    const arena = createArena(new Uint8Array(0))
    const addresses: number[] = []
    for (let index = 0; index < 3000; index++) {
      addresses.push(appendToArena(arena, utf8(`row-${index};`)))
    }
    expect(arena.extra.length).toBeGreaterThan(4096)
    expect(new TextDecoder().decode(arenaBytes(arena, addresses[0], 6))).toBe('row-0;')
    expect(new TextDecoder().decode(arenaBytes(arena, addresses[2999], 9))).toBe('row-2999;')
  })

  it('reads a value at the exact seam between base and extra', () => {
    const arena = createArena(utf8('xyz'))
    const address = appendToArena(arena, utf8('q'))
    expect(arenaBytes(arena, 2, 1)).toEqual(utf8('z'))
    expect(arenaBytes(arena, address, 1)).toEqual(utf8('q'))
  })
})

describe('RowBuilder', () => {
  it('grows past its capacity without losing rows', () => {
    const rows = new RowBuilder(1)
    for (let index = 0; index < 1000; index++) rows.push(index * 3, index, index + 1)
    expect(rows.count).toBe(1000)
    expect(rows.start.length).toBeGreaterThanOrEqual(1000)
    expect([rows.start[0], rows.length[0], rows.line?.[0]]).toEqual([0, 0, 1])
    expect([rows.start[999], rows.length[999], rows.line?.[999]]).toEqual([2997, 999, 1000])
    expect([rows.start[16], rows.length[16], rows.line?.[16]]).toEqual([48, 16, 17])
  })
})

describe('rowValue and rowFullText', () => {
  const arena = createArena(utf8('abc,def\n令牌'))
  const store: RowStore = {
    arena,
    count: 2,
    start: Uint32Array.of(0, 8),
    length: Uint32Array.of(3, 6),
    line: Uint32Array.of(1, 2),
    fullLength: Uint32Array.of(7, 6),
  }

  it('decodes the value and the whole row', () => {
    expect(rowValue(store, 0)).toBe('abc')
    expect(rowFullText(store, 0)).toBe('abc,def')
    expect(rowValue(store, 1)).toBe('令牌')
    expect(rowFullText(store, 1)).toBe('令牌')
  })

  it('keeps a U+FEFF at the start of a value', () => {
    const bom = createArena(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))
    const one: RowStore = { ...store, arena: bom, count: 1, fullLength: null }
    expect(rowValue({ ...one, start: Uint32Array.of(0), length: Uint32Array.of(4) }, 0)).toBe(
      '\ufeffa',
    )
  })

  it('falls back to the value without full lengths', () => {
    expect(rowFullText({ ...store, fullLength: null }, 0)).toBe('abc')
  })
})
